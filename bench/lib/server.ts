// Runs an mscore server as a child process for a benchmark (load comes from the bench process).
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const root = path.join(import.meta.dirname, '..', '..');
export const BENCH_SECRET = 'bench-secret-key-0123456789-0123456789';
/** `admin`'s password on the servers startServer() starts. */
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database on the benchmark PostgreSQL server; drop() removes it. */
export async function freshPostgres(prefix: string) {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${process.pid}_${Date.now() % 100000}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Runs `mscore ARGS` to completion and returns its standard output; killed after `timeoutMs` if given. */
export function mscore(args: string[], env: Record<string, string>, timeoutMs?: number): string {
  return execFileSync(process.execPath, [path.join(root, 'src/cli.ts'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

export async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MSCORE_LOG_LEVEL: 'warn',
      MSCORE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      MSCORE_DEMO_MONTHS: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited');
    if (Date.now() - t0 > 120_000) throw new Error('server did not start in 120 s');
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function api(url: string, init: RequestInit, expect: number): Promise<any> {
  const r = await fetch(url, init);
  const text = await r.text();
  if (r.status !== expect) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Logs in as admin (cookie and anti-forgery token) and makes an admin bearer token, which needs neither. */
export async function adminToken(base: string, name = 'bench-scores'): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${(await login.text()).slice(0, 300)}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const t = await api(
    `${base}/api/v1/tokens`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name, role: 'admin', unitCode: null }),
    },
    201,
  );
  return t.token as string;
}
