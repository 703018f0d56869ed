// Alerts for the board and the units (issue rules): a significant drop from the
// previous period, any report of paying without a receipt, a large gap between
// kiosk and phone satisfaction, and a unit under the minimum sample two periods
// running. Each carries its evidence; they are computed on demand from scores.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { Sector } from '../../db/types.ts';
import { computeScores, type ScoreResult } from './compute.ts';
import { type Period, periodRange, previousOf } from './period.ts';
import { listIndices } from './queries.ts';
import { computeSector } from './snapshots.ts';
import { MIN_PUBLISHED, shareChangeP } from './stats.ts';

/** Percentage points between kiosk and phone satisfaction that call for a look, when significant. */
export const KIOSK_GAP_POINTS = 15;

export type Alert = {
  kind: 'significant_drop' | 'paid_without_receipt' | 'kiosk_phone_gap' | 'small_sample';
  severity: 'high' | 'medium';
  unit: string;
  unitName: string;
  index: string | null;
  evidence: Record<string, number | string | null>;
};

export async function computeAlerts(
  db: Executor,
  q: { tenantId: string; timeZone: string; period: Period; sector: Sector },
): Promise<Alert[]> {
  const indices = (await listIndices(db, q.tenantId)).filter(
    (x) => x.definition.sector === q.sector || x.definition.sector === null,
  );
  const all = await computeSector(db, { tenantId: q.tenantId, timeZone: q.timeZone, period: q.period.code, sector: q.sector });
  const results = new Map<string, ScoreResult>(all.map((r) => [r.index, r]));
  const alerts: Alert[] = [];
  const defOf = new Map(indices.map((x) => [x.code, x.definition]));

  for (const [code, r] of results) {
    const higher = defOf.get(code)?.higherIsBetter ?? true;
    for (const row of r.rows) {
      const p = row.previous;
      if (!p?.significant || row.value === null) continue;
      if (higher ? p.change < 0 : p.change > 0)
        alerts.push({
          kind: 'significant_drop',
          severity: 'medium',
          unit: row.unit,
          unitName: row.unitName,
          index: code,
          evidence: { value: row.value, n: row.n, previousValue: p.value, previousN: p.n, change: p.change, p: p.p },
        });
    }
  }

  // Any answer at all: internal alerts are not published, so small cells are shown too.
  const paid = results.get('PAID_NO_RECEIPT');
  if (paid)
    for (const i of paid.inputs) {
      if (i.x <= 0) continue;
      const row = paid.rows.find((r) => r.unit === i.unit);
      alerts.push({
        kind: 'paid_without_receipt',
        severity: 'high',
        unit: i.unit,
        unitName: row?.unitName ?? i.unit,
        index: 'PAID_NO_RECEIPT',
        evidence: { reports: i.x, n: i.n },
      });
    }

  const kiosk = results.get('KIOSK_SATISFIED');
  const phone = results.get('MSCORE_SATISFIED_SHARE');
  if (kiosk && phone)
    for (const k of kiosk.inputs) {
      const ph = phone.inputs.find((x) => x.unit === k.unit);
      if (!ph || k.n < MIN_PUBLISHED || ph.n < MIN_PUBLISHED) continue;
      const gap = (k.x / k.n - ph.x / ph.n) * 100;
      const p = shareChangeP(k.x, k.n, ph.x, ph.n);
      if (Math.abs(gap) < KIOSK_GAP_POINTS || p >= 0.05) continue;
      alerts.push({
        kind: 'kiosk_phone_gap',
        severity: 'medium',
        unit: k.unit,
        unitName: kiosk.rows.find((r) => r.unit === k.unit)?.unitName ?? k.unit,
        index: 'KIOSK_SATISFIED',
        evidence: {
          kiosk: Math.round((k.x / k.n) * 1000) / 10,
          kioskN: k.n,
          phone: Math.round((ph.x / ph.n) * 1000) / 10,
          phoneN: ph.n,
          gap: Math.round(gap * 10) / 10,
          p: Math.round(p * 10_000) / 10_000,
        },
      });
    }

  // The headline survey index, this period and the one before.
  const headline = q.sector === 'health' ? 'MOH_SATISFACTION' : 'MSCORE_SATISFACTION';
  const def = defOf.get(headline);
  const cur = results.get(headline);
  if (def && cur) {
    const before = await computeScores(db, {
      tenantId: q.tenantId,
      timeZone: q.timeZone,
      code: headline,
      version: cur.version,
      definition: def,
      period: previousOf(q.period),
      channel: cur.channel,
      sector: q.sector,
      withPrevious: false,
    });
    // Units that answered or served someone: a unit with neither is not running yet.
    const range = periodRange(q.period, q.timeZone);
    const active = new Set(
      (
        await sql<{ code: string }>`
          select distinct u.code from service_events e join units u on u.id = e.unit_id
          where e.tenant_id = ${q.tenantId} and e.received_at >= ${range.start} and e.received_at < ${range.end}`.execute(db)
      ).rows.map((r) => r.code),
    );
    for (const row of cur.rows) {
      const prev = before.rows.find((r) => r.unit === row.unit);
      if (row.n + (prev?.n ?? 0) === 0 && !active.has(row.unit)) continue;
      if (row.n < MIN_PUBLISHED && prev && prev.n < MIN_PUBLISHED)
        alerts.push({
          kind: 'small_sample',
          severity: 'medium',
          unit: row.unit,
          unitName: row.unitName,
          index: headline,
          evidence: {
            n: row.n,
            previousN: prev.n,
            minimum: MIN_PUBLISHED,
            period: q.period.code,
            previousPeriod: previousOf(q.period).code,
          },
        });
    }
  }
  const order = { high: 0, medium: 1 };
  return alerts.sort(
    (a, b) => order[a.severity] - order[b.severity] || a.kind.localeCompare(b.kind) || a.unit.localeCompare(b.unit),
  );
}
