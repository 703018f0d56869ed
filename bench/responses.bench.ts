// The response intake under load: KIOSK_QUICK ratings posted by autocannon from
// this process to a server process, on PostgreSQL (batches of 500; single POSTs
// from 50 connections to one unit and to 20 units; single POSTs again once the
// table holds BENCH_RESPONSE_ROWS rows) and on PGlite. Every request carries
// fresh ids, and the rows stored are counted against the 2xx answers.
// Baseline: a bare Fastify process answering the same POSTs with the same load.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { BENCH_SECRET, freePort, freshPostgres, mscore, root, startServer } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROWS = Number(process.env.BENCH_RESPONSE_ROWS ?? 1_000_000);
const BATCH = 500;
const SINGLE_CONNECTIONS = 50;
const BATCH_CONNECTIONS = 4;
const UNIT = 'QT-DH-MC';
const GOOD = ['on_time', 'friendly_staff', 'clear_guidance', 'fast', 'professional'];
const BAD = ['long_wait', 'unclear_guidance', 'asked_to_return', 'asked_for_money', 'unfriendly_staff'];

/** 20 units of the demo province that have a sector (the kiosk instrument's units), UNIT first. */
function demoUnits(): string[] {
  const rows = readFileSync(path.join(root, 'src/demo/quang-tri-units.csv'), 'utf8').trim().split('\n').slice(1);
  const codes = rows
    .map((l) => l.split(','))
    .filter((c) => c[3])
    .map((c) => c[0] as string);
  return [UNIT, ...codes.filter((c) => c !== UNIT)].slice(0, 20);
}

/** A kiosk rating as a tablet sends it: mostly satisfied, a few reasons ticked. */
function rating(unit: string, submittedAt: string) {
  const r = Math.random();
  const overall = r < 0.4 ? 4 : r < 0.75 ? 3 : r < 0.9 ? 2 : 1;
  const reasons = (overall >= 3 ? GOOD : BAD).filter(() => Math.random() < 0.3);
  const answers: Record<string, unknown> = { OVERALL: overall };
  if (reasons.length) answers[overall >= 3 ? 'REASONS_GOOD' : 'REASONS_BAD'] = reasons;
  return { id: randomUUID(), instrument: 'KIOSK_QUICK', channel: 'kiosk', unit, submittedAt, answers };
}

/** A tablet syncing: 500 ratings of one unit taken over the last week. */
function batchBody(unit: string): string {
  const now = Date.now();
  const responses = [];
  for (let i = 0; i < BATCH; i++)
    responses.push(rating(unit, new Date(now - Math.floor(Math.random() * 7 * 86400_000)).toISOString()));
  return JSON.stringify({ responses });
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

type Phase = {
  result: autocannon.Result;
  /** requests handed to the load tool (an upper bound of what the server may have stored) */
  sent: number;
  /** 2xx answers, and the responses they report as created */
  ok: number;
  created: number;
  firstError?: string;
};

/** POSTs `body()` to `url` from `connections` connections for `seconds`. */
async function load(url: string, token: string, connections: number, seconds: number, body: () => string): Promise<Phase> {
  let sent = 0;
  let created = 0;
  let firstError: string | undefined;
  const batch = url.endsWith('/batch');
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (req: autocannon.Request) => {
          sent++;
          return { ...req, body: body() };
        },
        onResponse: (status: number, text: string) => {
          if (status >= 300) firstError ??= `${status} ${text.slice(0, 300)}`;
          else if (batch) created += (JSON.parse(text) as { created: number }).created;
          else if (status === 201) created++;
        },
      },
    ],
  });
  return { result, sent: sent * (batch ? BATCH : 1), ok: result['2xx'] * (batch ? BATCH : 1), created, firstError };
}

/** Waits until the count stops moving (requests still in flight when the load tool stopped). */
async function settledCount(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const n = await count();
    if (n === last) return n;
    last = n;
  }
  return last;
}

/** Rows stored by a phase against its 2xx answers; a warning figure when they disagree. */
function verify(name: string, p: Phase, stored: number, warnings: Figure[]): string {
  const errs = p.result.non2xx + p.result.errors;
  if (stored < p.created || stored > p.sent || p.created !== p.ok || errs > 0) {
    warnings.push({
      name: `WARNING ${name}: rows stored vs 2xx`,
      value: stored - p.created,
      unit: 'rows',
      note: `stored ${stored}, created per 2xx answers ${p.created} (expected ${p.ok}), sent ${p.sent}; ${p.result.non2xx} non-2xx, ${p.result.errors} errors${p.firstError ? `; first: ${p.firstError}` : ''}`,
    });
  }
  const late = stored - p.created;
  return `${stored} rows stored${late > 0 ? ` (${late} from requests in flight at stop)` : ''}; ${errs} errors/non-2xx`;
}

/** A bare Fastify process: the same POST (JSON parsed, 201 with a small JSON answer), no validation, no database. */
async function bareFastify(body: () => string, seconds: number) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const app = require('fastify')();
       app.post('/api/v1/responses', async (req, reply) => reply.status(201).send({ id: req.body.id, result: 'created' }));
       app.listen({ port: ${port}, host: '127.0.0.1' });`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let t0 = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error('bare Fastify exited');
    if (Date.now() - t0 > 30_000) throw new Error('bare Fastify did not start in 30 s');
    try {
      await fetch(url);
      break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  const r = await load(`${url}/api/v1/responses`, 'none', SINGLE_CONNECTIONS, seconds, body);
  const rss = memory(child.pid as number).rss;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { perSecond: r.result['2xx'] / r.result.duration, p50: r.result.latency.p50, p99: r.result.latency.p99, rss };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** Stops the server unless it has exited already (stop() waits for an exit that would never come). */
async function stopIfRunning(server: Server | undefined) {
  if (!server) return;
  try {
    process.kill(server.pid, 0);
  } catch {
    return;
  }
  await server.stop();
}

const perSecond = (p: Phase) => p.ok / p.result.duration;
const lat = (p: Phase) => `p50 ${p.result.latency.p50} ms, p99 ${p.result.latency.p99} ms`;

/**
 * Grows `responses` to `rows` rows the fastest honest way: one INSERT ... SELECT
 * per table inside PostgreSQL (COPY without the round trip), a year of KIOSK_QUICK
 * ratings over the 20 units with the intake's own shapes: random v4 ids inserted
 * in random order (so the primary key has the page splits and fill the API gives
 * it), an OVERALL row plus one row per reason ticked in response_answers, and the
 * counts folded into response_rollups as the background compaction leaves them
 * after a year (deltas are folded every minute, so a grown table has few).
 * Posting them through the batch endpoint would take minutes at ~3,000/s.
 * Then VACUUM ANALYZE and a CHECKPOINT, as autovacuum and time would have done.
 */
async function growTo(url: string, rows: number, units: string[]): Promise<{ added: number; seconds: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = performance.now();
    const have = Number((await c.query('select count(*) as n from responses')).rows[0].n);
    const add = rows - have;
    if (add <= 0) return { added: 0, seconds: 0 };
    const v = (
      await c.query(
        `select v.tenant_id, v.instrument_id, v.version, t.time_zone from instrument_versions v
         join instruments i on i.id = v.instrument_id join tenants t on t.id = v.tenant_id
         where i.code = 'KIOSK_QUICK' and v.status = 'published' order by v.version desc limit 1`,
      )
    ).rows[0] as { tenant_id: string; instrument_id: string; version: number; time_zone: string };
    const unitIds = (
      await c.query('select id from units where tenant_id = $1 and code = any($2::text[])', [v.tenant_id, units])
    ).rows.map((r: { id: string }) => r.id);
    await c.query('begin');
    await c.query(
      `create temp table seed on commit drop as
       select s.*, array(
           select x from unnest(case when s.overall >= 3 then $3::text[] else $4::text[] end) x
           where random() < 0.3 and s.id is not null) as reasons
       from (
         select gen_random_uuid() as id, ($1::uuid[])[1 + g % cardinality($1::uuid[])] as unit_id,
           (current_date - (g % 365))::date as day,
           case when r < 0.4 then 4 when r < 0.75 then 3 when r < 0.9 then 2 else 1 end as overall
         from (select g, random() as r from generate_series(1, $2::int) g) gs
       ) s`,
      [unitIds, add, GOOD, BAD],
    );
    await c.query(
      `insert into responses (tenant_id, id, instrument_id, version, channel, unit_id, status, day, submitted_at,
         received_at, language, source_type, source_id, content_hash)
       select $1::uuid, id, $2::uuid, $3::int, 'kiosk', unit_id, 'complete', day, ts, ts + interval '2 seconds', 'vi',
         'token', 'bench', decode(md5(id::text) || md5(reverse(id::text)), 'hex')
       from (select *, (day + time '07:30' + random() * interval '9 hours') at time zone $4 as ts from seed) s`,
      [v.tenant_id, v.instrument_id, v.version, v.time_zone],
    );
    await c.query(
      `insert into response_answers (tenant_id, response_id, item, ord, value, num)
       select $1::uuid, id, 'OVERALL', 0, overall::text, overall from seed
       union all
       select $1::uuid, id, case when overall >= 3 then 'REASONS_GOOD' else 'REASONS_BAD' end, (o - 1)::int2, x, null
       from seed, unnest(reasons) with ordinality u(x, o)`,
      [v.tenant_id],
    );
    await c.query(
      `insert into response_rollups as t (tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag, count)
       select $1::uuid, unit_id, day, 'kiosk', $2::uuid, $3::int, item, value, '', count(*)
       from (
         select unit_id, day, '_n' as item, '' as value from seed
         union all select unit_id, day, 'OVERALL', overall::text from seed
         union all select unit_id, day, case when overall >= 3 then 'REASONS_GOOD' else 'REASONS_BAD' end, x
         from seed, unnest(reasons) x
       ) k
       group by unit_id, day, item, value
       on conflict (tenant_id, unit_id, day, channel, instrument_id, version, item, value, flag)
       do update set count = t.count + excluded.count`,
      [v.tenant_id, v.instrument_id, v.version],
    );
    await c.query('commit');
    await c.query('vacuum analyze responses, response_answers, response_rollups');
    await c.query('checkpoint');
    return { added: add, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await c.end();
  }
}

async function postgresPhases(bare: { perSecond: number; p50: number; p99: number }, units: string[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const warnings: Figure[] = [];
  const db = await freshPostgres('mscore_bench_responses');
  const env = { DATABASE_URL: db.url, MSCORE_SECRET_KEY: BENCH_SECRET };
  const counter = new pg.Client({ connectionString: db.url });
  let server: Server | undefined;
  try {
    const srv = await startServer(env);
    server = srv;
    const startRss = memory(srv.pid).rss;
    await counter.connect();
    const count = async () => Number((await counter.query('select count(*) as n from responses')).rows[0].n);
    const token = mscore(['token', 'create', '--name', 'bench', '--role', 'data_clerk'], env).trim();
    const single = `${srv.url}/api/v1/responses`;
    const now = () => new Date().toISOString();
    const oneUnit = () => JSON.stringify(rating(UNIT, now()));
    let u = 0;
    const spread = () => JSON.stringify(rating(units[u++ % units.length] as string, now()));
    let b = 0;
    const batches = () => batchBody(units[b++ % units.length] as string);
    let before = 0;
    const phase = async (name: string, p: Promise<Phase>) => {
      const r = await p;
      const after = await settledCount(count);
      const note = verify(name, r, after - before, warnings);
      before = after;
      return { r, note, rss: memory(srv.pid).rss };
    };

    // Warm-up (JIT, pools, caches): not reported, but its rows are counted too.
    await phase('warm-up', load(single, token, SINGLE_CONNECTIONS, 3, oneUnit));

    const same = await phase('PG single, one unit', load(single, token, SINGLE_CONNECTIONS, SECONDS, oneUnit));
    const small = await count();
    figures.push(
      {
        name: `PostgreSQL, single POSTs, ${SINGLE_CONNECTIONS} connections, one unit`,
        value: perSecond(same.r),
        unit: 'responses/s',
        baseline: bare.perSecond,
        note: `target >= 1,000/s; baseline: bare Fastify req/s; table at ${small} rows after it; ${same.note}; server RSS ${same.rss.toFixed(0)} MB`,
      },
      { name: '  same: p50 latency', value: same.r.result.latency.p50, unit: 'ms', baseline: bare.p50 },
      {
        name: '  same: p99 latency',
        value: same.r.result.latency.p99,
        unit: 'ms',
        baseline: bare.p99,
        note: 'target <= 100 ms',
      },
    );

    const many = await phase('PG single, 20 units', load(single, token, SINGLE_CONNECTIONS, SECONDS, spread));
    figures.push(
      {
        name: `PostgreSQL, single POSTs, ${SINGLE_CONNECTIONS} connections, ${units.length} units`,
        value: perSecond(many.r),
        unit: 'responses/s',
        baseline: bare.perSecond,
        note: `${lat(many.r)}; ${many.note}; server RSS ${many.rss.toFixed(0)} MB`,
      },
      { name: '  same: p99 latency', value: many.r.result.latency.p99, unit: 'ms', baseline: bare.p99 },
    );

    // After the single-POST phases, so that they run on a nearly empty table.
    const batch = await phase('PG batch', load(`${single}/batch`, token, BATCH_CONNECTIONS, SECONDS, batches));
    figures.push({
      name: `PostgreSQL, batches of ${BATCH} (${BATCH_CONNECTIONS} connections)`,
      value: perSecond(batch.r),
      unit: 'responses/s',
      note: `target >= 3,000/s; ${lat(batch.r)} per batch; ${batch.note}; server RSS ${batch.rss.toFixed(0)} MB`,
    });

    process.stderr.write(`  growing responses to ${ROWS.toLocaleString('en')} rows...\n`);
    const grown = await growTo(db.url, ROWS, units);
    before = await count();
    const big = await phase('PG single, grown table', load(single, token, SINGLE_CONNECTIONS, SECONDS, oneUnit));
    const size = (await counter.query(`select pg_total_relation_size('responses') / 1048576.0 as mb`)).rows[0].mb;
    figures.push(
      {
        name: `PostgreSQL, ${(before / 1e6).toFixed(2)}M rows, single POSTs, ${SINGLE_CONNECTIONS} connections, one unit`,
        value: perSecond(big.r),
        unit: 'responses/s',
        baseline: perSecond(same.r),
        note: `baseline: same phase on the small table; ${lat(big.r)}; ${big.note}; ${grown.added} rows added in ${grown.seconds.toFixed(0)} s (SQL); responses table ${Number(size).toFixed(0)} MB with indexes; server RSS ${big.rss.toFixed(0)} MB`,
      },
      {
        name: '  same: p99 latency',
        value: big.r.result.latency.p99,
        unit: 'ms',
        baseline: same.r.result.latency.p99,
        note: 'baseline: small table',
      },
    );
    const mem = memory(srv.pid);
    figures.push({
      name: 'server RSS after the PostgreSQL phases',
      value: mem.rss,
      unit: 'MB',
      note: `peak ${mem.peak.toFixed(0)} MB; after start ${startRss.toFixed(0)}, then at the end of each phase: one unit ${same.rss.toFixed(0)}, 20 units ${many.rss.toFixed(0)}, batch ${batch.rss.toFixed(0)}, grown ${big.rss.toFixed(0)}`,
    });
  } finally {
    await stopIfRunning(server);
    await counter.end().catch(() => {});
    await db.drop();
  }
  return [...figures, ...warnings];
}

async function pgliteCount(dataDir: string): Promise<number> {
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create(path.join(dataDir, 'pgdata'));
  try {
    return Number((await client.query<{ n: number }>('select count(*)::int as n from responses')).rows[0]?.n);
  } finally {
    await client.close();
  }
}

async function pglitePhases(bare: { perSecond: number; p50: number; p99: number }, units: string[]): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-responses-'));
  const env = { MSCORE_DATA_DIR: dir, DATABASE_URL: '', MSCORE_SECRET_KEY: BENCH_SECRET };
  const seconds = Math.max(3, Math.round(SECONDS / 2));
  const warnings: Figure[] = [];
  let server: Server | undefined;
  try {
    const srv = await startServer(env);
    server = srv;
    const token = mscore(['token', 'create', '--name', 'bench', '--role', 'data_clerk'], env).trim();
    const single = `${srv.url}/api/v1/responses`;
    const oneUnit = () => JSON.stringify(rating(UNIT, new Date().toISOString()));
    let b = 0;
    const batches = () => batchBody(units[b++ % units.length] as string);
    const warm = await load(single, token, SINGLE_CONNECTIONS, 2, oneUnit);
    const same = await load(single, token, SINGLE_CONNECTIONS, seconds, oneUnit);
    const sameRss = memory(srv.pid).rss;
    const batch = await load(`${single}/batch`, token, BATCH_CONNECTIONS, seconds, batches);
    const mem = memory(srv.pid);
    await new Promise((r) => setTimeout(r, 1000)); // requests in flight at stop
    await srv.stop();
    // The server held the data directory; it is free now, so count the rows here.
    const stored = await pgliteCount(dir);
    const all: Phase = {
      result: {
        ...batch.result,
        non2xx: warm.result.non2xx + same.result.non2xx + batch.result.non2xx,
        errors: warm.result.errors + same.result.errors + batch.result.errors,
      },
      sent: warm.sent + same.sent + batch.sent,
      ok: warm.ok + same.ok + batch.ok,
      created: warm.created + same.created + batch.created,
      firstError: warm.firstError ?? same.firstError ?? batch.firstError,
    };
    const check = verify('PGlite (all phases)', all, stored, warnings);
    return [
      {
        name: `PGlite, single POSTs, ${SINGLE_CONNECTIONS} connections, one unit`,
        value: perSecond(same),
        unit: 'responses/s',
        baseline: bare.perSecond,
        note: `${seconds} s; ${lat(same)}; server RSS ${sameRss.toFixed(0)} MB`,
      },
      {
        name: `PGlite, batches of ${BATCH} (${BATCH_CONNECTIONS} connections)`,
        value: perSecond(batch),
        unit: 'responses/s',
        note: `${seconds} s; ${lat(batch)} per batch; server RSS ${mem.rss.toFixed(0)} MB (peak ${mem.peak.toFixed(0)}); all PGlite phases: ${check}`,
      },
      ...warnings,
    ];
  } finally {
    await stopIfRunning(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const units = demoUnits();
  const bareSeconds = Math.max(3, Math.round(SECONDS / 2));
  const bare = await bareFastify(() => JSON.stringify(rating(UNIT, new Date().toISOString())), bareSeconds);
  const figures: Figure[] = [
    {
      name: `bare Fastify POST (JSON in and out), ${SINGLE_CONNECTIONS} connections`,
      value: bare.perSecond,
      unit: 'requests/s',
      note: `${bareSeconds} s; p50 ${bare.p50} ms, p99 ${bare.p99} ms; RSS ${bare.rss.toFixed(0)} MB; the baseline of the single-POST figures`,
    },
  ];
  figures.push(...(await postgresPhases(bare, units)));
  if (process.env.BENCH_SKIP_PGLITE !== '1') figures.push(...(await pglitePhases(bare, units)));
  return figures;
}
