// Two server processes on one PostgreSQL, started at the same moment on an
// empty database: a session opened on one works on the other, login throttling
// counts failures made on both, and each queued job runs exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_CLEANUP } from '../../../src/platform/auth/cleanup-job.ts';
import { ADMIN_PASSWORD, backend, Client, freePort, freshDatabase, SECRET, type TestDb } from '../../support/platform.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Server = { child: ChildProcess; base: string; output: () => string };
const servers: Server[] = [];
let tdb: TestDb;
let sql: pg.Client;

function start(url: string, port: number): Server {
  let out = '';
  const child = spawn(NODE, ['src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      MSCORE_SECRET_KEY: SECRET,
      MSCORE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MSCORE_DEMO_MONTHS: '0',
      MSCORE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, base: `http://127.0.0.1:${port}`, output: () => out };
}

describe.skipIf(backend !== 'postgres')('two server processes on one PostgreSQL', () => {
  beforeAll(async () => {
    tdb = await freshDatabase();
    const url = tdb.url as string;
    const [p1, p2] = [await freePort(), await freePort()];
    servers.push(start(url, p1), start(url, p2));
    for (const s of servers) {
      await poll(`server ${s.base} (${s.output()})`, async () => (await fetch(`${s.base}/api/health`)).ok);
    }
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.child.exitCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
            setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await tdb?.drop();
  }, 30_000);

  it('both started on the empty database: one tenant, one set of built-ins', async () => {
    const count = async (q: string) => Number((await sql.query(q)).rows[0].n);
    expect(await count('select count(*) as n from tenants')).toBe(1);
    expect(await count(`select count(*) as n from users where username = 'admin'`)).toBe(1);
    expect(await count(`select count(*) as n from instruments where code = 'MSCORE_PHONE'`)).toBe(1);
    expect(await count(`select count(*) as n from score_indices where code = 'SIPAS'`)).toBe(1);
  });

  it('a session opened on one process works on the other, and a logout on either ends it', async () => {
    const [a, b] = servers as [Server, Server];
    const onA = new Client(a.base);
    expect((await onA.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const onB = new Client(b.base);
    onB.cookie = onA.cookie;
    onB.csrf = onA.csrf;
    const me = await onB.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('admin');
    // a write made through B with the session from A
    const u = await onB.post('/api/v1/users', { username: 'two.proc', displayName: 'Two', password: 'two-processes-password' });
    expect(u.status).toBe(201);
    expect((await onB.post('/api/v1/auth/logout')).status).toBeLessThan(300);
    expect((await onA.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('login throttling counts the failures made on both processes', async () => {
    const [a, b] = servers as [Server, Server];
    for (let i = 0; i < 3; i++) expect((await new Client(a.base).login('two.proc', 'wrong-password-1')).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await new Client(b.base).login('two.proc', 'wrong-password-1')).status).toBe(401);
    // five failures in all: both now refuse, even the right password
    const ra = await new Client(a.base).login('two.proc', 'two-processes-password');
    expect(ra.status).toBe(429);
    expect(ra.body.code).toBe('auth.throttled');
    expect((await new Client(b.base).login('two.proc', 'two-processes-password')).status).toBe(429);
  });

  it('each queued job runs exactly once', async () => {
    const boss = new PgBoss({ connectionString: tdb.url as string, supervise: false, schedule: false, max: 2 });
    await boss.start();
    const marker = randomUUID();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 20; i++) ids.push((await boss.send(SESSION_CLEANUP, { marker, i })) as string);
    } finally {
      await boss.stop({ graceful: false, close: true, wait: true });
    }
    expect(new Set(ids).size).toBe(20);
    const runs = async () =>
      (await sql.query('select job_id, process, status from job_runs where job_id = any($1::text[])', [ids])).rows as {
        job_id: string;
        process: string;
        status: string;
      }[];
    await poll('20 job runs', async () => (await runs()).length >= 20);
    // give a duplicate the time to show up
    await new Promise((r) => setTimeout(r, 3000));
    const done = await runs();
    expect(done).toHaveLength(20);
    expect(new Set(done.map((r) => r.job_id)).size).toBe(20);
    expect(done.every((r) => r.status === 'ok')).toBe(true);
    const pids = new Set(servers.map((s) => String(s.child.pid)));
    expect(done.every((r) => pids.has(r.process.split(':').at(-1) as string))).toBe(true);
  }, 90_000);
});
