// Computed scores are kept briefly in memory: dashboards ask the same
// questions again and again. Any write this process makes to answers or
// events starts a new generation for the tenant, so its own readers never see
// stale figures; writes made by other processes show within MAX_AGE_MS.
const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 2_000;

const generations = new Map<string, number>();
const entries = new Map<string, { at: number; value: Promise<unknown> }>();

/** Called by every path that changes answers, events or their counts. */
export function dataChanged(tenantId: string): void {
  generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
}

export function cachedScores<T>(tenantId: string, key: string, compute: () => Promise<T>): Promise<T> {
  const k = `${tenantId}\u0000${generations.get(tenantId) ?? 0}\u0000${key}`;
  const hit = entries.get(k);
  if (hit && Date.now() - hit.at < MAX_AGE_MS) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = compute();
  entries.set(k, { at: Date.now(), value });
  // A failure is not kept.
  value.catch(() => entries.delete(k));
  return value;
}
