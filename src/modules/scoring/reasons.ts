// The reasons people gave (reason lists of multiple-choice items: kiosk "why",
// phone "why did you come back"), counted for a unit and period from the rollups.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import { type Definition, definition as definitionSchema, type LocalText, optionsOf } from '../surveys/definition.ts';
import { type Period, periodRange } from './period.ts';

export type ReasonCount = {
  instrument: string;
  item: string;
  itemLabel: LocalText;
  value: string;
  label: LocalText;
  count: number;
};

// Published versions never change: each is parsed once.
const parsedDefinitions = new Map<string, Definition>();

export async function reasonCounts(
  db: Executor,
  q: { tenantId: string; timeZone: string; unitId: string; period: Period },
): Promise<ReasonCount[]> {
  const range = periodRange(q.period, q.timeZone);
  const versions = await db
    .selectFrom('instrument_versions as v')
    .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
    .select(['i.id', 'i.code', 'v.version', 'v.definition'])
    .where('v.tenant_id', '=', q.tenantId)
    .where('v.status', '=', 'published')
    .execute();
  // Multiple-choice items with their options, per instrument and version.
  const items = new Map<string, { code: string; item: Definition['items'][number]; def: Definition }>();
  for (const v of versions) {
    const key = `${v.id}:${v.version}`;
    let def = parsedDefinitions.get(key);
    if (!def) {
      def = definitionSchema.parse(v.definition);
      parsedDefinitions.set(key, def);
    }
    for (const it of def.items)
      if (it.type === 'multiple') items.set(`${v.id}:${v.version}:${it.code}`, { code: v.code, item: it, def });
  }
  if (!items.size) return [];
  const part = (table: string) => sql`
    select instrument_id, version, item, value, count from ${sql.table(table)}
    where tenant_id = ${q.tenantId} and unit_id = ${q.unitId} and flag = ''
      and day between ${range.fromDay}::date and ${range.toDay}::date`;
  const rows = await sql<{ instrument_id: string; version: number; item: string; value: string; count: string }>`
    select instrument_id, version, item, value, sum(count)::bigint as count
    from (${part('response_rollups')} union all ${part('response_rollup_deltas')}) x
    group by instrument_id, version, item, value`.execute(db);
  const totals = new Map<string, ReasonCount>();
  for (const r of rows.rows) {
    const found = items.get(`${r.instrument_id}:${r.version}:${r.item}`);
    if (!found) continue;
    const opt = optionsOf(found.item, found.def).find((o) => o.code === r.value);
    if (!opt) continue;
    const key = `${found.code}:${r.item}:${r.value}`;
    const cur = totals.get(key);
    if (cur) cur.count += Number(r.count);
    else
      totals.set(key, {
        instrument: found.code,
        item: r.item,
        itemLabel: found.item.label,
        value: r.value,
        label: opt.label,
        count: Number(r.count),
      });
  }
  return [...totals.values()].filter((x) => x.count > 0).sort((a, b) => b.count - a.count);
}
