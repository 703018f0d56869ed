// A real `mscore` server as its own process on a test database, for tests
// that kill it and start it again.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ADMIN_PASSWORD, SECRET, type TestDb } from './platform.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

/** The environment of a server (or an `mscore` command) on this database and port. */
export function serverEnv(d: TestDb, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    MSCORE_DATA_DIR: d.dataDir,
    ...(d.url ? { DATABASE_URL: d.url } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    MSCORE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    MSCORE_DEMO_MONTHS: '0',
    MSCORE_SECRET_KEY: SECRET,
    MSCORE_LOG_LEVEL: 'warn',
  };
}

/** Starts the server and waits until /api/health answers; `children` collects it for the test's cleanup. */
export async function startServerProcess(d: TestDb, port: number, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(NODE, ['src/main.ts'], { cwd: ROOT, env: serverEnv(d, port), stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (x) => (err += x));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${err}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200) return child;
    } catch {}
    if (Date.now() > deadline) throw new Error(`the server did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
