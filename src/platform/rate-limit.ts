// Fixed-window rate limits counted in the database, so every app process
// shares them (nothing that a second process would need lives in memory).
import { sql } from 'kysely';
import type { Executor } from '../db/index.ts';
import { AppError } from './errors.ts';

export type Limit = { key: string; max: number; windowSeconds: number };

/** Counts one hit against each limit; throws 429 with Retry-After when any is exceeded. */
export async function enforceRateLimits(db: Executor, limits: Limit[], now = Date.now()): Promise<void> {
  for (const l of limits) {
    const windowMs = l.windowSeconds * 1000;
    const start = new Date(Math.floor(now / windowMs) * windowMs);
    const r = await sql<{ hits: number }>`
      insert into rate_limits (key, window_start, hits) values (${l.key}, ${start}, 1)
      on conflict (key, window_start) do update set hits = rate_limits.hits + 1
      returning hits`.execute(db);
    if ((r.rows[0]?.hits ?? 0) > l.max) {
      const retryAfter = Math.max(1, Math.ceil((start.getTime() + windowMs - now) / 1000));
      throw new AppError(429, 'request.rate_limited', undefined, { retryAfter }, { 'retry-after': String(retryAfter) });
    }
  }
}
