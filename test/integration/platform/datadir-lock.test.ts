// The embedded database's directory lock with real server processes: a second
// opener (in-process or another server) is refused with a clear message, the
// `mscore` command runs inside the server that holds the directory, and a
// graceful stop releases the lock. Also: configuration validation.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { DataDirBusyError, lockFile } from '../../../src/db/datadir-lock.ts';
import { openDatabase } from '../../../src/db/index.ts';
import { ADMIN_PASSWORD, freePort, SECRET } from '../../support/platform.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const MSCORE = path.join(ROOT, 'bin/mscore');

const tempDirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'mscore-lock-'));
  tempDirs.push(d);
  return d;
}

function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', MSCORE_LOG_LEVEL: 'warn', ...extra };
}

type Proc = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

function startServer(dataDir: string, port: number): Proc {
  const child = spawn(NODE, ['src/main.ts'], {
    cwd: ROOT,
    env: baseEnv({
      MSCORE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      MSCORE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MSCORE_DEMO_MONTHS: '0',
      MSCORE_SECRET_KEY: SECRET,
      MSCORE_LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

function mscore(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(MSCORE, args, { cwd: ROOT, env: baseEnv(env), timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!!process.env.TEST_DATABASE_URL)('the embedded data directory is held by one process', () => {
  let dataDir: string;
  let port: number;
  let server: Proc;
  const base = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    dataDir = tempDir();
    port = await freePort();
    server = startServer(dataDir, port);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.child.exitCode !== null) {
        throw new Error(`the server exited with ${server.child.exitCode}:\n${server.stderr()}\n${server.stdout()}`);
      }
      try {
        const r = await fetch(`${base()}/api/health`);
        if (r.status === 200) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`the server did not become healthy:\n${server.stderr()}\n${server.stdout()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('the health check answers from the embedded database', async () => {
    const r = await fetch(`${base()}/api/health`);
    expect(await r.json()).toMatchObject({ status: 'ok', database: 'pglite' });
  });

  it('publishes its pid, port and a control token in an owner-only lock file', () => {
    const file = lockFile(dataDir);
    const info = JSON.parse(readFileSync(file, 'utf8'));
    expect(info).toMatchObject({ pid: server.child.pid, port });
    expect(typeof info.controlToken).toBe('string');
    expect(info.controlToken.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('(a) openDatabase in another process is refused with DataDirBusyError naming the pid and port', async () => {
    const err = await openDatabase({ dataDir }).then(
      async (d) => {
        await d.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataDirBusyError);
    const e = err as DataDirBusyError;
    expect(e.holder.pid).toBe(server.child.pid);
    expect(e.message).toContain(`process ${server.child.pid}`);
    expect(e.message).toContain(`port ${port}`);
    // The refusal left the holder's lock in place.
    expect(JSON.parse(readFileSync(lockFile(dataDir), 'utf8')).pid).toBe(server.child.pid);
  });

  it('(b) a second server on the same directory exits non-zero at once with a clear message', async () => {
    const second = startServer(dataDir, await freePort());
    const { code } = await withTimeout(second.exited, 15_000, 'the second server to exit');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(second.stderr()).toContain(`in use by process ${server.child.pid}`);
    expect(second.stderr()).toContain(`port ${port}`);
    // The first server is unharmed.
    expect((await fetch(`${base()}/api/health`)).status).toBe(200);
    expect(JSON.parse(readFileSync(lockFile(dataDir), 'utf8')).pid).toBe(server.child.pid);
  });

  it('(c) `mscore token create` runs inside the server; the token reads only its unit subtree', async () => {
    const out = await mscore(['token', 'create', '--name', 'erp', '--role', 'data_clerk', '--unit', 'QT-DH-MC'], {
      MSCORE_DATA_DIR: dataDir,
      MSCORE_SECRET_KEY: SECRET,
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const token = out.stdout.trim();
    expect(token).toMatch(/^mst_[A-Za-z0-9_-]{40,}$/);

    const r = await fetch(`${base()}/api/v1/units`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const units = (await r.json()) as { code: string; parentCode: string | null }[];
    expect(units.length).toBeGreaterThan(0);
    // Every unit returned lies in the QT-DH-MC subtree: it or a descendant.
    const byCode = new Map(units.map((u) => [u.code, u]));
    expect(byCode.has('QT-DH-MC')).toBe(true);
    for (const u of units) {
      let c: string | null = u.code;
      while (c && c !== 'QT-DH-MC') c = byCode.get(c)?.parentCode ?? null;
      expect(c, `${u.code} is outside QT-DH-MC`).toBe('QT-DH-MC');
    }
    expect(byCode.has('QT')).toBe(false);
    expect(byCode.has('QT-DH')).toBe(false);

    // Writes are outside a data clerk's role; a wrong token is refused.
    const w = await fetch(`${base()}/api/v1/units/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: 'code,name,kind,sector,parent_code,kiosks\nX-1,X,other,,QT-DH-MC,0\n',
    });
    expect(w.status).toBe(403);
    const bad = await fetch(`${base()}/api/v1/units`, { headers: { authorization: `Bearer ${token}x` } });
    expect(bad.status).toBe(401);

    // The same name again is refused by the server, with the command's exit code.
    const again = await mscore(['token', 'create', '--name', 'erp', '--role', 'data_clerk', '--unit', 'QT-DH-MC'], {
      MSCORE_DATA_DIR: dataDir,
      MSCORE_SECRET_KEY: SECRET,
    });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('token.name_taken');
  });

  it('(d) SIGTERM stops the server gracefully: exit 0, lock file gone, the directory opens again', async () => {
    expect(server.child.kill('SIGTERM')).toBe(true);
    const { code, signal } = await withTimeout(server.exited, 15_000, 'the server to stop after SIGTERM');
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(existsSync(lockFile(dataDir))).toBe(false);
    const d = await openDatabase({ dataDir });
    try {
      expect(d.kind).toBe('pglite');
      // The data written by the server is there: the token created through the CLI.
      const t = await d.db.selectFrom('api_tokens').select(['name', 'role']).execute();
      expect(t).toEqual([{ name: 'erp', role: 'data_clerk' }]);
      expect(existsSync(lockFile(dataDir))).toBe(true);
    } finally {
      await d.close();
    }
    expect(existsSync(lockFile(dataDir))).toBe(false);
  });
});

describe('configuration', () => {
  const dir = () => tempDir();

  function configError(env: Record<string, string>): ConfigError {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  }

  it('rejects a port that is not a number', () => {
    const e = configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: SECRET, PORT: 'abc' });
    expect(e.message).toMatch(/PORT/);
    expect(e.problems).toHaveLength(1);
    expect(configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: SECRET, PORT: '70000' }).message).toMatch(/PORT/);
  });

  it('rejects a secret key shorter than 32 characters', () => {
    const e = configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: 'x'.repeat(31) });
    expect(e.message).toContain('MSCORE_SECRET_KEY');
    expect(e.message).toContain('32');
  });

  it('rejects DATABASE_URL without MSCORE_SECRET_KEY', () => {
    const d = dir();
    const e = configError({ MSCORE_DATA_DIR: d, DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' });
    expect(e.message).toContain('MSCORE_SECRET_KEY');
    expect(e.message).toContain('DATABASE_URL');
    // No key file is made up for a PostgreSQL deployment.
    expect(existsSync(path.join(d, 'secret.key'))).toBe(false);
    expect(configError({ MSCORE_DATA_DIR: d, MSCORE_SECRET_KEY: SECRET, DATABASE_URL: 'mysql://x' }).message).toContain(
      'DATABASE_URL',
    );
  });

  it('rejects an unknown time zone', () => {
    const e = configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: SECRET, MSCORE_TIME_ZONE: 'Asia/Atlantis' });
    expect(e.message).toContain('MSCORE_TIME_ZONE');
    expect(e.message).toContain('Asia/Atlantis');
  });

  it('reports every problem at once', () => {
    const e = configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: 'short', PORT: 'abc', MSCORE_LOG_LEVEL: 'loud' });
    expect(e.problems).toHaveLength(3);
    for (const v of ['PORT', 'MSCORE_SECRET_KEY', 'MSCORE_LOG_LEVEL']) expect(e.message).toContain(v);
  });

  it('reports problems of both checks together (a bad port and an unknown time zone)', () => {
    // "Every problem is reported at once" (src/config.ts): the time-zone check must not wait for the port to be fixed.
    const e = configError({ MSCORE_DATA_DIR: dir(), MSCORE_SECRET_KEY: SECRET, PORT: 'abc', MSCORE_TIME_ZONE: 'Asia/Atlantis' });
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('MSCORE_TIME_ZONE');
  });

  it('accepts a valid environment', () => {
    const d = dir();
    const c = loadConfig({
      MSCORE_DATA_DIR: d,
      MSCORE_SECRET_KEY: SECRET,
      PORT: '8080',
      MSCORE_TIME_ZONE: 'Asia/Bangkok',
      MSCORE_JOBS: 'off',
    });
    expect(c).toMatchObject({
      port: 8080,
      dataDir: d,
      secretKey: SECRET,
      timeZone: 'Asia/Bangkok',
      jobs: false,
      databaseUrl: undefined,
    });
  });

  it('embedded mode without a key writes secret.key (0600) once and reads it back', () => {
    const d = path.join(dir(), 'nested', 'data');
    const first = loadConfig({ MSCORE_DATA_DIR: d });
    const file = path.join(d, 'secret.key');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    const second = loadConfig({ MSCORE_DATA_DIR: d });
    expect(second.secretKey).toBe(first.secretKey);
    // Another directory gets another key.
    expect(loadConfig({ MSCORE_DATA_DIR: dir() }).secretKey).not.toBe(first.secretKey);
  });
});
