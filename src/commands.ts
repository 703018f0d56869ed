// The `mscore` commands that work on data. They run against the configured
// database, or inside the running server when it holds the embedded database
// (src/platform/local-control.ts), so the embedded directory is never opened twice.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { listMigrations, migrate } from './db/index.ts';
import { ROLES, type Role } from './db/types.ts';
import { generateDemo } from './modules/demo/generate.ts';
import { generateNational } from './modules/demo/national.ts';
import { generateDemoRounds } from './modules/demo/rounds.ts';
import { generateDemoSms } from './modules/demo/sms.ts';
import { importEventsFile } from './modules/events/commands/import-file.ts';
import type { EventKind } from './modules/events/import/index.ts';
import { createApiToken } from './modules/org/commands/create-token.ts';
import { createUser } from './modules/org/commands/create-user.ts';
import { grantRole } from './modules/org/commands/grant-role.ts';
import { importUnits } from './modules/org/commands/import-units.ts';
import { updateUser } from './modules/org/commands/update-user.ts';
import { tenantByCode } from './modules/org/queries.ts';
import { compactRollups, diffRollups, rebuildRollups } from './modules/responses/rollups.ts';
import { scoreIndex } from './modules/scoring/commands/score-index.ts';
import { listIndices } from './modules/scoring/queries.ts';
import { verifySnapshot } from './modules/scoring/snapshots.ts';
import { type Actor, verifyAllTenants } from './platform/audit.ts';
import type { AppContext } from './platform/context.ts';
import { AppError } from './platform/errors.ts';
import { periodOf } from './platform/time.ts';

export type CommandOutput = { code: number; stdout: string; stderr: string };

const CLI_ACTOR: Actor = { type: 'cli', name: 'mscore' };

/** Commands that only print and need no database. */
export const OFFLINE_COMMANDS = new Set(['help', '--help', '-h', '--version', '-V', 'serve', 'worker']);

async function tenantId(ctx: AppContext, code?: string): Promise<string> {
  const t = await tenantByCode(ctx.db, code ?? ctx.config.tenantCode);
  if (!t)
    throw new AppError(
      404,
      'tenant.not_found',
      `tenant ${code ?? ctx.config.tenantCode} does not exist; start the server once to create it`,
    );
  return t.id;
}

function parseRole(role: string): Role {
  if (!ROLES.includes(role as Role))
    throw new AppError(422, 'role.invalid', `unknown role "${role}" (one of ${ROLES.join(', ')})`);
  return role as Role;
}

/** Paths are made absolute by the caller, so a server in another directory finds the file. */
export function absolutizeArgs(argv: string[], cwd: string): string[] {
  const out = [...argv];
  if (out[0] === 'units' && out[1] === 'import' && out[2] && !out[2].startsWith('-')) out[2] = path.resolve(cwd, out[2]);
  if (out[0] === 'import' && out[1] && !out[1].startsWith('-')) out[1] = path.resolve(cwd, out[1]);
  return out;
}

export async function runCommand(ctx: AppContext, argv: string[]): Promise<CommandOutput> {
  let stdout = '';
  let stderr = '';
  const print = (s: string) => {
    stdout += `${s}\n`;
  };
  const program = new Command('mscore')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) })
    .option('--tenant <code>', 'tenant code (default: MSCORE_TENANT_CODE)');

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const applied = await migrate(ctx.database);
      print(applied.length ? `applied: ${applied.join(', ')}` : `up to date (${listMigrations().length} migrations)`);
    });

  program
    .command('units')
    .description('the unit tree')
    .command('import')
    .argument('<file>', 'CSV: code,name,kind,sector,parent_code,kiosks[,valid_from,valid_to,successor_code]')
    .description('import or update units from a CSV file (all rows or none)')
    .action(async (file: string) => {
      const r = await importUnits(ctx.db, {
        tenantId: await tenantId(ctx, program.opts().tenant),
        actor: CLI_ACTOR,
        text: readFileSync(file, 'utf8'),
      });
      print(`units: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`);
    });

  program
    .command('import')
    .argument('<file>', 'a monthly list: CSV (UTF-8 or UTF-16, comma, semicolon or tab) or XLSX')
    .option('--unit <code>', 'the unit the list belongs to (else a unit column in the file)')
    .option('--kind <kind>', 'dossier, outpatient or inpatient (default: from the headers)')
    .option('--json', 'print the import report as JSON')
    .description('import service events from a list file; good rows stored, bad rows reported')
    .action(async (file: string, o: { unit?: string; kind?: string; json?: boolean }) => {
      if (o.kind && !['dossier', 'outpatient', 'inpatient'].includes(o.kind)) {
        throw new AppError(422, 'kind.invalid', `unknown kind "${o.kind}" (dossier, outpatient or inpatient)`);
      }
      if (!existsSync(file)) throw new AppError(404, 'import.file_missing', `no file ${file}`);
      const tid = await tenantId(ctx, program.opts().tenant);
      const tenant = await ctx.db.selectFrom('tenants').select('time_zone').where('id', '=', tid).executeTakeFirstOrThrow();
      const r = await importEventsFile(ctx.db, ctx.vault, {
        tenantId: tid,
        timeZone: tenant.time_zone,
        actor: CLI_ACTOR,
        scope: { all: true },
        file,
        filename: path.basename(file),
        unit: o.unit,
        kind: o.kind as EventKind | undefined,
        secretKey: ctx.config.secretKey,
        trusted: ctx.database.kind === 'pglite',
      });
      if (o.json) return print(JSON.stringify(r, null, 2));
      print(
        `${r.filename}: ${r.rows} rows; ${r.accepted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected`,
      );
      print(
        `quality: ${r.quality.validMobile} with a mobile number, ${r.quality.withName} with a name, ${r.quality.withReturnDate} with a return date`,
      );
      for (const e of r.errors.slice(0, 50)) print(`  row ${e.row}, ${e.column}: ${e.code}: ${e.message}`);
      if (r.errorCount > 50) print(`  ... and ${r.errorCount - 50} more`);
    });

  const user = program.command('user').description('staff accounts');
  user
    .command('create')
    .requiredOption('--username <name>')
    .requiredOption('--password <password>')
    .option('--display-name <name>')
    .option('--role <role>', `grant a role: ${ROLES.join(', ')}`)
    .option('--unit <code>', 'unit subtree of the role (default: whole tenant)')
    .action(async (o: { username: string; password: string; displayName?: string; role?: string; unit?: string }) => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const { id } = await createUser(ctx.db, ctx.vault, {
        tenantId: tid,
        actor: CLI_ACTOR,
        username: o.username.toLowerCase(),
        displayName: o.displayName ?? o.username,
        password: o.password,
      });
      if (o.role) {
        await grantRole(ctx.db, {
          tenantId: tid,
          actor: CLI_ACTOR,
          scope: { all: true },
          userId: id,
          role: parseRole(o.role),
          unitCode: o.unit ?? null,
        });
      }
      print(`user ${o.username} created${o.role ? ` with role ${o.role} on ${o.unit ?? 'the whole tenant'}` : ''}`);
    });
  user
    .command('disable')
    .argument('<username>')
    .description('disable a user and end the user’s sessions at once')
    .action(async (username: string) => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const u = await ctx.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tid)
        .where('username', '=', username)
        .executeTakeFirst();
      if (!u) throw new AppError(404, 'user.not_found', `no user ${username}`);
      await updateUser(ctx.db, { tenantId: tid, actor: CLI_ACTOR, userId: u.id, disabled: true });
      print(`user ${username} disabled`);
    });

  program
    .command('token')
    .description('API tokens for unit systems')
    .command('create')
    .requiredOption('--name <name>', 'a name that says which system uses it')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--unit <code>', 'unit subtree the token is limited to')
    .description('create a token and print it (it is shown only once)')
    .action(async (o: { name: string; role: string; unit?: string }) => {
      const t = await createApiToken(ctx.db, {
        tenantId: await tenantId(ctx, program.opts().tenant),
        actor: CLI_ACTOR,
        scope: { all: true },
        name: o.name,
        role: parseRole(o.role),
        unitCode: o.unit ?? null,
      });
      print(t.token);
    });

  program
    .command('audit')
    .description('the audit log')
    .command('verify')
    .description('check the hash chain of every tenant; exit 1 on any edited or deleted row')
    .action(async () => {
      const results = await verifyAllTenants(ctx.db);
      for (const r of results) {
        print(r.ok ? `${r.tenant}: ok, ${r.checked} rows` : `${r.tenant}: BROKEN at row ${r.firstBadSeq}: ${r.problem}`);
      }
      if (results.some((r) => !r.ok)) throw new CommanderError(1, 'audit.broken', '');
    });

  program
    .command('demo')
    .description('synthetic data for trying the platform')
    .command('generate')
    .description('a deterministic history of the demo province: events, and answers on kiosk, web, phone and SMS')
    .option('--months <n>', 'how many months, ending with --until', '24')
    .option('--until <YYYY-MM>', 'the last month (default: the previous month)')
    .option('--seed <n>', 'the same seed gives the same data', '2014')
    .option(
      '--scale <x>',
      'volume factor (1 = realistic volumes), or national: all 34 provinces, one tenant each (PostgreSQL)',
      '1',
    )
    .option('--provinces <codes>', 'with --scale national: only these province codes, comma-separated (e.g. HN,QTR)')
    .option('--path <path>', 'bulk (COPY into an empty history), intake (every record through the intake) or auto', 'auto')
    .option('--national-scale <x>', 'with --scale national: volume factor of every province', '1')
    .action(
      async (o: {
        months: string;
        until?: string;
        seed: string;
        scale: string;
        path: string;
        provinces?: string;
        nationalScale: string;
      }) => {
        if (!['bulk', 'intake', 'auto'].includes(o.path)) throw new AppError(422, 'demo.path', '--path: bulk, intake or auto');
        if (o.scale === 'national') {
          const months = Number(o.months);
          const volume = Number(o.nationalScale);
          if (!Number.isInteger(months) || months < 1 || months > 120)
            throw new AppError(422, 'demo.months', '--months: 1 to 120');
          if (!(volume > 0 && volume <= 10)) throw new AppError(422, 'demo.scale', '--national-scale: above 0, at most 10');
          if (o.until && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.until)) throw new AppError(422, 'demo.until', '--until: YYYY-MM');
          const [y, m] = periodOf(new Date(), ctx.config.timeZone).split('-').map(Number) as [number, number];
          const r = await generateNational(ctx.database, ctx.vault, ctx.config, {
            until: o.until ?? (m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`),
            months,
            seed: Number(o.seed),
            scale: volume,
            only: o.provinces?.split(',').map((x) => x.trim().toUpperCase()),
            onProgress: (line) => process.stderr.write(`${line}\n`),
          });
          print(
            `national demo: ${r.provinces} provinces filled, ${r.events} events, ${r.responses} responses in ${r.seconds.toFixed(0)} s`,
          );
          return;
        }
        const tid = await tenantId(ctx, program.opts().tenant);
        const tenant = await ctx.db.selectFrom('tenants').select('time_zone').where('id', '=', tid).executeTakeFirstOrThrow();
        const months = Number(o.months);
        const seed = Number(o.seed);
        const scale = Number(o.scale);
        if (!Number.isInteger(months) || months < 1 || months > 120) throw new AppError(422, 'demo.months', '--months: 1 to 120');
        if (!Number.isInteger(seed)) throw new AppError(422, 'demo.seed', '--seed: a whole number');
        if (!(scale > 0 && scale <= 10)) throw new AppError(422, 'demo.scale', '--scale: above 0, at most 10');
        if (o.until && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.until)) throw new AppError(422, 'demo.until', '--until: YYYY-MM');
        const now = new Date();
        const thisMonth = periodOf(now, tenant.time_zone);
        const [y, m] = thisMonth.split('-').map(Number) as [number, number];
        const until = o.until ?? (m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`);
        const r = await generateDemo(ctx.database, ctx.vault, {
          tenantId: tid,
          timeZone: tenant.time_zone,
          until,
          months,
          seed,
          scale,
          path: o.path as 'bulk' | 'intake' | 'auto',
          secretKey: ctx.config.secretKey,
          onProgress: (line) => process.stderr.write(`${line}\n`),
        });
        print(
          `generated ${r.months[0]} to ${r.months.at(-1)}: ${r.events} events, ${r.responses} responses in ${r.seconds.toFixed(1)} s (${r.path === 'bulk' ? 'bulk load into an empty history' : 'through the intake'})`,
        );
        const rounds = await generateDemoRounds(ctx.db, { tenantId: tid, timeZone: tenant.time_zone, months: r.months, now });
        if (rounds.interviewer)
          print(
            `${rounds.rounds} phone-interview rounds (${rounds.interviews} interviews); demo interviewer: ${rounds.interviewer.username} / ${rounds.interviewer.password}`,
          );
        const sms = await generateDemoSms(ctx.db, ctx.vault, { tenantId: tid, months: r.months });
        if (sms) print(`${sms} SMS invitations of ${r.months.at(-1)} with their replies`);
      },
    );

  const rollups = program.command('rollups').description('answer counts behind every score');
  rollups
    .command('rebuild')
    .description('recompute the rollups from the raw answers, then check they agree')
    .action(async () => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const t0 = performance.now();
      const rows = await rebuildRollups(ctx.db, tid);
      const check = await diffRollups(ctx.db, { tenantId: tid });
      print(`rebuilt ${rows} rollup rows in ${Math.round(performance.now() - t0)} ms; ${check.diffs.length} differences`);
      if (check.diffs.length) throw new CommanderError(1, 'rollups.differ', '');
    });
  rollups
    .command('check')
    .description('compare the rollups with a recomputation from raw answers; exit 1 on any difference')
    .action(async () => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const folded = await compactRollups(ctx.db);
      const check = await diffRollups(ctx.db, { tenantId: tid });
      print(`${check.rows} rollup rows (${folded} pending deltas folded); ${check.diffs.length} differences`);
      for (const d of check.diffs.slice(0, 20)) print(`  ${d.key}: rollup ${d.rollup}, raw answers ${d.raw}`);
      if (check.diffs.length) throw new CommanderError(1, 'rollups.differ', '');
    });

  program
    .command('indices')
    .description('the index codes, with their current version')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const list = await listIndices(ctx.db, tid);
      if (o.json)
        print(
          JSON.stringify(
            list.map((x) => ({ code: x.code, version: x.version, name: x.definition.name, kind: x.definition.formula.kind })),
          ),
        );
      else for (const x of list) print(`${x.code.padEnd(28)} v${x.version}  ${x.definition.name.vi}`);
    });

  const scores = program
    .command('scores')
    .description('scores of one index for a period, per unit (the same rows as GET /api/v1/scores)')
    .option('--index <code>', 'index code (see `mscore indices`)')
    .option('--period <period>', 'YYYY-MM, YYYY-Qn or YYYY')
    .option('--sector <sector>', 'administration or health')
    .option('--unit <code>', 'only this unit')
    .option('--channel <channel>', 'one of the index channels (never pooled)')
    .option('--province', 'add the provincial total as the first row')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        index: string;
        period: string;
        sector?: string;
        unit?: string;
        channel?: string;
        province?: boolean;
        json?: boolean;
      }) => {
        const tid = await tenantId(ctx, program.opts().tenant);
        if (o.sector && o.sector !== 'administration' && o.sector !== 'health')
          throw new AppError(422, 'sector.invalid', '--sector: administration or health');
        const tenant = await ctx.db.selectFrom('tenants').select('time_zone').where('id', '=', tid).executeTakeFirstOrThrow();
        const r = await scoreIndex(ctx.db, {
          tenantId: tid,
          timeZone: tenant.time_zone,
          index: o.index,
          period: o.period,
          channel: o.channel,
          sector: o.sector as 'administration' | 'health' | undefined,
          unit: o.unit,
        });
        const rows = o.province ? [r.province, ...r.rows] : r.rows;
        if (o.json) {
          print(JSON.stringify(rows));
          return;
        }
        print(`${r.index} v${r.version}, ${r.period}${r.channel ? `, ${r.channel}` : ''}${r.ranked ? '' : ' (not ranked)'}`);
        for (const x of [r.province, ...r.rows]) {
          const v =
            x.value === null
              ? `— (${x.suppressedReason})`
              : `${x.value.toFixed(2)} [${x.ciLow?.toFixed(2)}, ${x.ciHigh?.toFixed(2)}]`;
          print(
            `${(x.rank ?? '').toString().padStart(3)} ${x.unit.padEnd(14)} n=${String(x.n).padEnd(6)} ${v}${x.band ? `  ${x.band}` : ''}`,
          );
        }
      },
    );

  scores
    .command('verify')
    .description('recompute a snapshot from the raw answers with its own index versions; exit 1 on any difference')
    .argument('<snapshot>', 'snapshot id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const tid = await tenantId(ctx, program.opts().tenant);
      const tenant = await ctx.db.selectFrom('tenants').select('time_zone').where('id', '=', tid).executeTakeFirstOrThrow();
      const r = await verifySnapshot(ctx.db, tid, tenant.time_zone, id);
      if (o.json || scores.opts().json) print(JSON.stringify(r));
      else {
        print(`snapshot ${r.id} (${r.sector}, ${r.period}, ${r.status})`);
        print(`inputs hash stored     ${r.storedHash}`);
        print(`inputs hash recomputed ${r.recomputedHash}`);
        print(`${r.differences.length} differences in the published figures`);
        for (const d of r.differences.slice(0, 50))
          print(
            `  ${d.index} ${d.unit} ${d.field}: published ${JSON.stringify(d.stored)}, raw answers ${JSON.stringify(d.recomputed)}`,
          );
      }
      if (!r.ok || r.differences.length) throw new CommanderError(1, 'snapshot.differs', '');
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, stdout, stderr };
    if (e instanceof AppError) {
      const rows = (e.extra.errors as { row: number; code: string; message: string }[] | undefined) ?? [];
      stderr += `error (${e.code}): ${e.message}\n${rows.map((r) => `  row ${r.row}: ${r.code}: ${r.message}\n`).join('')}`;
      return { code: 2, stdout, stderr };
    }
    stderr += `error: ${(e as Error).message}\n`;
    return { code: 1, stdout, stderr };
  }
}
