// The event ingest API under load: batches of 1,000 events posted by autocannon
// from this process to a server process on PostgreSQL. Baseline: COPY of the
// same number of rows into a plain table of the same database.
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BENCH_SECRET, freshPostgres, mscore, startServer } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const BATCH = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

function batchBody(seq: number): string {
  const events = [];
  for (let i = 0; i < BATCH; i++) {
    const n = seq * BATCH + i;
    const day = 1 + (n % 28);
    events.push({
      unit: 'QT-DH-MC',
      externalId: `API-${n}`,
      kind: 'dossier',
      service: 'TTHC-HT-01',
      receivedAt: `2026-10-${String(day).padStart(2, '0')}T08:00:00+07:00`,
      dueAt: `2026-10-${String(Math.min(28, day + 3)).padStart(2, '0')}`,
      returnedAt: `2026-10-${String(Math.min(28, day + 2)).padStart(2, '0')}T15:00:00+07:00`,
      citizen: { name: 'Nguyễn Văn An', phone: `09${String(10000000 + n).slice(-8)}` },
    });
  }
  return JSON.stringify({ events });
}

async function copyBaseline(url: string, rows: number): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('create table copy_baseline (id text, unit text, received timestamptz, name text, phone text)');
  const t0 = performance.now();
  const stream = c.query(copyFrom('copy copy_baseline from stdin'));
  for (let i = 0; i < rows; i++) {
    if (!stream.write(`B-${i}\tQT-DH-MC\t2026-10-01 08:00:00+07\tNguyễn Văn An\t09${i}\n`)) {
      await new Promise((r) => stream.once('drain', r));
    }
  }
  await new Promise<void>((res, rej) => {
    stream.on('finish', () => res()).on('error', rej);
    stream.end();
  });
  const s = (performance.now() - t0) / 1000;
  await c.end();
  return rows / s;
}

export async function run(): Promise<Figure[]> {
  const db = await freshPostgres('mscore_bench_ingest');
  const env = { DATABASE_URL: db.url, MSCORE_SECRET_KEY: BENCH_SECRET };
  try {
    const server = await startServer(env);
    const token = mscore(['token', 'create', '--name', 'bench', '--role', 'data_clerk'], env).trim();
    let seq = 0;
    const result = await autocannon({
      url: `${server.url}/api/v1/events`,
      connections: 4,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          setupRequest: (req: autocannon.Request) => ({ ...req, body: batchBody(seq++) }),
        },
      ],
    });
    await server.stop();
    const ok = result['2xx'];
    const perSecond = (ok * BATCH) / result.duration;
    const baseline = await copyBaseline(db.url, 200_000);
    return [
      {
        name: 'ingest API, PostgreSQL, batches of 1,000 (4 connections)',
        value: perSecond,
        unit: 'events/s',
        baseline,
        note: `baseline: raw rows/s into the same database; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms per batch; ${result.non2xx} non-2xx`,
      },
    ];
  } finally {
    await db.drop();
  }
}
