// Latency of the score queries people look at, on the demo province history
// (`mscore demo generate --until 2026-10 --months BENCH_SCORES_MONTHS`, 24 by
// default, loaded in bulk), on
// PostgreSQL and on PGlite (BENCH_SKIP_PGLITE=1 skips it): scores of a month,
// a quarter and a year from the rollups, raw-answer indices, the event-based
// on-time share, the public rankings of a published snapshot and the index
// list, each under autocannon load from this process (CONNECTIONS connections,
// BENCH_SCORES_SECONDS each). Every answer must be 200, or the bench fails.
// Baseline: a bare Fastify process answering the month's JSON with the same load.
// BENCH_SCORES_NATIONAL_URL=postgres://…/db (a database filled by `mscore demo
// generate --scale national`, whose key is in MSCORE_SECRET_KEY) measures the
// same queries there instead, for one province (BENCH_SCORES_TENANT, default
// VN-HCM, the largest) with the whole nation in the tables.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type GetLoad, loadGet, startBareFastify } from './lib/load.ts';
import { adminToken, api, BENCH_SECRET, freshPostgres, mscore, startServer } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const UNTIL = '2026-10';
const MONTHS = Number(process.env.BENCH_SCORES_MONTHS ?? 24);
const SECONDS = Number(process.env.BENCH_SCORES_SECONDS ?? 8);
const WARM_SECONDS = 2;
const CONNECTIONS = 10;
const TARGET = 'target p95 <= 100 ms';
// Bounds on the setup commands, so that a stuck server cannot hold the run.
const GENERATE_TIMEOUT_MS = 20 * 60_000;
const CHECK_TIMEOUT_MS = 10 * 60_000;

type Server = Awaited<ReturnType<typeof startServer>>;
type Query = { label: string; path: string; public?: boolean; optional?: boolean };

const [UY, UM] = UNTIL.split('-').map(Number) as [number, number];
const FIRST = UY * 12 + (UM - 1) - (MONTHS - 1);
const FIRST_MONTH = `${Math.floor(FIRST / 12)}-${String((FIRST % 12) + 1).padStart(2, '0')}`;

/** The last year the data covers fully, else UNTIL's year, covered in part. */
function yearPeriod(): { period: string; label: string } {
  const lastFull = UM === 12 ? UY : UY - 1;
  if (FIRST <= lastFull * 12) return { period: String(lastFull), label: `year ${lastFull}` };
  const from = FIRST_MONTH > `${UY}-01` ? FIRST_MONTH : `${UY}-01`;
  return { period: String(UY), label: `year ${UY} (${from}..${UNTIL} in range)` };
}

/** The last full quarter up to UNTIL. */
function quarterPeriod(): string {
  const q = Math.floor(UM / 3);
  return q === 0 ? `${UY - 1}-Q4` : `${UY}-Q${q}`;
}

function queries(): Query[] {
  const s = (q: string) => `/api/v1/scores?${q}`;
  const year = yearPeriod();
  const quarter = quarterPeriod();
  return [
    { label: `MSCORE_SATISFACTION, month ${UNTIL} (rollups)`, path: s(`index=MSCORE_SATISFACTION&period=${UNTIL}`) },
    { label: `MSCORE_SATISFACTION, quarter ${quarter} (rollups)`, path: s(`index=MSCORE_SATISFACTION&period=${quarter}`) },
    { label: `MSCORE_SATISFACTION, ${year.label} (rollups)`, path: s(`index=MSCORE_SATISFACTION&period=${year.period}`) },
    // The demo answers no SIPAS questionnaire; measured only when the data has some.
    { label: `SIPAS, month (raw answers, composite)`, path: s(`index=SIPAS&period=${UNTIL}`), optional: true },
    { label: 'MSCORE_STAFF, month (raw answers, 2 items per respondent)', path: s(`index=MSCORE_STAFF&period=${UNTIL}`) },
    {
      label: 'MOH_SATISFACTION, health, month (raw answers, composite)',
      path: s(`index=MOH_SATISFACTION&period=${UNTIL}&sector=health`),
    },
    {
      label: 'MOH_COMPREHENSIVE, health, month (raw answers)',
      path: s(`index=MOH_COMPREHENSIVE&period=${UNTIL}&sector=health`),
    },
    { label: 'ON_TIME_EVENTS, month (service events)', path: s(`index=ON_TIME_EVENTS&period=${UNTIL}`) },
    {
      label: 'public rankings, administration (published snapshot)',
      path: '/api/public/v1/rankings?sector=administration',
      public: true,
    },
    { label: 'GET /api/v1/indices', path: '/api/v1/indices' },
  ];
}

/** Freezes and publishes the month for the administration sector; seconds taken. */
async function publishSnapshot(base: string, token: string): Promise<number> {
  const t0 = performance.now();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const s = await api(
    `${base}/api/v1/snapshots`,
    { method: 'POST', headers, body: JSON.stringify({ period: UNTIL, sector: 'administration', replyDays: 0 }) },
    201,
  );
  await api(`${base}/api/v1/snapshots/${s.id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }, 200);
  return (performance.now() - t0) / 1000;
}

/** One answer of a query: its size, rows and the answers behind them (0 means the query reads no data). */
async function probe(base: string, token: string, q: Query) {
  const r = await fetch(base + q.path, { headers: q.public ? {} : { authorization: `Bearer ${token}` } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${q.path}: ${r.status} ${text.slice(0, 300)}`);
  const rows = JSON.parse(text) as { n?: number }[];
  return { text, bytes: Buffer.byteLength(text), rows: rows.length, n: rows.reduce((s, x) => s + (x.n ?? 0), 0) };
}

/** Loads `url` and fails the bench on any answer other than 200. */
async function loadOrFail(what: string, url: string, headers: Record<string, string>, seconds: number): Promise<GetLoad> {
  const r = await loadGet(url, headers, CONNECTIONS, seconds);
  if (r.failed > 0 || r.requests === 0)
    throw new Error(`${what}: ${r.failed} of ${r.requests} requests did not return 200; first: ${r.firstFailure ?? 'none'}`);
  return r;
}

type Setup = { events: number; responses: number; generate: number; check: number; analyze?: number; snapshot: number };

/** Fills the running server with the demo history, folds and checks the rollups, publishes the month. */
async function fill(srv: Server, env: Record<string, string>, analyze?: () => Promise<void>) {
  process.stderr.write(`  demo generate --until ${UNTIL} --months ${MONTHS}...\n`);
  let t0 = performance.now();
  const out = mscore(['demo', 'generate', '--until', UNTIL, '--months', String(MONTHS)], env, GENERATE_TIMEOUT_MS);
  const generate = (performance.now() - t0) / 1000;
  const m = /: (\d+) events, (\d+) responses/.exec(out);
  t0 = performance.now();
  // Folds the pending deltas as the minute job would, and proves the counts equal the raw answers.
  mscore(['rollups', 'check'], env, CHECK_TIMEOUT_MS);
  const check = (performance.now() - t0) / 1000;
  let analyzed: number | undefined;
  if (analyze) {
    t0 = performance.now();
    await analyze();
    analyzed = (performance.now() - t0) / 1000;
  }
  const token = await adminToken(srv.url);
  const snapshot = await publishSnapshot(srv.url, token);
  const setup: Setup = {
    events: Number(m?.[1] ?? Number.NaN),
    responses: Number(m?.[2] ?? Number.NaN),
    generate,
    check,
    analyze: analyzed,
    snapshot,
  };
  return { token, setup };
}

type Bare = GetLoad & { bytes: number; seconds: number };

async function measureBare(body: string): Promise<Bare> {
  const bare = await startBareFastify(body);
  try {
    await loadOrFail('bare Fastify warm-up', bare.url, {}, WARM_SECONDS);
    const r = await loadOrFail('bare Fastify', bare.url, {}, SECONDS);
    return { ...r, bytes: Buffer.byteLength(body), seconds: SECONDS };
  } finally {
    await bare.stop();
  }
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const kb = (b: number) => `${(b / 1024).toFixed(1)} kB`;

/** Every query under load on a filled server; the baseline is measured on the first backend's month answer. */
async function measure(
  backend: string,
  srv: Server,
  token: string,
  setupNote: string,
  baseline: (body: string) => Promise<Bare>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const auth = { authorization: `Bearer ${token}` };
  let bare: Bare | undefined;
  // Computed scores are kept until data changes: under load most answers come from memory. The first
  // request of each month is computed; one after another, every month of the history once.
  for (const [index, extra] of [
    ['MSCORE_SATISFACTION', ''],
    ['MOH_SATISFACTION', '&sector=health'],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < MONTHS; i++) {
      const m = FIRST + i;
      const period = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      const t0 = performance.now();
      await probe(srv.url, token, { label: 'cold', path: `/api/v1/scores?index=${index}&period=${period}${extra}` });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
    figures.push({
      name: `${backend}, ${index}, first request of each month (computed, not from memory): p95`,
      value: at(0.95),
      unit: 'ms',
      note: `${TARGET}; p50 ${ms(at(0.5))} ms, max ${ms(at(1))} ms; ${MONTHS} months one after another${figures.length === 0 ? `; ${setupNote}` : ''}`,
    });
  }
  for (const q of queries()) {
    const p = await probe(srv.url, token, q);
    if (q.optional && p.n === 0) {
      process.stderr.write(`  ${q.label}: no answers in the demo data, skipped\n`);
      continue;
    }
    bare ??= await baseline(p.text);
    const headers = q.public ? {} : auth;
    await loadOrFail(`${backend}, ${q.label} (warm-up)`, srv.url + q.path, headers, WARM_SECONDS);
    // The server finishes requests the load tool dropped at its stop; one more answer in line means
    // that backlog is gone (PGlite runs them one by one) and does not slow the next phase.
    await probe(srv.url, token, q);
    const r = await loadOrFail(`${backend}, ${q.label}`, srv.url + q.path, headers, SECONDS);
    await probe(srv.url, token, q);
    const data = q.path.startsWith('/api/v1/indices') ? `${p.rows} indices` : `${p.rows} rows, n ${p.n}`;
    figures.push(
      {
        name: `${backend}, ${q.label}: p95`,
        value: r.p95,
        unit: 'ms',
        baseline: bare.p95,
        note: `${TARGET}; p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms (bare p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}); ${r.requests} requests, all 200; ${data}, ${kb(p.bytes)}`,
      },
      { name: '  same: requests/s', value: r.perSecond, unit: 'requests/s', baseline: bare.perSecond },
    );
  }
  return figures;
}

function setupNote(backend: string, s: Setup, total: number): string {
  const parts = [
    `generate ${s.generate.toFixed(0)} s`,
    `rollups check ${s.check.toFixed(0)} s`,
    ...(s.analyze === undefined ? [] : [`VACUUM ANALYZE ${s.analyze.toFixed(0)} s`]),
    `snapshot ${s.snapshot.toFixed(1)} s`,
  ];
  return `${backend} setup ${total.toFixed(0)} s for N = ${MONTHS} months (${FIRST_MONTH}..${UNTIL}: ${s.events} events, ${s.responses} responses): ${parts.join(', ')}`;
}

/** Stops the server unless it has exited already. */
async function stopIfRunning(server: Server | undefined) {
  if (!server) return;
  try {
    process.kill(server.pid, 0);
  } catch {
    return;
  }
  await server.stop();
}

async function postgres(baseline: (body: string) => Promise<Bare>): Promise<Figure[]> {
  const db = await freshPostgres('mscore_bench_scores');
  const env = { DATABASE_URL: db.url, MSCORE_SECRET_KEY: BENCH_SECRET };
  let server: Server | undefined;
  try {
    const t0 = performance.now();
    server = await startServer(env);
    // What autovacuum does soon after a bulk load; without it the planner sees empty tables.
    const analyze = async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        await c.query('vacuum analyze');
      } finally {
        await c.end();
      }
    };
    const { token, setup } = await fill(server, env, analyze);
    const note = setupNote('PostgreSQL', setup, (performance.now() - t0) / 1000);
    return await measure('PostgreSQL', server, token, note, baseline);
  } finally {
    await stopIfRunning(server);
    await db.drop();
  }
}

async function pglite(baseline: (body: string) => Promise<Bare>): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-scores-'));
  // The commands run inside the server, which holds the data directory.
  const env = { MSCORE_DATA_DIR: dir, DATABASE_URL: '', MSCORE_SECRET_KEY: BENCH_SECRET };
  let server: Server | undefined;
  try {
    const t0 = performance.now();
    server = await startServer(env);
    const { token, setup } = await fill(server, env);
    const note = setupNote('PGlite', setup, (performance.now() - t0) / 1000);
    return await measure('PGlite', server, token, note, baseline);
  } finally {
    await stopIfRunning(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same queries on a database holding the national demo; nothing is generated, one token is added. */
async function national(url: string, baseline: (body: string) => Promise<Bare>): Promise<Figure[]> {
  const tenant = process.env.BENCH_SCORES_TENANT ?? 'VN-HCM';
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let server: Server | undefined;
  try {
    const counts = await c.query<{ events: string; responses: string; tenant_events: string; tenant_responses: string }>(
      `select (select count(*) from service_events) as events, (select count(*) from responses) as responses,
        (select count(*) from service_events e join tenants t on t.id = e.tenant_id where t.code = $1) as tenant_events,
        (select count(*) from responses r join tenants t on t.id = r.tenant_id where t.code = $1) as tenant_responses`,
      [tenant],
    );
    const n = counts.rows[0] as { events: string; responses: string; tenant_events: string; tenant_responses: string };
    // A bearer token written straight into the database: the national tenants' passwords are not known here.
    const token = `mst_bench_${randomBytes(24).toString('base64url')}`;
    await c.query(
      `insert into api_tokens (tenant_id, name, token_hash, prefix, role, unit_id)
       select id, $2, $3, 'mst_bench', 'admin', null from tenants where code = $1`,
      [tenant, `bench-national-${Date.now()}`, createHash('sha256').update(token).digest()],
    );
    server = await startServer({
      DATABASE_URL: url,
      MSCORE_SECRET_KEY: process.env.MSCORE_SECRET_KEY ?? BENCH_SECRET,
      MSCORE_DEMO: 'false',
      MSCORE_TENANT_CODE: tenant,
    });
    const snapshot = await publishSnapshot(server.url, token);
    const note = `national demo: ${Number(n.events).toLocaleString('en')} events, ${Number(n.responses).toLocaleString('en')} responses in all; ${tenant}: ${Number(n.tenant_events).toLocaleString('en')} events, ${Number(n.tenant_responses).toLocaleString('en')} responses; snapshot ${snapshot.toFixed(1)} s`;
    return await measure(`PostgreSQL national, ${tenant}`, server, token, note, baseline);
  } finally {
    await stopIfRunning(server);
    await c.end();
  }
}

export async function run(): Promise<Figure[]> {
  let bare: Bare | undefined;
  // Once, on the first real answer, so that its JSON is the size of the answers measured.
  const baseline = async (body: string) => {
    bare ??= await measureBare(body);
    return bare;
  };
  const nationalUrl = process.env.BENCH_SCORES_NATIONAL_URL;
  const figures = nationalUrl ? await national(nationalUrl, baseline) : await postgres(baseline);
  if (!nationalUrl && process.env.BENCH_SKIP_PGLITE !== '1') figures.push(...(await pglite(baseline)));
  const b = bare as Bare | undefined;
  const head: Figure[] = b
    ? [
        {
          name: `bare Fastify GET (${kb(b.bytes)} JSON), ${CONNECTIONS} connections: p95`,
          value: b.p95,
          unit: 'ms',
          note: `${b.seconds} s; p50 ${ms(b.p50)} ms, p99 ${ms(b.p99)} ms; ${b.perSecond.toFixed(0)} requests/s; the baseline of every figure below; each query ${SECONDS} s after a ${WARM_SECONDS} s warm-up`,
        },
      ]
    : [];
  return [...head, ...figures];
}
