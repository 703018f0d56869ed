// All reads of the surveys area. Other areas use these, never its tables.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { Channel, LocalText, Sector } from '../../db/types.ts';
import type { UnitScope } from '../../platform/auth/policy.ts';
import type { Definition } from './definition.ts';

export type PublishedVersion = {
  instrumentId: string;
  code: string;
  name: LocalText;
  version: number;
  channels: Channel[];
  sector: Sector | null;
  definition: Definition;
  /** item code -> item, for validation */
  items: Map<string, Definition['items'][number]>;
};

function toPublished(r: {
  instrument_id: string;
  code: string;
  name: LocalText;
  version: number;
  channels: Channel[];
  sector: Sector | null;
  definition: unknown;
}): PublishedVersion {
  const definition = r.definition as Definition;
  return {
    instrumentId: r.instrument_id,
    code: r.code,
    name: r.name,
    version: r.version,
    channels: r.channels,
    sector: r.sector,
    definition,
    items: new Map(definition.items.map((it) => [it.code, it])),
  };
}

// Published versions never change, so they are cached for good; which version
// is the latest is cached briefly (another process may publish).
const exact = new Map<string, PublishedVersion>();
const latest = new Map<string, { at: number; v: PublishedVersion | undefined }>();
const LATEST_TTL_MS = 5_000;

/** A published version by instrument code (and number, or the latest). */
export async function publishedVersion(
  db: Executor,
  tenantId: string,
  code: string,
  version?: number,
): Promise<PublishedVersion | undefined> {
  if (version !== undefined) {
    const key = `${tenantId}:${code}:${version}`;
    const hit = exact.get(key);
    if (hit) return hit;
  } else {
    const hit = latest.get(`${tenantId}:${code}`);
    if (hit && Date.now() - hit.at < LATEST_TTL_MS) return hit.v;
  }
  let q = db
    .selectFrom('instrument_versions as v')
    .innerJoin('instruments as i', 'i.id', 'v.instrument_id')
    .select(['v.instrument_id', 'i.code', 'i.name', 'v.version', 'i.channels', 'i.sector', 'v.definition'])
    .where('v.tenant_id', '=', tenantId)
    .where('i.code', '=', code)
    .where('v.status', '=', 'published');
  q = version !== undefined ? q.where('v.version', '=', version) : q.orderBy('v.version', 'desc').limit(1);
  const row = await q.executeTakeFirst();
  const v = row ? toPublished(row) : undefined;
  if (v) exact.set(`${tenantId}:${code}:${v.version}`, v);
  if (version === undefined) latest.set(`${tenantId}:${code}`, { at: Date.now(), v });
  return v;
}

/** Channel lists and names change without a new version: drop the cached copies. */
export function forgetInstrument(tenantId: string, code: string) {
  latest.delete(`${tenantId}:${code}`);
  for (const key of exact.keys()) if (key.startsWith(`${tenantId}:${code}:`)) exact.delete(key);
}

export async function listInstruments(db: Executor, tenantId: string) {
  const rows = await db
    .selectFrom('instruments as i')
    .leftJoin('instrument_versions as v', (j) => j.onRef('v.instrument_id', '=', 'i.id').onRef('v.tenant_id', '=', 'i.tenant_id'))
    .select([
      'i.id',
      'i.code',
      'i.name',
      'i.sector',
      'i.channels',
      'i.framework',
      'i.builtin',
      'v.version',
      'v.status',
      'v.published_at',
      sql<string[]>`coalesce(array(select jsonb_array_elements(v.definition->'items')->>'code'), '{}')`.as('itemCodes'),
    ])
    .where('i.tenant_id', '=', tenantId)
    .orderBy('i.code')
    .orderBy('v.version')
    .execute();
  const out = new Map<string, ReturnType<typeof summary>>();
  function summary(r: (typeof rows)[number]) {
    return {
      code: r.code,
      name: r.name,
      sector: r.sector,
      channels: r.channels,
      framework: r.framework,
      builtin: r.builtin,
      latestVersion: null as number | null,
      draftVersion: null as number | null,
      versions: [] as { version: number; status: 'draft' | 'published'; publishedAt: string | null; items: string[] }[],
    };
  }
  for (const r of rows) {
    let s = out.get(r.code);
    if (!s) {
      s = summary(r);
      out.set(r.code, s);
    }
    if (r.version === null || r.status === null) continue;
    s.versions.push({
      version: r.version,
      status: r.status,
      publishedAt: r.published_at?.toISOString() ?? null,
      items: r.itemCodes,
    });
    if (r.status === 'published') s.latestVersion = r.version;
    else s.draftVersion = r.version;
  }
  return [...out.values()];
}

export async function instrumentByCode(db: Executor, tenantId: string, code: string) {
  const i = await db
    .selectFrom('instruments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!i) return undefined;
  const versions = await db
    .selectFrom('instrument_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('instrument_id', '=', i.id)
    .orderBy('version')
    .execute();
  return { ...i, versions };
}

/**
 * The instrument a unit runs on a channel: the nearest assignment on the unit
 * or an ancestor, else the tenant-wide one for the unit's sector, else for any sector.
 */
export async function effectiveInstrument(db: Executor, tenantId: string, unitId: string, channel: Channel) {
  const r = await sql<{ code: string; via: string; unit_code: string | null }>`
    with recursive anc(id, parent_id, depth) as (
      select id, parent_id, 0 from units where tenant_id = ${tenantId} and id = ${unitId}
      union all
      select u.id, u.parent_id, anc.depth + 1 from units u join anc on u.id = anc.parent_id where u.tenant_id = ${tenantId}
    )
    select i.code, case when a.unit_id is not null then 'unit' when a.sector is not null then 'sector' else 'tenant' end as via,
      au.code as unit_code
    from instrument_assignments a
    join instruments i on i.id = a.instrument_id
    left join anc on anc.id = a.unit_id
    left join units au on au.id = a.unit_id
    where a.tenant_id = ${tenantId} and a.channel = ${channel}
      and (anc.id is not null
        or (a.unit_id is null and (a.sector is null or a.sector = (select sector from units where id = ${unitId}))))
    order by case when a.unit_id is not null then anc.depth when a.sector is not null then 1000 else 1001 end
    limit 1`.execute(db);
  return r.rows[0];
}

/** Tenant-wide assignments and those of the units in scope. */
export async function listAssignments(db: Executor, tenantId: string, scope: UnitScope) {
  let q = db
    .selectFrom('instrument_assignments as a')
    .innerJoin('instruments as i', 'i.id', 'a.instrument_id')
    .leftJoin('units as u', 'u.id', 'a.unit_id')
    .select(['a.id', 'a.channel', 'a.sector', 'u.code as unit', 'u.name as unitName', 'i.code as instrument'])
    .where('a.tenant_id', '=', tenantId)
    .orderBy('a.channel')
    .orderBy('u.code')
    .orderBy('a.sector');
  if (!scope.all) q = q.where((eb) => eb.or([eb('a.unit_id', 'is', null), eb('a.unit_id', 'in', [...scope.unitIds, ZERO])]));
  return q.execute();
}

const ZERO = '00000000-0000-0000-0000-000000000000';
