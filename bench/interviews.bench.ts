// Phone interview rounds on PostgreSQL and on PGlite (BENCH_SKIP_PGLITE=1 skips
// it), against a server process: a province-month frame of BENCH_INTERVIEWS_EVENTS
// service events (50,000 by default; dossiers of the one-stop offices and
// service centres, outpatient visits of the hospital and health centres), about
// 70% returned with a unique mobile number, ingested through the API; the time
// to create a draft round (reads the frame and plans it) and to publish it
// (draws and writes the sample; each unit keeps its own phone instrument).
// Then BENCH_INTERVIEWERS interviewers (8), signed in, each taking the next
// record and recording its outcome in a loop for BENCH_INTERVIEWS_SECONDS (20):
// claims and outcomes per second, the latency of each, and the records handed to
// two interviewers, from the answers and from the database (must be 0). Then the
// supervision reads of the populated round under autocannon load.
// Statistics: on PostgreSQL the tables are analyzed where autovacuum would have
// done it (after the month's lists, after the sample is written, before the
// reads), and a short phase (BENCH_INTERVIEWS_SIDE_SECONDS, 5) measures the
// queue just after publishing, before that. PGlite runs no autovacuum, so the
// main phase there is as is, and the short phase shows it after an ANALYZE.
// Baselines: the same interviewer loop against a bare Fastify process answering
// the same JSON, and the same GET load against a bare Fastify process.
//
// Calls are taken only within calling hours (07:00-21:00 in the tenant's zone,
// by the platform's clock). The server runs out of process like every bench's,
// through a small entry that starts the platform as `npm start` does and then
// moves its clock (ctx.clock.now, the clock the interview routes read) to a
// moment within calling hours when the bench runs outside them: 10:00 local time
// of the latest day that has passed it, or BENCH_INTERVIEWS_AT (ISO 8601).
// The interviewers' call times are on that clock too.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { FAMILY, GIVEN, MIDDLE } from '../src/modules/demo/vocabulary.ts';
import { rng } from '../src/platform/random.ts';
import { type GetLoad, loadGet, quantile, startBareFastify } from './lib/load.ts';
import { adminToken, api, BENCH_ADMIN_PASSWORD, BENCH_SECRET, freePort, freshPostgres, root } from './lib/server.ts';

type Figure = { name: string; value: number; unit: string; baseline?: number; note?: string };

const EVENTS = Number(process.env.BENCH_INTERVIEWS_EVENTS ?? 50_000);
const INTERVIEWERS = Number(process.env.BENCH_INTERVIEWERS ?? 8);
const SECONDS = Number(process.env.BENCH_INTERVIEWS_SECONDS ?? 20);
const READ_SECONDS = Number(process.env.BENCH_INTERVIEWS_READ_SECONDS ?? 5);
/** the shorter queue phase: before the sample has statistics (PostgreSQL), after ANALYZE (PGlite) */
const SIDE_SECONDS = Number(process.env.BENCH_INTERVIEWS_SIDE_SECONDS ?? 5);
const READ_CONNECTIONS = 4;
const BASELINE_SECONDS = 5;
const BATCH = 1000;
const INGEST_CONNECTIONS = 4;
const ZONE_OFFSET_MS = 7 * 3600_000; // Asia/Ho_Chi_Minh, no daylight saving
const SERVING_KINDS = new Set(['one_stop_office', 'service_centre', 'hospital', 'health_centre']);
/** Relative size of a unit's monthly list by its kind. */
const WEIGHT: Record<string, number> = { hospital: 4, service_centre: 3, one_stop_office: 1.5, health_centre: 1 };
/** Mobile prefixes of the main networks. */
const MOBILE = ['090', '091', '093', '094', '096', '097', '098'];

type Server = { url: string; pid: number; stop: () => Promise<void>; analyze: () => Promise<number> };
type Unit = { code: string; kind: string; sector: string };

// ------------------------------------------------------------------ the server, its clock

/** 0 when the platform clock is within calling hours now (with margin); else the shift to a moment that is. */
function clockShift(): number {
  const now = Date.now();
  if (process.env.BENCH_INTERVIEWS_AT) return new Date(process.env.BENCH_INTERVIEWS_AT).getTime() - now;
  const local = now + ZONE_OFFSET_MS;
  const minutes = Math.floor((local % 86_400_000) / 60_000);
  if (minutes >= 7 * 60 + 5 && minutes <= 20 * 60 + 50) return 0;
  let target = Math.floor(local / 86_400_000) * 86_400_000 + 10 * 3600_000;
  if (target > local) target -= 86_400_000;
  return target - ZONE_OFFSET_MS - now;
}

/**
 * `npm start`, with the platform's clock moved by `shiftMs` once it listens.
 * analyze() runs VACUUM ANALYZE inside the server, on its own connection: the
 * one way to reach an embedded database the server holds.
 */
async function startClockedServer(env: Record<string, string>, shiftMs: number): Promise<Server> {
  const port = await freePort();
  const href = (f: string) => JSON.stringify(pathToFileURL(path.join(root, f)).href);
  const entry = `
    import { sql } from 'kysely';
    import { loadConfigOrExit } from ${href('src/config.ts')};
    import { createLogger, startPlatform } from ${href('src/main.ts')};
    const config = loadConfigOrExit();
    const p = await startPlatform(config, createLogger(config));
    const shift = Number(process.env.BENCH_CLOCK_SHIFT_MS);
    p.ctx.clock.now = () => new Date(Date.now() + shift);
    process.on('message', (m) => {
      if (m !== 'analyze') return;
      sql\`vacuum analyze\`.execute(p.ctx.db).then(
        () => process.send('analyzed'),
        (e) => process.send('analyze failed: ' + e.message),
      );
    });
    process.send('clock set');
    const stop = () => p.close().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MSCORE_LOG_LEVEL: 'warn',
      MSCORE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      MSCORE_DEMO_MONTHS: '0',
      BENCH_CLOCK_SHIFT_MS: String(shiftMs),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let clockSet = false;
  child.on('message', (m) => {
    if (m === 'clock set') clockSet = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let t0 = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error('server exited');
    if (Date.now() - t0 > 120_000) {
      await stop();
      throw new Error('server did not start in 120 s');
    }
    try {
      if (clockSet && (await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  const analyze = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const on = (m: unknown) => {
        if (m !== 'analyzed' && !String(m).startsWith('analyze failed')) return;
        child.off('message', on);
        if (m === 'analyzed') resolve((performance.now() - t0) / 1000);
        else reject(new Error(String(m)));
      };
      child.on('message', on);
      child.send('analyze');
    });
  return { url, pid: child.pid as number, stop, analyze };
}

function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

// ------------------------------------------------------------------ the frame

function servingUnits(): Unit[] {
  const rows = readFileSync(path.join(root, 'src/demo/quang-tri-units.csv'), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((l) => l.split(','))
    .filter((c) => SERVING_KINDS.has(c[2] as string))
    .map((c) => ({ code: c[0] as string, kind: c[2] as string, sector: c[3] as string }));
}

function services(): { admin: string[]; health: string[] } {
  const rows = readFileSync(path.join(root, 'src/demo/services.csv'), 'utf8').trim().split('\n').slice(1);
  const of = (sector: string) =>
    rows
      .map((l) => l.split(','))
      .filter((c) => c[3] === sector)
      .map((c) => c[0] as string);
  return { admin: of('administration'), health: of('health') };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A month's lists of every serving unit, `count` events, deterministic: about 70%
 * returned with a unique mobile number; the rest not returned yet, without a
 * number, with a landline, or with a number already used in the month.
 */
function frameEvents(period: string, count: number, units: Unit[]): object[] {
  const r = rng(2026);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)] as T;
  const svc = services();
  const total = units.reduce((s, u) => s + (WEIGHT[u.kind] ?? 1), 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const u of units) {
    acc += (WEIGHT[u.kind] ?? 1) / total;
    cumulative.push(acc);
  }
  const unitOf = () => {
    const x = r();
    return units[cumulative.findIndex((c) => x < c)] ?? (units.at(-1) as Unit);
  };
  const used: string[] = [];
  const events: object[] = [];
  for (let i = 0; i < count; i++) {
    const u = unitOf();
    const health = u.sector === 'health';
    const day = 1 + Math.floor(r() * 25);
    const hour = 7 + Math.floor(r() * 9);
    const after = Math.floor(r() * 5);
    const receivedAt = `${period}-${pad(day)}T${pad(hour)}:${pad(Math.floor(r() * 60))}:00+07:00`;
    const returnHour = after ? 8 + Math.floor(r() * 9) : hour + 1 + Math.floor(r() * 2);
    const returnedAt = `${period}-${pad(day + after)}T${pad(returnHour)}:${pad(Math.floor(r() * 60))}:00+07:00`;
    // A unique mobile number: a bijection of i over seven digits.
    const mobile = `${MOBILE[i % MOBILE.length]}${String((i * 48271 + 12345) % 10_000_000).padStart(7, '0')}`;
    const roll = r();
    let phone: string | undefined = mobile;
    let returned = true;
    if (roll < 0.1) returned = false;
    else if (roll < 0.18) phone = undefined;
    else if (roll < 0.23) phone = `0233${String(3_000_000 + Math.floor(r() * 999_999))}`;
    else if (roll < 0.3 && used.length) phone = pick(used);
    else used.push(mobile);
    events.push({
      unit: u.code,
      externalId: `BI-${u.code}-${String(i).padStart(6, '0')}`,
      kind: health ? 'outpatient' : 'dossier',
      service: pick(health ? svc.health : svc.admin),
      ...(health ? { department: pick(['Khoa Nội', 'Khoa Ngoại', 'Khoa Nhi', 'Khoa Sản', 'Khoa Khám bệnh']) } : {}),
      receivedAt,
      ...(returned ? { returnedAt } : {}),
      citizen: {
        name: `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
        ...(phone ? { phone } : {}),
        gender: r() < 0.52 ? 'female' : 'male',
        ...(r() < 0.9 ? { ethnicMinority: r() < 0.12 } : {}),
      },
    });
  }
  return events;
}

/**
 * Posts the events in batches of 1,000 from INGEST_CONNECTIONS connections. A
 * batch answered 500 is posted again (the ingest is idempotent), up to 3 times:
 * concurrent batches that span the same units can deadlock on the per-unit list
 * submissions (PostgreSQL reports it), and the bench is about what comes after.
 */
async function ingest(base: string, token: string, events: object[]): Promise<{ perSecond: number; retried: number }> {
  const batches: object[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let next = 0;
  let retried = 0;
  const post = async (batch: object[]) => {
    for (let attempt = 1; ; attempt++) {
      const r = await fetch(`${base}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ events: batch }),
      });
      const text = await r.text();
      if (r.status === 200) {
        const body = JSON.parse(text) as { rejected: number; results: unknown[] };
        if (body.rejected)
          throw new Error(`ingest rejected ${body.rejected} events: ${JSON.stringify(body.results[0]).slice(0, 300)}`);
        return;
      }
      if (r.status !== 500 || attempt >= 3) throw new Error(`POST /api/v1/events: ${r.status} ${text.slice(0, 300)}`);
      retried++;
    }
  };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: INGEST_CONNECTIONS }, async () => {
      while (next < batches.length) await post(batches[next++] as object[]);
    }),
  );
  return { perSecond: events.length / ((performance.now() - t0) / 1000), retried };
}

// ------------------------------------------------------------------ interviewers

type Session = { id: string; name: string; cookie: string; csrf: string };

async function interviewer(base: string, token: string, name: string): Promise<Session> {
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const password = `pw-${name}-${randomUUID()}`;
  const u = await api(
    `${base}/api/v1/users`,
    { method: 'POST', headers: auth, body: JSON.stringify({ username: name, displayName: name, password }) },
    201,
  );
  await api(
    `${base}/api/v1/users/${u.id}/grants`,
    { method: 'POST', headers: auth, body: JSON.stringify({ role: 'interviewer', unitCode: null }) },
    201,
  );
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, password }),
  });
  if (login.status !== 200) throw new Error(`login ${name}: ${login.status} ${(await login.text()).slice(0, 300)}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { id: u.id, name, cookie, csrf: csrfToken };
}

type Item = {
  code: string;
  type: string;
  required?: boolean;
  min?: number;
  max?: number;
  options?: { code: string }[];
  showIf?: unknown;
};
type Instrument = { code: string; definition: { items: Item[] } };
type NextAnswer = {
  record: null | { id: string; instrument: Instrument };
  reason: null | 'outside_calling_hours' | 'empty';
};

/** A completed interview's answers: MSCORE_PHONE's as the interviewer console sends them, any other instrument's required items. */
function answersFor(instrument: Instrument, r: () => number) {
  const between = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  if (instrument.code === 'MSCORE_PHONE')
    return {
      IDENTITY: true,
      RESULT_STATUS: 'on_time',
      ASKED_TO_RETURN: false,
      FEE_PAID: 'none',
      EXTRA_PAYMENT: false,
      STAFF_ATTITUDE: between(5, 9),
      GUIDANCE_CLARITY: between(4, 9),
      SATISFACTION: between(5, 9),
    };
  const answers: Record<string, unknown> = {};
  for (const it of instrument.definition.items) {
    if (!it.required || it.showIf) continue;
    if (it.type === 'scale' || it.type === 'number') answers[it.code] = between(it.min ?? 1, it.max ?? 5);
    else if (it.type === 'yesno') answers[it.code] = true;
    else if (it.type === 'single') answers[it.code] = it.options?.[0]?.code;
    else if (it.type === 'multiple') answers[it.code] = [it.options?.[0]?.code];
  }
  return answers;
}

type Call = { status: number; text: string; ms: number };

async function call(base: string, s: Session, url: string, body: unknown): Promise<Call> {
  const t0 = performance.now();
  const r = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, ms: performance.now() - t0 };
}

type QueueRun = {
  seconds: number;
  claims: number;
  outcomes: number;
  nextMs: number[];
  outcomeMs: number[];
  byOutcome: Record<string, number>;
  failures: number;
  firstFailure?: string;
  /** interviewers that found the queue empty before the time was up */
  emptied: number;
  /** records handed to more than one interviewer, by the answers */
  shared: number;
  sampleNext?: string;
  sampleOutcome?: string;
};

/**
 * Each interviewer: next -> outcome, until `seconds` have passed or the queue is
 * empty for them. 60% completed (with answers), 20% no answer, 10% refused, 10%
 * a callback the next day at the same time. Times are on the server's clock.
 */
async function runQueue(
  base: string,
  sessions: Session[],
  roundId: string,
  seconds: number,
  shiftMs: number,
  holders = new Map<string, Set<number>>(),
  paths = { next: '/api/v1/interviews/next', outcome: (id: string) => `/api/v1/interviews/${id}/outcome` },
): Promise<QueueRun> {
  const serverNow = () => Date.now() + shiftMs;
  const run: QueueRun = {
    seconds: 0,
    claims: 0,
    outcomes: 0,
    nextMs: [],
    outcomeMs: [],
    byOutcome: {},
    failures: 0,
    emptied: 0,
    shared: 0,
  };
  const fail = (what: string, c: Call) => {
    run.failures++;
    run.firstFailure ??= `${what}: ${c.status} ${c.text.slice(0, 300)}`;
  };
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    sessions.map(async (s, who) => {
      const r = rng(1000 + who);
      while (performance.now() < deadline) {
        const n = await call(base, s, paths.next, { round: roundId });
        if (n.status !== 200) {
          fail('next', n);
          continue;
        }
        run.sampleNext ??= n.text;
        const answer = JSON.parse(n.text) as NextAnswer;
        if (!answer.record) {
          if (answer.reason === 'outside_calling_hours') throw new Error('the server says it is outside calling hours');
          run.emptied++;
          return;
        }
        run.nextMs.push(n.ms);
        run.claims++;
        const rec = answer.record;
        const set = holders.get(rec.id) ?? new Set<number>();
        set.add(who);
        holders.set(rec.id, set);
        const roll = r();
        const outcome = roll < 0.6 ? 'completed' : roll < 0.8 ? 'no_answer' : roll < 0.9 ? 'refused' : 'callback';
        const length = { completed: [180, 420], no_answer: [30, 45], refused: [20, 60], callback: [40, 120] }[
          outcome
        ] as number[];
        const ended = serverNow();
        const started =
          ended - 1000 * ((length[0] as number) + Math.floor(r() * ((length[1] as number) - (length[0] as number))));
        const body: Record<string, unknown> = {
          attemptId: randomUUID(),
          outcome,
          startedAt: new Date(started).toISOString(),
          endedAt: new Date(ended).toISOString(),
        };
        if (outcome === 'completed') body.response = { id: randomUUID(), answers: answersFor(rec.instrument, r) };
        if (outcome === 'callback') body.callbackAt = new Date(ended + 86_400_000).toISOString();
        const o = await call(base, s, paths.outcome(rec.id), body);
        if (o.status !== 200) {
          fail(`outcome ${outcome}`, o);
          continue;
        }
        run.sampleOutcome ??= o.text;
        run.outcomeMs.push(o.ms);
        run.outcomes++;
        run.byOutcome[outcome] = (run.byOutcome[outcome] ?? 0) + 1;
      }
    }),
  );
  run.seconds = (performance.now() - t0) / 1000;
  run.shared = [...holders.values()].filter((h) => h.size > 1).length;
  run.nextMs.sort((a, b) => a - b);
  run.outcomeMs.sort((a, b) => a - b);
  return run;
}

/** The same loop against a bare Fastify process answering /next and /outcome with the platform's JSON. */
async function bareQueue(nextBody: string, outcomeBody: string, sessions: number): Promise<QueueRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-interviews-bare-'));
  writeFileSync(path.join(dir, 'next.json'), nextBody);
  writeFileSync(path.join(dir, 'outcome.json'), outcomeBody);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('node:fs');
       const next = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, 'next.json'))}, 'utf8'));
       const outcome = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, 'outcome.json'))}, 'utf8'));
       const app = require('fastify')();
       app.post('/next', async () => next);
       app.post('/outcome/:id', async () => outcome);
       app.listen({ port: ${port}, host: '127.0.0.1' });`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let t0 = Date.now(); ; ) {
      if (child.exitCode !== null) throw new Error('bare Fastify exited');
      if (Date.now() - t0 > 30_000) throw new Error('bare Fastify did not start in 30 s');
      try {
        await fetch(`${url}/next`, { method: 'POST' });
        break;
      } catch {}
      await new Promise((r) => setTimeout(r, 50));
    }
    const fake: Session[] = Array.from({ length: sessions }, (_, i) => ({ id: `${i}`, name: `${i}`, cookie: 'x=y', csrf: 'z' }));
    // The bare server hands every caller the same record: its "shared" count means nothing here.
    return await runQueue(url, fake, randomUUID(), BASELINE_SECONDS, 0, new Map(), {
      next: '/next',
      outcome: (id) => `/outcome/${id}`,
    });
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ the checks in the database

type Check = { attempts: number; sharedInDb: number; wrongHolder: number; statuses: Record<string, number> };

const CHECK_SQL = {
  attempts: 'select count(*)::int as n from interview_attempts where round_id = $1',
  // Nothing returns to the pool within the run (no answer: another day; callbacks: tomorrow),
  // so a record attempted by two interviewers was handed to both.
  shared: `select count(*)::int as n from (select sample_id from interview_attempts where round_id = $1
      group by sample_id having count(distinct interviewer_id) > 1) x`,
  // A record still held, or finished, by someone other than the one who called it.
  wrongHolder: `select count(*)::int as n from interview_sample s join interview_attempts a on a.sample_id = s.id
      where s.round_id = $1 and s.interviewer_id is not null and s.interviewer_id <> a.interviewer_id`,
  statuses: 'select status, count(*)::int as n from interview_sample where round_id = $1 group by status',
};

async function checkPostgres(url: string, roundId: string): Promise<Check> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const n = async (q: string) => Number((await c.query(q, [roundId])).rows[0].n);
    const statuses = Object.fromEntries(
      (await c.query(CHECK_SQL.statuses, [roundId])).rows.map((r: { status: string; n: number }) => [r.status, r.n]),
    );
    return {
      attempts: await n(CHECK_SQL.attempts),
      sharedInDb: await n(CHECK_SQL.shared),
      wrongHolder: await n(CHECK_SQL.wrongHolder),
      statuses,
    };
  } finally {
    await c.end();
  }
}

async function checkPglite(dataDir: string, roundId: string): Promise<Check> {
  const { PGlite } = await import('@electric-sql/pglite');
  const c = await PGlite.create(path.join(dataDir, 'pgdata'));
  try {
    const n = async (q: string) => Number((await c.query<{ n: number }>(q, [roundId])).rows[0]?.n);
    const statuses = Object.fromEntries(
      (await c.query<{ status: string; n: number }>(CHECK_SQL.statuses, [roundId])).rows.map((r) => [r.status, r.n]),
    );
    return {
      attempts: await n(CHECK_SQL.attempts),
      sharedInDb: await n(CHECK_SQL.shared),
      wrongHolder: await n(CHECK_SQL.wrongHolder),
      statuses,
    };
  } finally {
    await c.close();
  }
}

// ------------------------------------------------------------------ one database

type Baselines = { queue?: QueueRun; get?: GetLoad & { bytes: number } };

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const latencies = (q: QueueRun) =>
  `next p50 ${ms(quantile(q.nextMs, 0.5))} / p95 ${ms(quantile(q.nextMs, 0.95))} ms, outcome p50 ${ms(quantile(q.outcomeMs, 0.5))} / p95 ${ms(quantile(q.outcomeMs, 0.95))} ms`;

/** The month before the server's local month. */
function previousMonth(shiftMs: number): string {
  const d = new Date(Date.now() + shiftMs + ZONE_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the previous month's number
  return m === 0 ? `${y - 1}-12` : `${y}-${pad(m)}`;
}

type Backend = {
  label: string;
  env: Record<string, string>;
  /**
   * PostgreSQL: VACUUM ANALYZE once the month's lists are in, once the sample is
   * written and before the reads, as autovacuum does within a minute (the other
   * benches do the same). PGlite runs no autovacuum: nothing is analyzed there.
   */
  autovacuum: boolean;
  check: (roundId: string) => Promise<Check>;
};

async function measure(b: Backend, shiftMs: number, baselines: Baselines): Promise<Figure[]> {
  const { label } = b;
  const say = (line: string) => process.stderr.write(`  ${label}: ${line}\n`);
  const figures: Figure[] = [];
  let t = performance.now();
  const server = await startClockedServer(b.env, shiftMs);
  say(`server up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  let roundId = '';
  const holders = new Map<string, Set<number>>();
  const runs: QueueRun[] = [];
  try {
    const base = server.url;
    const token = await adminToken(base, 'bench-interviews');
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };

    const period = previousMonth(shiftMs);
    const units = servingUnits();
    const events = frameEvents(period, EVENTS, units);
    say(`ingesting ${EVENTS.toLocaleString('en')} events of ${period}...`);
    t = performance.now();
    const ingested = await ingest(base, token, events);
    say(`ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    if (ingested.retried) say(`WARNING: ${ingested.retried} batches answered 500 and were posted again`);
    const analyzed = b.autovacuum ? await server.analyze() : undefined;

    t = performance.now();
    const draft = await api(
      `${base}/api/v1/rounds`,
      { method: 'POST', headers: json, body: JSON.stringify({ name: `Bench ${period}`, periodFrom: period, seed: 'bench' }) },
      201,
    );
    const createMs = performance.now() - t;
    roundId = draft.id;
    type PlanRow = { records: number; eligible: number; target: number; drawn: number; strata: unknown[] };
    const plan = draft.plan as PlanRow[];
    const sum = (k: 'records' | 'eligible' | 'target') => plan.reduce((s, p) => s + p[k], 0);
    t = performance.now();
    const published = await api(`${base}/api/v1/rounds/${roundId}/publish`, { method: 'POST', headers: auth }, 200);
    const publishMs = performance.now() - t;
    const sample = (published.plan as PlanRow[]).reduce((s, p) => s + p.drawn, 0);
    const strata = (published.plan as PlanRow[]).reduce((s, p) => s + Math.max(1, p.strata.length), 0);
    figures.push(
      {
        name: `${label}: ingest the month (batches of ${BATCH.toLocaleString('en')}, ${INGEST_CONNECTIONS} connections)`,
        value: ingested.perSecond,
        unit: 'events/s',
        note: `setup; ${EVENTS.toLocaleString('en')} events of ${period} over ${units.length} serving units; ${ingested.retried} batches posted again after a 500${analyzed === undefined ? '; never analyzed (PGlite has no autovacuum)' : `; then VACUUM ANALYZE (${analyzed.toFixed(1)} s), as autovacuum would`}`,
      },
      {
        name: `${label}: create draft round (read frame, plan)`,
        value: createMs,
        unit: 'ms',
        note: `frame ${sum('records').toLocaleString('en')} records, ${sum('eligible').toLocaleString('en')} eligible, ${plan.length} units, ${strata} strata; target ${sum('target').toLocaleString('en')}`,
      },
      {
        name: `${label}: publish round (draw, write sample)`,
        value: publishMs,
        unit: 'ms',
        baseline: createMs,
        note: 'baseline: the draft (publishing reads and plans the frame again, then writes the sample)',
      },
      { name: `${label}: sample size`, value: sample, unit: 'records' },
    );

    const sessions: Session[] = [];
    for (let i = 0; i < INTERVIEWERS; i++) sessions.push(await interviewer(base, token, `bench-interviewer-${i + 1}`));
    const queue = async (seconds: number) => {
      const r = await runQueue(base, sessions, roundId, seconds, shiftMs, holders);
      runs.push(r);
      if (r.failures) throw new Error(`${label}: ${r.failures} calls failed; first: ${r.firstFailure}`);
      if (r.claims === 0) throw new Error(`${label}: no record was claimed`);
      return r;
    };
    const claims = (q: QueueRun) => q.claims / q.seconds;
    const mainFigures = (q: QueueRun, bq: QueueRun, when: string): Figure[] => [
      {
        name: `${label}: queue, ${INTERVIEWERS} interviewers, ${when}: claims (next with a record)`,
        value: claims(q),
        unit: '/s',
        baseline: claims(bq),
        note: `${q.claims} in ${q.seconds.toFixed(1)} s${q.emptied ? `; ${q.emptied} interviewers found the queue empty` : ''}; server RSS ${rss(server.pid).toFixed(0)} MB`,
      },
      {
        name: `${label}: queue: outcomes recorded`,
        value: q.outcomes / q.seconds,
        unit: '/s',
        baseline: bq.outcomes / bq.seconds,
        note: Object.entries(q.byOutcome)
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      },
      { name: `${label}: queue: next, p50`, value: quantile(q.nextMs, 0.5), unit: 'ms', baseline: quantile(bq.nextMs, 0.5) },
      {
        name: `${label}: queue: next, p95`,
        value: quantile(q.nextMs, 0.95),
        unit: 'ms',
        baseline: quantile(bq.nextMs, 0.95),
        note: `p99 ${ms(quantile(q.nextMs, 0.99))} ms, max ${ms(q.nextMs.at(-1) as number)} ms; answer ${((q.sampleNext?.length ?? 0) / 1024).toFixed(1)} KB (the record and its instrument)`,
      },
      {
        name: `${label}: queue: outcome, p50`,
        value: quantile(q.outcomeMs, 0.5),
        unit: 'ms',
        baseline: quantile(bq.outcomeMs, 0.5),
      },
      {
        name: `${label}: queue: outcome, p95`,
        value: quantile(q.outcomeMs, 0.95),
        unit: 'ms',
        baseline: quantile(bq.outcomeMs, 0.95),
        note: `p99 ${ms(quantile(q.outcomeMs, 0.99))} ms, max ${ms(q.outcomeMs.at(-1) as number)} ms`,
      },
    ];
    const sideFigure = (q: QueueRun, main: QueueRun, when: string, why: string): Figure => ({
      name: `${label}: queue, ${when}: claims`,
      value: claims(q),
      unit: '/s',
      baseline: claims(main),
      note: `baseline: the ${SECONDS}-s phase above; ${q.seconds.toFixed(1)} s; ${latencies(q)}; ${why}`,
    });

    say('warm-up, 1 s');
    await queue(1);
    let main: QueueRun;
    let side: Figure | undefined;
    if (b.autovacuum) {
      say(`${INTERVIEWERS} interviewers for ${SIDE_SECONDS} s, before the sample is analyzed...`);
      const cold = await queue(SIDE_SECONDS);
      const a = await server.analyze();
      say(`${INTERVIEWERS} interviewers for ${SECONDS} s...`);
      main = await queue(SECONDS);
      side = sideFigure(
        cold,
        main,
        'just after publishing',
        `the new sample has no statistics yet (autovacuum analyzes it within a minute; here VACUUM ANALYZE took ${a.toFixed(1)} s between the two)`,
      );
    } else {
      say(`${INTERVIEWERS} interviewers for ${SECONDS} s...`);
      main = await queue(SECONDS); // its short phase, after ANALYZE, comes after the reads
    }
    baselines.queue ??= await bareQueue(main.sampleNext as string, main.sampleOutcome as string, INTERVIEWERS);
    figures.push(...mainFigures(main, baselines.queue, b.autovacuum ? 'statistics as autovacuum leaves them' : 'as is'));
    if (side) figures.push(side);

    // Supervision reads of the populated round.
    if (b.autovacuum) await server.analyze();
    const reads = [
      { label: `GET /rounds/:id`, path: `/api/v1/rounds/${roundId}` },
      { label: `GET /rounds/:id/interviewers`, path: `/api/v1/rounds/${roundId}/interviewers` },
      { label: `GET /rounds/:id/records (first page of 50)`, path: `/api/v1/rounds/${roundId}/records` },
    ];
    if (!baselines.get) {
      const body = await (await fetch(`${base}${reads[0]?.path}`, { headers: auth })).text();
      const bare = await startBareFastify(body);
      try {
        await loadGet(bare.url, {}, READ_CONNECTIONS, 1);
        baselines.get = { ...(await loadGet(bare.url, {}, READ_CONNECTIONS, READ_SECONDS)), bytes: Buffer.byteLength(body) };
      } finally {
        await bare.stop();
      }
    }
    const bg = baselines.get;
    say(`supervision reads, ${READ_SECONDS} s each...`);
    for (const q of reads) {
      const url = `${base}${q.path}`;
      const bytes = Buffer.byteLength(await (await fetch(url, { headers: auth })).text());
      await loadGet(url, auth, READ_CONNECTIONS, 1);
      const r = await loadGet(url, auth, READ_CONNECTIONS, READ_SECONDS);
      if (r.failed || !r.requests) throw new Error(`${label} ${q.label}: ${r.failed} of ${r.requests} failed: ${r.firstFailure}`);
      figures.push(
        { name: `${label}: ${q.label}, p50`, value: r.p50, unit: 'ms', baseline: bg.p50 },
        {
          name: `${label}: ${q.label}, p95`,
          value: r.p95,
          unit: 'ms',
          baseline: bg.p95,
          note: `${READ_CONNECTIONS} connections, ${READ_SECONDS} s; ${r.perSecond.toFixed(0)} requests/s; ${(bytes / 1024).toFixed(1)} KB`,
        },
      );
    }

    if (!b.autovacuum) {
      // What an ANALYZE would change here, which nothing runs on PGlite.
      const a = await server.analyze();
      say(`${INTERVIEWERS} interviewers for ${SIDE_SECONDS} s, after VACUUM ANALYZE...`);
      const analyzedRun = await queue(SIDE_SECONDS);
      figures.push(
        sideFigure(
          analyzedRun,
          main,
          'after VACUUM ANALYZE',
          `what the queue would do if anything analyzed the tables on PGlite (nothing does; it took ${a.toFixed(1)} s)`,
        ),
      );
    }
  } finally {
    await server.stop();
  }
  const c = await b.check(roundId);
  const shared = runs.at(-1)?.shared ?? 0;
  const acknowledged = runs.reduce((s, r) => s + r.outcomes, 0);
  const claimed = runs.reduce((s, r) => s + r.claims, 0);
  const statuses = Object.entries(c.statuses)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  figures.push({
    name: `${label}: records handed to two interviewers`,
    value: Math.max(shared, c.sharedInDb, c.wrongHolder),
    unit: 'records',
    note: `all phases: ${claimed} claims; by the answers ${shared}; in the database: attempted by two ${c.sharedInDb}, held by another than its caller ${c.wrongHolder}; attempts stored ${c.attempts}, acknowledged ${acknowledged}; sample now ${statuses}`,
  });
  if (shared || c.sharedInDb || c.wrongHolder || c.attempts !== acknowledged)
    process.stderr.write(`  WARNING ${label}: records handed to two interviewers, or attempts not as acknowledged\n`);
  return figures;
}

export async function run(): Promise<Figure[]> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const shiftMs = clockShift();
  const serverClock = new Date(Date.now() + shiftMs + ZONE_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
  const baselines: Baselines = {};
  const figures: Figure[] = [];

  const db = await freshPostgres('mscore_bench_interviews');
  try {
    figures.push(
      ...(await measure(
        {
          label: 'PostgreSQL',
          env: { DATABASE_URL: db.url, MSCORE_SECRET_KEY: BENCH_SECRET },
          autovacuum: true,
          check: (id) => checkPostgres(db.url, id),
        },
        shiftMs,
        baselines,
      )),
    );
  } finally {
    await db.drop();
  }

  if (process.env.BENCH_SKIP_PGLITE !== '1') {
    const dir = mkdtempSync(path.join(tmpdir(), 'mscore-bench-interviews-'));
    try {
      figures.push(
        ...(await measure(
          {
            label: 'PGlite',
            env: { MSCORE_DATA_DIR: dir, DATABASE_URL: '', MSCORE_SECRET_KEY: BENCH_SECRET },
            autovacuum: false,
            check: (id) => checkPglite(dir, id),
          },
          shiftMs,
          baselines,
        )),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const cpu = os.cpus()[0]?.model ?? 'cpu';
  const load = `load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]?.toFixed(1)} at the end`;
  const head: Figure[] = [];
  const bq = baselines.queue;
  if (bq)
    head.push({
      name: `bare Fastify, the same interviewer loop (${INTERVIEWERS} loops of next -> outcome)`,
      value: bq.claims / bq.seconds,
      unit: 'loops/s',
      note: `${BASELINE_SECONDS} s; ${latencies(bq)}; the baseline of the queue figures; ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${load}`,
    });
  const bg = baselines.get;
  if (bg)
    head.push({
      name: `bare Fastify GET (${(bg.bytes / 1024).toFixed(1)} KB JSON), ${READ_CONNECTIONS} connections: p95`,
      value: bg.p95,
      unit: 'ms',
      note: `${READ_SECONDS} s; p50 ${ms(bg.p50)} ms; ${bg.perSecond.toFixed(0)} requests/s; the baseline of the supervision reads`,
    });
  head.push({
    name: 'platform clock during the run (Asia/Ho_Chi_Minh)',
    value: shiftMs / 3_600_000,
    unit: 'h shift',
    note: `${serverClock} local${shiftMs ? ': moved into calling hours (the real time is outside them)' : ''}`,
  });
  return [...head, ...figures];
}
