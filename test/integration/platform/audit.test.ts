// The hash-chained audit log against a real platform: every action through the
// HTTP API writes its row in the action's own transaction, verifyAudit finds
// edited and deleted rows (the newest one included), and so do the HTTP
// endpoint and the `mscore audit verify` command.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonical, verifyAudit } from '../../../src/platform/audit.ts';
import { type Client, SECRET, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MSCORE = path.join(ROOT, 'bin/mscore');

let tp: TestPlatform;
let admin: Client;
let tenantId: string;

type AuditRow = {
  tenant_id: string;
  seq: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  details: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};

async function auditRows(): Promise<AuditRow[]> {
  const rows = await tp.ctx.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) })) as AuditRow[];
}

async function auditCount(): Promise<number> {
  const r = await tp.ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function headSeq(): Promise<number> {
  const h = await tp.ctx.db.selectFrom('audit_head').select('seq').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  return Number(h.seq);
}

async function deleteRow(seq: number): Promise<AuditRow> {
  const [row] = (await auditRows()).filter((r) => r.seq === seq);
  if (!row) throw new Error(`no audit row ${seq}`);
  await tp.ctx.db.deleteFrom('audit_log').where('tenant_id', '=', tenantId).where('seq', '=', seq).execute();
  return row;
}

async function restoreRow(row: AuditRow): Promise<void> {
  await tp.ctx.db
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details) })
    .execute();
}

/** Runs bin/mscore as a separate process against the test platform's database. */
function mscore(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    MSCORE_SECRET_KEY: SECRET,
    MSCORE_DATA_DIR: tp.config.dataDir,
    MSCORE_LOG_LEVEL: 'warn',
    ...(tp.tdb.url ? { DATABASE_URL: tp.tdb.url } : {}),
  };
  // Asynchronous on purpose: with PGlite the command runs inside this process's server.
  return new Promise((resolve) => {
    execFile(MSCORE, args, { env, cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
  const t = await tp.ctx.db.selectFrom('tenants').select('id').where('code', '=', tp.config.tenantCode).executeTakeFirstOrThrow();
  tenantId = t.id;
});

afterAll(async () => {
  await tp?.stop();
});

describe('audit rows are written with the actions', () => {
  let userId: string;
  let tokenId: string;

  it('starts with the bootstrap rows and an intact chain', async () => {
    const rows = await auditRows();
    expect(rows.map((r) => r.action)).toEqual([
      'tenant.create',
      'user.create',
      'units.import',
      'instrument.builtin_add',
      'index.builtin_add',
    ]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await headSeq()).toBe(5);
    expect(await verifyAudit(tp.ctx.db, tenantId)).toEqual({ ok: true, checked: 5, firstBadSeq: null, problem: null });
  });

  it('creating a user writes one row with actor, object and request id', async () => {
    const before = await auditCount();
    const r = await admin.post('/api/v1/users', { username: 'audit-alice', displayName: 'Alice', password: 'a-long-password-1' });
    expect(r.status).toBe(201);
    userId = r.body.id;
    const rows = await auditRows();
    expect(rows).toHaveLength(before + 1);
    const last = rows.at(-1) as AuditRow;
    expect(last).toMatchObject({
      seq: before + 1,
      actor_type: 'user',
      actor_name: 'admin',
      action: 'user.create',
      object_type: 'user',
      object_id: userId,
      details: { username: 'audit-alice', phone: 'none' },
      request_id: r.headers.get('x-request-id'),
    });
    expect(last.prev_hash).toBe(rows.at(-2)?.hash);
    expect(await headSeq()).toBe(before + 1);
  });

  it('a failed action (username taken -> 409) adds no row', async () => {
    const before = await auditCount();
    const r = await admin.post('/api/v1/users', {
      username: 'audit-alice',
      displayName: 'Alice again',
      password: 'another-long-password-2',
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('user.username_taken');
    expect(await auditCount()).toBe(before);
    expect(await headSeq()).toBe(before);
  });

  it('granting a role writes a grant.create row', async () => {
    const before = await auditCount();
    const r = await admin.post(`/api/v1/users/${userId}/grants`, { role: 'data_clerk', unitCode: 'QT-DH-MC' });
    expect(r.status).toBe(201);
    const last = (await auditRows()).at(-1) as AuditRow;
    expect(last).toMatchObject({
      seq: before + 1,
      action: 'grant.create',
      object_id: userId,
      details: { role: 'data_clerk', unit: 'QT-DH-MC' },
      request_id: r.headers.get('x-request-id'),
    });
    // Granting the same role again changes nothing and writes nothing.
    const again = await admin.post(`/api/v1/users/${userId}/grants`, { role: 'data_clerk', unitCode: 'QT-DH-MC' });
    expect(again.status).toBe(201);
    expect(await auditCount()).toBe(before + 1);
  });

  it('creating and revoking a token write token.create and token.revoke rows; a taken name writes none', async () => {
    const before = await auditCount();
    const c = await admin.post('/api/v1/tokens', { name: 'audit-erp', role: 'data_clerk', unitCode: 'QT-DH-MC' });
    expect(c.status).toBe(201);
    tokenId = c.body.id;
    const taken = await admin.post('/api/v1/tokens', { name: 'audit-erp', role: 'data_clerk', unitCode: 'QT-DH-MC' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('token.name_taken');
    expect(await auditCount()).toBe(before + 1);
    const d = await admin.delete(`/api/v1/tokens/${tokenId}`);
    expect(d.status).toBe(204);
    const rows = await auditRows();
    expect(rows).toHaveLength(before + 2);
    expect(rows.slice(-2).map((r) => [r.action, r.object_id, r.actor_name])).toEqual([
      ['token.create', tokenId, 'admin'],
      ['token.revoke', tokenId, 'admin'],
    ]);
    // The secret never reaches the audit log.
    expect(JSON.stringify(rows)).not.toContain(c.body.token);
  });

  it('the audit row is in the action’s transaction: when it cannot be written, the action is undone', async () => {
    await tp.ctx.database.execScript(`
      create function test_refuse_audit() returns trigger language plpgsql as $$
      begin
        if new.details->>'username' = 'audit-atomic' then raise exception 'audit write refused by the test'; end if;
        return new;
      end $$;
      create trigger test_refuse_audit before insert on audit_log for each row execute function test_refuse_audit();`);
    const before = await auditCount();
    try {
      const r = await admin.post('/api/v1/users', {
        username: 'audit-atomic',
        displayName: 'Atomic',
        password: 'a-long-password-3',
      });
      expect(r.status).toBe(500);
      expect(r.body.code).toBe('internal');
      const user = await tp.ctx.db.selectFrom('users').select('id').where('username', '=', 'audit-atomic').executeTakeFirst();
      expect(user).toBeUndefined();
      expect(await auditCount()).toBe(before);
      expect(await headSeq()).toBe(before);
    } finally {
      await tp.ctx.database.execScript('drop trigger test_refuse_audit on audit_log; drop function test_refuse_audit();');
    }
    const ok = await admin.post('/api/v1/users', {
      username: 'audit-atomic',
      displayName: 'Atomic',
      password: 'a-long-password-3',
    });
    expect(ok.status).toBe(201);
    expect(await auditCount()).toBe(before + 1);
  });

  it('verifyAudit reports ok with the number of rows', async () => {
    const n = await auditCount();
    expect(n).toBe(10); // 5 from the bootstrap (tenant, admin, units, built-in instruments and indices) + user, grant, token create + revoke, user
    expect(await verifyAudit(tp.ctx.db, tenantId)).toEqual({ ok: true, checked: n, firstBadSeq: null, problem: null });
  });
});

describe('the audit log over HTTP', () => {
  it('GET /api/v1/audit lists the newest rows first', async () => {
    const r = await admin.get('/api/v1/audit');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const n = await auditCount();
    expect(r.body).toHaveLength(n);
    expect(r.body.map((x: { seq: number }) => x.seq)).toEqual(Array.from({ length: n }, (_, i) => n - i));
    expect(r.body[n - 1]).toMatchObject({ seq: 1, action: 'tenant.create', actorType: 'system', actorName: 'bootstrap' });
    expect(r.body.find((x: { action: string }) => x.action === 'token.revoke')).toMatchObject({
      actorType: 'user',
      actorName: 'admin',
      objectType: 'api_token',
      details: { name: 'audit-erp' },
    });
    const two = await admin.get('/api/v1/audit?limit=2');
    expect(two.status).toBe(200);
    expect(two.body.map((x: { seq: number }) => x.seq)).toEqual([n, n - 1]);
  });

  it('GET /api/v1/audit/verify reports the chain', async () => {
    const r = await admin.get('/api/v1/audit/verify');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, checked: await auditCount(), firstBadSeq: null, problem: null });
  });

  it('needs a login and the admin role', async () => {
    expect((await tp.client().get('/api/v1/audit')).status).toBe(401);
    expect((await tp.client().get('/api/v1/audit/verify')).status).toBe(401);
    const clerk = tp.client();
    expect((await clerk.login('audit-alice', 'a-long-password-1')).status).toBe(200);
    const r = await clerk.get('/api/v1/audit/verify');
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('auth.forbidden');
  });
});

describe('tampering is detected', () => {
  it('`mscore audit verify` exits 0 on the intact log', async () => {
    const out = await mscore(['audit', 'verify']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`${tp.config.tenantCode}: ok, ${await auditCount()} rows`);
  });

  it('(a) an edited row: verifyAudit, HTTP and the CLI name it; restoring it makes the chain whole again', async () => {
    const n = await auditCount();
    const target = (await auditRows()).find((r) => r.action === 'grant.create') as AuditRow;
    expect(target.seq).toBeGreaterThan(1);
    expect(target.seq).toBeLessThan(n);
    const original = JSON.stringify(target.details);
    await sql`update audit_log set details = ${JSON.stringify({ role: 'admin', unit: null })}::jsonb
      where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(tp.ctx.db);

    const v = await verifyAudit(tp.ctx.db, tenantId);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(target.seq);
    expect(v.checked).toBe(target.seq - 1);
    expect(v.problem).toContain(`row ${target.seq} was altered`);

    const http = await admin.get('/api/v1/audit/verify');
    expect(http.status).toBe(200);
    expect(http.body).toMatchObject({ ok: false, firstBadSeq: target.seq });

    const out = await mscore(['audit', 'verify']);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toContain(`${tp.config.tenantCode}: BROKEN at row ${target.seq}: row ${target.seq} was altered`);

    await sql`update audit_log set details = ${original}::jsonb where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(
      tp.ctx.db,
    );
    expect(await verifyAudit(tp.ctx.db, tenantId)).toEqual({ ok: true, checked: n, firstBadSeq: null, problem: null });
    const after = await mscore(['audit', 'verify']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`${tp.config.tenantCode}: ok, ${n} rows`);
  });

  it('an edited field outside details (the actor) is detected too', async () => {
    const target = (await auditRows()).find((r) => r.action === 'token.create') as AuditRow;
    await sql`update audit_log set actor_name = 'someone-else' where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(
      tp.ctx.db,
    );
    const v = await verifyAudit(tp.ctx.db, tenantId);
    expect(v).toMatchObject({ ok: false, firstBadSeq: target.seq });
    await sql`update audit_log set actor_name = ${target.actor_name} where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(
      tp.ctx.db,
    );
    expect((await verifyAudit(tp.ctx.db, tenantId)).ok).toBe(true);
  });

  it('(b) deleting the newest row is detected through audit_head', async () => {
    const n = await auditCount();
    const removed = await deleteRow(n);
    const v = await verifyAudit(tp.ctx.db, tenantId);
    expect(v.ok).toBe(false);
    expect(v.checked).toBe(n - 1);
    expect(v.firstBadSeq).toBe(n);
    expect(v.problem).toContain(`recorded tip is row ${n}`);
    const http = await admin.get('/api/v1/audit/verify');
    expect(http.body).toMatchObject({ ok: false, firstBadSeq: n });
    await restoreRow(removed);
    expect(await verifyAudit(tp.ctx.db, tenantId)).toEqual({ ok: true, checked: n, firstBadSeq: null, problem: null });
  });

  it('(c) deleting a middle row is detected', async () => {
    const n = await auditCount();
    const middle = Math.floor(n / 2);
    const removed = await deleteRow(middle);
    const v = await verifyAudit(tp.ctx.db, tenantId);
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(middle);
    expect(v.checked).toBe(middle - 1);
    expect(v.problem).toContain(`row ${middle} is missing`);
    const out = await mscore(['audit', 'verify']);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toContain(`BROKEN at row ${middle}`);
    await restoreRow(removed);
    expect((await verifyAudit(tp.ctx.db, tenantId)).ok).toBe(true);
  });

  it('an edited row whose own hash was recomputed still breaks the link of the next row', async () => {
    // Rewriting a row and its hash is not enough: the next row's prev_hash gives it away.
    const rows = await auditRows();
    const target = rows[2] as AuditRow;
    const { hash: oldHash, ...rest } = target;
    const forged = { ...rest, details: { ...(target.details as object), forged: true } };
    const newHash = createHash('sha256')
      .update(canonical({ ...forged, at: forged.at.toISOString() }))
      .digest('hex');
    await sql`update audit_log set details = ${JSON.stringify(forged.details)}::jsonb, hash = ${newHash}
      where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(tp.ctx.db);
    const v = await verifyAudit(tp.ctx.db, tenantId);
    expect(v).toMatchObject({ ok: false, firstBadSeq: target.seq + 1, checked: target.seq });
    expect(v.problem).toContain(`row ${target.seq + 1} does not point at the hash of row ${target.seq}`);
    await sql`update audit_log set details = ${JSON.stringify(target.details)}::jsonb, hash = ${oldHash}
      where tenant_id = ${tenantId} and seq = ${target.seq}`.execute(tp.ctx.db);
    expect((await verifyAudit(tp.ctx.db, tenantId)).ok).toBe(true);
  });

  it('new actions continue the restored chain', async () => {
    const n = await auditCount();
    const r = await admin.post('/api/v1/users', { username: 'audit-bob', displayName: 'Bob', password: 'a-long-password-4' });
    expect(r.status).toBe(201);
    expect(await verifyAudit(tp.ctx.db, tenantId)).toEqual({ ok: true, checked: n + 1, firstBadSeq: null, problem: null });
  });
});
