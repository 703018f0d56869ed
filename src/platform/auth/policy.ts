// One policy layer for every route: an action names what is done, each area's
// policy.ts says which roles may do it, and grants say on which unit subtree.
import { sql } from 'kysely';
import type { Executor } from '../../db/index.ts';
import type { Role } from '../../db/types.ts';
import { AppError } from '../errors.ts';

export type PolicyTable = Record<string, readonly Role[]>;

const registry = new Map<string, readonly Role[]>();

export function definePolicy<T extends PolicyTable>(table: T): T {
  for (const [action, roles] of Object.entries(table)) registry.set(action, roles);
  return table;
}

export function rolesFor(action: string): readonly Role[] {
  const roles = registry.get(action);
  if (!roles) throw new Error(`policy: unknown action "${action}"`);
  return roles;
}

export function knownActions(): string[] {
  return [...registry.keys()].sort();
}

export type Grant = { role: Role; unitId: string | null };

export type Principal = {
  kind: 'user' | 'token';
  tenantId: string;
  /** users.id or api_tokens.id */
  id: string;
  name: string;
  grants: Grant[];
  sessionId?: string;
  csrfToken?: string;
};

export function permits(p: Principal, action: string): boolean {
  const roles = rolesFor(action);
  return p.grants.some((g) => roles.includes(g.role));
}

export function permissionsOf(p: Principal): string[] {
  return knownActions().filter((a) => permits(p, a));
}

/** The units an action may touch: everything, or the subtrees of the fitting grants. */
export type UnitScope = { all: true } | { all: false; unitIds: string[] };

export async function unitScope(db: Executor, p: Principal, action: string): Promise<UnitScope> {
  const roles = rolesFor(action);
  const grants = p.grants.filter((g) => roles.includes(g.role));
  if (grants.some((g) => g.unitId === null)) return { all: true };
  const roots = grants.map((g) => g.unitId as string);
  if (roots.length === 0) return { all: false, unitIds: [] };
  const rows = await sql<{ id: string }>`
    with recursive sub(id) as (
      select id from units where tenant_id = ${p.tenantId} and id = any(${roots}::uuid[])
      union
      select u.id from units u join sub on u.parent_id = sub.id where u.tenant_id = ${p.tenantId}
    ) select id from sub`.execute(db);
  return { all: false, unitIds: rows.rows.map((r) => r.id) };
}

export function inScope(scope: UnitScope, unitId: string | null): boolean {
  if (scope.all) return true;
  return unitId !== null && scope.unitIds.includes(unitId);
}

export function requirePermission(p: Principal, action: string): void {
  if (!permits(p, action)) throw new AppError(403, 'auth.forbidden');
}
