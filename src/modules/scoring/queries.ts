import type { Executor } from '../../db/index.ts';
import { type IndexDefinition, indexDefinition } from './definition.ts';

export type IndexVersion = { code: string; version: number; builtin: boolean; definition: IndexDefinition; createdAt: Date };

/** Every index with its current version's definition, by code. */
export async function listIndices(db: Executor, tenantId: string): Promise<IndexVersion[]> {
  const rows = await db
    .selectFrom('score_indices as i')
    .innerJoin('score_index_versions as v', (j) =>
      j.onRef('v.tenant_id', '=', 'i.tenant_id').onRef('v.code', '=', 'i.code').onRef('v.version', '=', 'i.current_version'),
    )
    .select(['i.code', 'v.version', 'i.builtin', 'v.definition', 'v.created_at'])
    .where('i.tenant_id', '=', tenantId)
    .orderBy('i.code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    version: r.version,
    builtin: r.builtin,
    definition: indexDefinition.parse(r.definition),
    createdAt: r.created_at,
  }));
}

/** One index at its current version, or at the version asked for. */
export async function indexVersion(
  db: Executor,
  tenantId: string,
  code: string,
  version?: number,
): Promise<IndexVersion | undefined> {
  let q = db
    .selectFrom('score_indices as i')
    .innerJoin('score_index_versions as v', (j) => j.onRef('v.tenant_id', '=', 'i.tenant_id').onRef('v.code', '=', 'i.code'))
    .select(['i.code', 'v.version', 'i.builtin', 'v.definition', 'v.created_at'])
    .where('i.tenant_id', '=', tenantId)
    .where('i.code', '=', code);
  q = version === undefined ? q.whereRef('v.version', '=', 'i.current_version') : q.where('v.version', '=', version);
  const r = await q.executeTakeFirst();
  return (
    r && {
      code: r.code,
      version: r.version,
      builtin: r.builtin,
      definition: indexDefinition.parse(r.definition),
      createdAt: r.created_at,
    }
  );
}

export async function indexVersions(db: Executor, tenantId: string, code: string) {
  return db
    .selectFrom('score_index_versions')
    .select(['version', 'note', 'created_by', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .orderBy('version')
    .execute();
}
