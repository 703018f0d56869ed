// Cold and warm start of the server (time until /api/health answers, and its
// memory) on PGlite and on PostgreSQL, beside a bare Node HTTP server's start.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const root = path.join(import.meta.dirname, '..');
const node = process.execPath;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Starts a process, polls `url` until it answers 200, and returns ms, memory and a stop function. */
async function startAndWait(args: string[], env: Record<string, string>, url: string) {
  const t0 = performance.now();
  const child = spawn(node, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited: ${stderr}`);
    if (performance.now() - t0 > 120_000) throw new Error('start took longer than 120 s');
    try {
      const r = await fetch(url);
      if (r.status === 200) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500)); // let start-up work settle before reading memory
  const mem = memory(child.pid as number);
  return {
    ms,
    ...mem,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function serverStart(env: Record<string, string>) {
  const port = await freePort();
  const s = await startAndWait(
    ['src/main.ts'],
    { PORT: String(port), HOST: '127.0.0.1', MSCORE_LOG_LEVEL: 'warn', MSCORE_ADMIN_PASSWORD: 'bench-admin-password', ...env },
    `http://127.0.0.1:${port}/api/health`,
  );
  await s.stop();
  return s;
}

export async function run(): Promise<Figure[]> {
  const port = await freePort();
  const bare = await startAndWait(
    ['-e', `require('node:http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1')`],
    {},
    `http://127.0.0.1:${port}/`,
  );
  await bare.stop();
  const figures: Figure[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-'));
  try {
    const cold = await serverStart({ MSCORE_DATA_DIR: dir });
    const warm = await serverStart({ MSCORE_DATA_DIR: dir });
    figures.push(
      {
        name: 'first start, PGlite, empty database (migrations, demo province and its 24-month history)',
        value: cold.ms,
        unit: 'ms',
        baseline: bare.ms,
        note: 'baseline: bare Node HTTP server start; target 60 s',
      },
      { name: 'start, PGlite, existing database', value: warm.ms, unit: 'ms', baseline: bare.ms },
      {
        name: 'RSS after start, PGlite (first start)',
        value: cold.rss,
        unit: 'MB',
        baseline: bare.rss,
        note: `peak ${cold.peak.toFixed(0)} MB`,
      },
      {
        name: 'RSS after start, PGlite (existing database)',
        value: warm.rss,
        unit: 'MB',
        baseline: bare.rss,
        note: `peak ${warm.peak.toFixed(0)} MB`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `mscore_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (e) {
    figures.push({
      name: 'start, PostgreSQL',
      value: Number.NaN,
      unit: 'ms',
      note: `PostgreSQL not reachable: ${(e as Error).message}`,
    });
    return figures;
  }
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const env = { DATABASE_URL: url.toString(), MSCORE_SECRET_KEY: 'bench-secret-key-0123456789-0123456789' };
    const cold = await serverStart(env);
    const warm = await serverStart(env);
    figures.push(
      {
        name: 'first start, PostgreSQL, empty database (migrations, demo province and its 24-month history)',
        value: cold.ms,
        unit: 'ms',
        baseline: bare.ms,
      },
      { name: 'start, PostgreSQL, existing database', value: warm.ms, unit: 'ms', baseline: bare.ms },
      {
        name: 'RSS after start, PostgreSQL (app process)',
        value: warm.rss,
        unit: 'MB',
        baseline: bare.rss,
        note: `peak ${warm.peak.toFixed(0)} MB`,
      },
    );
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return figures;
}
