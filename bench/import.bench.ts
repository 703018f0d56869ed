// Import of a 1,000,000-row monthly list (CSV, full validation) with `mscore
// import` as its own process, on PostgreSQL and on PGlite: time and peak memory.
// Baseline: COPY of the same file's rows into a plain table of the same database.
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeDossierCsv } from './lib/lists.ts';
import { BENCH_SECRET, freshPostgres, mscore, root } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);

/** Runs `mscore import` and samples its peak memory from /proc while it runs. */
async function timedImport(file: string, env: Record<string, string>) {
  const t0 = performance.now();
  const child = spawn(path.join(root, 'bin/mscore'), ['import', file, '--unit', 'QT-DKR-MC', '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {}
  }, 100);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  clearInterval(timer);
  if (code !== 0) throw new Error(`mscore import exited ${code}`);
  const report = JSON.parse(out) as { rows: number; accepted: number; rejected: number; unchanged: number };
  return { seconds: (performance.now() - t0) / 1000, peakMb: peak, report };
}

async function copyBaseline(url: string, file: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    'create table copy_baseline (stt text, code text, service text, received text, due text, returned text, name text, phone text)',
  );
  const t0 = performance.now();
  const stream = c.query(copyFrom('copy copy_baseline from stdin with (format csv, header false)'));
  // Same bytes as the import, minus the title, header and footer lines.
  const src = createReadStream(file);
  let first = true;
  let rest = '';
  for await (const chunk of src) {
    const text = rest + String(chunk);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    const body = (first ? lines.slice(3) : lines).filter((l) => /^\d/.test(l));
    first = false;
    if (!stream.write(`${body.join('\n')}\n`)) await new Promise((r) => stream.once('drain', r));
  }
  await new Promise<void>((res, rej) => {
    stream.on('finish', () => res()).on('error', rej);
    stream.end();
  });
  const s = (performance.now() - t0) / 1000;
  await c.end();
  return ROWS / s;
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-import-'));
  const file = path.join(dir, 'list.csv');
  await writeDossierCsv(file, ROWS);
  const mb = statSync(file).size / 1048576;
  const figures: Figure[] = [];
  try {
    const db = await freshPostgres('mscore_bench_import');
    try {
      const env = {
        DATABASE_URL: db.url,
        MSCORE_SECRET_KEY: BENCH_SECRET,
        MSCORE_ADMIN_PASSWORD: 'bench-admin-password',
        MSCORE_DEMO_MONTHS: '0',
      };
      mscore(['migrate'], env);
      const first = await timedImport(file, env);
      const again = await timedImport(file, env);
      const baseline = await copyBaseline(db.url, file);
      figures.push(
        {
          name: `import ${ROWS.toLocaleString('en')}-row CSV (${mb.toFixed(0)} MB), PostgreSQL`,
          value: ROWS / first.seconds,
          unit: 'rows/s',
          baseline,
          note: `${first.seconds.toFixed(1)} s; peak RSS ${first.peakMb.toFixed(0)} MB; ${first.report.accepted} new, ${first.report.rejected} rejected; baseline: COPY of the same rows`,
        },
        {
          name: 'same file again (idempotent: nothing changes), PostgreSQL',
          value: ROWS / again.seconds,
          unit: 'rows/s',
          baseline,
          note: `${again.seconds.toFixed(1)} s; peak RSS ${again.peakMb.toFixed(0)} MB; ${again.report.unchanged} unchanged`,
        },
      );
    } finally {
      await db.drop();
    }
    if (process.env.BENCH_SKIP_PGLITE !== '1') {
      const dataDir = path.join(dir, 'data');
      const env = {
        MSCORE_DATA_DIR: dataDir,
        MSCORE_ADMIN_PASSWORD: 'bench-admin-password',
        MSCORE_DEMO_MONTHS: '0',
        DATABASE_URL: '',
      };
      mscore(['migrate'], env);
      const r = await timedImport(file, env);
      figures.push({
        name: `import ${ROWS.toLocaleString('en')}-row CSV, PGlite`,
        value: ROWS / r.seconds,
        unit: 'rows/s',
        note: `${r.seconds.toFixed(1)} s; peak RSS ${r.peakMb.toFixed(0)} MB; ${r.report.accepted} new`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
