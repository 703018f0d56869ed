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
