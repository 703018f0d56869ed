// All reads of the organisation area. Other areas use these, never its tables.
import type { Executor } from '../../db/index.ts';
import { inScope, type Principal, type UnitScope, unitScope } from '../../platform/auth/policy.ts';
import { notFound } from '../../platform/errors.ts';
import { searchKey } from '../../platform/text.ts';
import { maskPhone, type Vault } from '../../platform/vault.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const day = (d: unknown): string | null =>
  d === null || d === undefined ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);

export async function tenantByCode(db: Executor, code: string) {
  return db.selectFrom('tenants').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function tenantById(db: Executor, id: string) {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function listUnits(
  db: Executor,
  tenantId: string,
  scope: UnitScope,
  opts: { search?: string; current?: boolean; today?: string; code?: string } = {},
) {
  if (!scope.all && scope.unitIds.length === 0) return [];
  let q = db
    .selectFrom('units as u')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .leftJoin('units as s', 's.id', 'u.successor_id')
    .select([
      'u.id',
      'u.code',
      'u.name',
      'u.kind',
      'u.sector',
      'p.code as parentCode',
      'u.valid_from',
      'u.valid_to',
      's.code as successorCode',
      'u.kiosks',
    ])
    .where('u.tenant_id', '=', tenantId)
    .orderBy('u.code');
  if (!scope.all) q = q.where('u.id', 'in', scope.unitIds);
  if (opts.code !== undefined) q = q.where('u.code', '=', opts.code);
  if (opts.search) {
    const key = `%${searchKey(opts.search).replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('u.search_key', 'like', key), eb(eb.fn('lower', ['u.code']), 'like', key)]));
  }
  if (opts.current) {
    const today = opts.today ?? new Date().toISOString().slice(0, 10);
    q = q.where('u.valid_from', '<=', today).where((eb) => eb.or([eb('u.valid_to', 'is', null), eb('u.valid_to', '>=', today)]));
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    sector: r.sector,
    parentCode: r.parentCode,
    validFrom: day(r.valid_from) as string,
    validTo: day(r.valid_to),
    successorCode: r.successorCode,
    kiosks: r.kiosks,
  }));
}

export async function listServices(db: Executor, tenantId: string, search?: string) {
  let q = db
    .selectFrom('services')
    .select(['code', 'name', 'kind', 'sector', 'field'])
    .where('tenant_id', '=', tenantId)
    .orderBy('code');
  if (search) q = q.where('search_key', 'like', `%${searchKey(search).replace(/[\\%_]/g, '\\$&')}%`);
  return q.execute();
}

async function grantsByUser(db: Executor, tenantId: string, userIds: string[]) {
  if (userIds.length === 0)
    return new Map<
      string,
      { id: string; role: string; unitId: string | null; unitCode: string | null; unitName: string | null }[]
    >();
  const rows = await db
    .selectFrom('role_grants as g')
    .leftJoin('units as u', 'u.id', 'g.unit_id')
    .select(['g.id', 'g.user_id', 'g.role', 'g.unit_id', 'u.code as unitCode', 'u.name as unitName'])
    .where('g.tenant_id', '=', tenantId)
    .where('g.user_id', 'in', userIds)
    .orderBy('g.created_at')
    .execute();
  const out = new Map<
    string,
    { id: string; role: string; unitId: string | null; unitCode: string | null; unitName: string | null }[]
  >();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ id: r.id, role: r.role, unitId: r.unit_id, unitCode: r.unitCode, unitName: r.unitName });
    out.set(r.user_id, list);
  }
  return out;
}

/**
 * Users an admin may see: with a tenant-wide scope all of them; otherwise those
 * whose every grant lies inside the admin's subtrees.
 */
export async function listUsers(db: Executor, vault: Vault, tenantId: string, scope: UnitScope, onlyId?: string) {
  let q = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'disabled_at', 'phone_enc', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('username');
  if (onlyId) q = q.where('id', '=', onlyId);
  const users = await q.execute();
  const grants = await grantsByUser(
    db,
    tenantId,
    users.map((u) => u.id),
  );
  return users
    .filter((u) => {
      if (scope.all) return true;
      const g = grants.get(u.id) ?? [];
      return g.length > 0 && g.every((x) => x.unitId !== null && scope.unitIds.includes(x.unitId));
    })
    .map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      disabled: u.disabled_at !== null,
      phoneMasked: u.phone_enc ? maskPhone(vault.decrypt(u.phone_enc, `users.phone:${u.id}`)) : null,
      grants: (grants.get(u.id) ?? []).map(({ id, role, unitCode, unitName }) => ({ id, role, unitCode, unitName })),
      createdAt: u.created_at.toISOString(),
    }));
}

export async function listTokens(db: Executor, tenantId: string, scope: UnitScope) {
  let q = db
    .selectFrom('api_tokens as t')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .select([
      't.id',
      't.name',
      't.role',
      'u.code as unitCode',
      't.unit_id',
      't.prefix',
      't.created_at',
      't.last_used_at',
      't.revoked_at',
    ])
    .where('t.tenant_id', '=', tenantId)
    .orderBy('t.created_at', 'desc');
  if (!scope.all) {
    if (scope.unitIds.length === 0) return [];
    q = q.where('t.unit_id', 'in', scope.unitIds);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    unitCode: r.unitCode,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

export async function listAudit(db: Executor, tenantId: string, limit: number) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor_type', 'actor_name', 'action', 'object_type', 'object_id', 'details'])
    .where('tenant_id', '=', tenantId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actorType: r.actor_type,
    actorName: r.actor_name,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    details: r.details,
  }));
}

export async function unitByCode(db: Executor, tenantId: string, code: string) {
  return db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'sector', 'kind', 'valid_to'])
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .executeTakeFirst();
}

/** A unit by code that the principal may act on for this action; 404 otherwise (a unit outside the grant is not revealed). */
export async function scopedUnitByCode(db: Executor, p: Principal, code: string, action: string) {
  const u = await unitByCode(db, p.tenantId, code);
  if (!u || !inScope(await unitScope(db, p, action), u.id)) throw notFound('unit.not_found');
  return u;
}
