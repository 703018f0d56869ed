// The public score API (/api/public/v1) as the pages read it. Answers are kept
// for the visit: switching back to a sector or period costs no second request.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, request } from '../../../shared/api';
import type { Language } from '../../../shared/language';
import type { Sector } from '../../../shared/types';
import { tenantParam } from '../route';

/** The index each sector's rankings show (the API's default). */
export const HEADLINE = ['MSCORE_SATISFACTION', 'MOH_SATISFACTION'];

export type Band = 'above' | 'around' | 'below';

export interface ScoreRow {
  index: string;
  unit: string;
  unitName: string;
  level: 'province' | 'unit';
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  rank: number | null;
  band: Band | null;
  snapshotId: string;
  period: string;
}

export interface SnapshotSummary {
  id: string;
  period: string;
  sector: Sector;
  methodVersion: string;
  inputsHash: string;
  publishedAt: string | null;
}

export interface SnapshotIndex {
  index: string;
  version: number;
  /** the channel the answers came from; null for indices computed from the lists of applications */
  channel: string | null;
  ranked: boolean;
  rows: ScoreRow[];
}

export interface SnapshotDetail extends SnapshotSummary {
  indices: SnapshotIndex[];
}

export interface IndexInfo {
  code: string;
  version: number;
  name: Record<Language, string>;
  description: Record<Language, string> | null;
  sector: Sector | null;
  framework: string | null;
  kind: string;
  channels: string[];
  display: { unit: 'percent' | 'points'; min: number; max: number; decimals: number };
  higherIsBetter: boolean;
}

/** An address of the public API, with the province the page was opened for. */
export function apiPath(path: string, query: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const tenant = tenantParam();
  if (tenant) q.set('tenant', tenant);
  const s = q.toString();
  return `/api/public/v1/${path}${s ? `?${s}` : ''}`;
}

export const paths = {
  rankings: (sector: Sector, period: string | null) => apiPath('rankings', { sector, period }),
  snapshots: () => apiPath('snapshots'),
  snapshot: (id: string, format?: 'csv') => apiPath(`snapshots/${encodeURIComponent(id)}`, { format }),
  indices: () => apiPath('indices'),
};

const TIMEOUT_MS = 30_000;
const cache = new Map<string, Promise<unknown>>();
/** What has arrived, to show at once when a page comes back to it. */
const settled = new Map<string, unknown>();

function load<T>(path: string): Promise<T> {
  let p = cache.get(path) as Promise<T> | undefined;
  if (!p) {
    const signal = typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined;
    p = request<T>(path, { signal });
    p.then(
      (data) => settled.set(path, data),
      // A failure is not kept: "Try again" asks again.
      () => cache.delete(path),
    );
    cache.set(path, p);
  }
  return p;
}

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'missing' }
  | { state: 'failed' }
  | { state: 'none' };

/** Reads one address (or nothing, given null); a 404 is "missing", anything else that fails is "failed". */
export function useLoad<T>(path: string | null): Loaded<T> & { retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const key = path === null ? null : `${attempt} ${path}`;
  const [result, setResult] = useState<{ key: string | null; value: Loaded<T> } | null>(null);
  useEffect(() => {
    if (key === null || path === null) return;
    let live = true;
    load<T>(path).then(
      (data) => live && setResult({ key, value: { state: 'ok', data } }),
      (err: unknown) =>
        live && setResult({ key, value: { state: err instanceof ApiError && err.status === 404 ? 'missing' : 'failed' } }),
    );
    return () => {
      live = false;
    };
  }, [key, path]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  if (key === null) return { state: 'none', retry };
  // Until the new address answers, the page shows it is loading rather than the old figures.
  const value: Loaded<T> =
    result?.key === key
      ? result.value
      : settled.has(path as string)
        ? { state: 'ok', data: settled.get(path as string) as T }
        : { state: 'loading' };
  return { ...value, retry };
}
