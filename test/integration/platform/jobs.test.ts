// The job queue (pg-boss on the platform's own database): jobs enqueued in a
// business transaction exist only if it commits (outbox), the session cleanup
// job really purges and really runs on the workers, and failing jobs are
// retried, then moved to their dead-letter queue.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeSessions, SESSION_CLEANUP } from '../../../src/platform/auth/cleanup-job.ts';
import { createJobs, type Jobs } from '../../../src/platform/jobs.ts';
import { type Client, startTestPlatform, type TestPlatform } from '../../support/platform.ts';

let tp: TestPlatform;
let admin: Client;
let extraJobs: Jobs | undefined;

beforeAll(async () => {
  tp = await startTestPlatform();
  admin = await tp.admin();
});

afterAll(async () => {
  await extraJobs?.stop();
  await tp?.stop();
});

async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Jobs of a queue carrying a marker, in the live table and in the archive. */
async function jobsWithMarker(name: string, marker: string) {
  const r = await sql<{ id: string; state: string }>`
    select id, state::text as state from pgboss.job where name = ${name} and data->>'marker' = ${marker}
    union all
    select id, state::text as state from pgboss.archive where name = ${name} and data->>'marker' = ${marker}`.execute(tp.ctx.db);
  return r.rows;
}

describe('outbox: a job exists only if its transaction commits', () => {
  it('rolled back -> no job; committed -> exactly one', async () => {
    const marker = `outbox-${randomBytes(4).toString('hex')}`;
    await expect(
      tp.ctx.db.transaction().execute(async (tx) => {
        const id = await tp.ctx.jobs.send(tx, SESSION_CLEANUP, { marker });
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        // Visible inside the transaction...
        const inside = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where id = ${id}::uuid`.execute(tx);
        expect(inside.rows[0]?.n).toBe(1);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // ...and gone with it.
    expect(await jobsWithMarker(SESSION_CLEANUP, marker)).toEqual([]);

    let sent: string | null = null;
    await tp.ctx.db.transaction().execute(async (tx) => {
      sent = await tp.ctx.jobs.send(tx, SESSION_CLEANUP, { marker });
    });
    const rows = await jobsWithMarker(SESSION_CLEANUP, marker);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(sent);
  });

  it('refuses a job nobody defined', async () => {
    await expect(tp.ctx.jobs.send(tp.ctx.db, 'no.such.job', {})).rejects.toThrow(/unknown job/);
  });
});

describe('session cleanup', () => {
  const password = 'cleanup-password-1';
  let userId: string;

  /** Logs the user in (a real session row) and returns the new session's id. */
  async function newSession(): Promise<string> {
    const before = new Set(
      (await tp.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).map((s) => s.id),
    );
    const c = tp.client();
    expect((await c.login('cleanup-user', password)).status).toBe(200);
    const after = await tp.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
    const fresh = after.filter((s) => !before.has(s.id));
    expect(fresh).toHaveLength(1);
    return (fresh[0] as { id: string }).id;
  }

  async function exists(id: string) {
    return Boolean(await tp.ctx.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst());
  }

  beforeAll(async () => {
    const r = await admin.post('/api/v1/users', { username: 'cleanup-user', displayName: 'Cleanup', password });
    expect(r.status).toBe(201);
    userId = r.body.id;
  });

  it('purgeSessions removes sessions ended more than a day ago and keeps the others', async () => {
    const expired = await newSession();
    const idle = await newSession();
    const revoked = await newSession();
    const recentlyExpired = await newSession();
    const live = await newSession();
    await sql`update sessions set expires_at = now() - interval '2 days', idle_expires_at = now() - interval '2 days',
      created_at = now() - interval '3 days' where id = ${expired}::uuid`.execute(tp.ctx.db);
    await sql`update sessions set idle_expires_at = now() - interval '2 days' where id = ${idle}::uuid`.execute(tp.ctx.db);
    await sql`update sessions set revoked_at = now() - interval '2 days' where id = ${revoked}::uuid`.execute(tp.ctx.db);
    await sql`update sessions set expires_at = now() - interval '1 hour', idle_expires_at = now() - interval '1 hour'
      where id = ${recentlyExpired}::uuid`.execute(tp.ctx.db);
    // A login attempt older than 30 days goes too; a recent one stays.
    await sql`update login_attempts set at = now() - interval '31 days'
      where id = (select min(id) from login_attempts where username = 'cleanup-user')`.execute(tp.ctx.db);
    const attemptsBefore = await sql<{ n: number }>`select count(*)::int as n from login_attempts`.execute(tp.ctx.db);

    const result = await purgeSessions(tp.ctx.db);
    expect(result).toEqual({ sessions: 3, attempts: 1 });
    expect(await exists(expired)).toBe(false);
    expect(await exists(idle)).toBe(false);
    expect(await exists(revoked)).toBe(false);
    expect(await exists(recentlyExpired)).toBe(true);
    expect(await exists(live)).toBe(true);
    const attemptsAfter = await sql<{ n: number }>`select count(*)::int as n from login_attempts`.execute(tp.ctx.db);
    expect(attemptsAfter.rows[0]?.n).toBe((attemptsBefore.rows[0]?.n as number) - 1);
    // Safe to run twice.
    expect(await purgeSessions(tp.ctx.db)).toEqual({ sessions: 0, attempts: 0 });
    // The admin's session is untouched.
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('the server’s workers run the job: an enqueued cleanup purges an expired session', async () => {
    const expired = await newSession();
    await sql`update sessions set expires_at = now() - interval '2 days', idle_expires_at = now() - interval '2 days'
      where id = ${expired}::uuid`.execute(tp.ctx.db);
    expect(await exists(expired)).toBe(true);
    const jobId = await tp.ctx.jobs.send(tp.ctx.db, SESSION_CLEANUP, {});
    expect(jobId).toBeTruthy();
    await poll('the expired session to be purged by the worker', async () => !(await exists(expired)));
    const state = await poll('the job to be completed', async () => {
      const r = await sql<{ state: string }>`select state::text as state from pgboss.job where id = ${jobId}::uuid`.execute(
        tp.ctx.db,
      );
      return r.rows[0]?.state === 'completed' ? 'completed' : undefined;
    });
    expect(state).toBe('completed');
  });
});

describe('retries and dead letters', () => {
  it('a job that always fails is tried retryLimit+1 times, then lands in its dead-letter queue', async () => {
    const name = `test.always-fails-${randomBytes(3).toString('hex')}`;
    const retryLimit = 1;
    const calls: { id: string; retryCount: number; data: unknown }[] = [];
    extraJobs = createJobs(tp.ctx.db, pino({ level: 'silent' }));
    extraJobs.define<{ n: number }>({
      name,
      retryLimit,
      retryDelay: 1,
      handler: async (data, job) => {
        calls.push({ id: job.id, retryCount: job.retryCount, data });
        throw new Error('this job always fails');
      },
    });
    await extraJobs.start({ workers: true, timeZone: tp.config.timeZone });
    const dead = extraJobs.deadLetterName(name);
    expect(dead).not.toBe(name);

    const id = await extraJobs.send(tp.ctx.db, name, { n: 42 });
    expect(id).toBeTruthy();
    const dlq = await poll(
      'a job in the dead-letter queue',
      async () => {
        const r = await sql<{ data: unknown; state: string }>`
          select data, state::text as state from pgboss.job where name = ${dead}`.execute(tp.ctx.db);
        return r.rows.length ? r.rows : undefined;
      },
      30_000,
    );
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.data).toEqual({ n: 42 });

    const original = await sql<{ state: string; retry_count: number }>`
      select state::text as state, retry_count from pgboss.job where id = ${id}::uuid`.execute(tp.ctx.db);
    expect(original.rows[0]).toEqual({ state: 'failed', retry_count: retryLimit });
    expect(calls).toHaveLength(retryLimit + 1);
    expect(calls.map((c) => c.retryCount)).toEqual([0, 1]);
    expect(calls.every((c) => c.id === id)).toBe(true);
    expect(calls[0]?.data).toEqual({ n: 42 });

    // Nothing more happens to it: no third attempt.
    await new Promise((r) => setTimeout(r, 2500));
    expect(calls).toHaveLength(retryLimit + 1);

    await extraJobs.stop();
    extraJobs = undefined;
  });
});
