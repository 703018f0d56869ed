import { searchKey } from '../../shared/normalize';
import type { Unit } from '../../shared/types';

export interface UnitIndex {
  byCode: Map<string, Unit>;
  children: Map<string | null, Unit[]>;
  keys: Map<string, string>;
}

/** Units whose parent is outside the caller's scope become roots. */
export function indexUnits(units: Unit[]): UnitIndex {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const children = new Map<string | null, Unit[]>();
  const keys = new Map<string, string>();
  for (const u of units) {
    const parent = u.parentCode !== null && byCode.has(u.parentCode) ? u.parentCode : null;
    const list = children.get(parent);
    if (list) list.push(u);
    else children.set(parent, [u]);
    keys.set(u.code, `${searchKey(u.name)} ${searchKey(u.code)}`);
  }
  return { byCode, children, keys };
}

export interface TreeRow {
  unit: Unit;
  depth: number;
  hasChildren: boolean;
}

/** Depth-first rows, skipping the subtrees of collapsed units. */
export function treeRows(index: UnitIndex, collapsed: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const unit of index.children.get(parent) ?? []) {
      if (seen.has(unit.code)) continue; // bad data must not loop forever
      seen.add(unit.code);
      const hasChildren = (index.children.get(unit.code)?.length ?? 0) > 0;
      rows.push({ unit, depth, hasChildren });
      if (hasChildren && !collapsed.has(unit.code)) walk(unit.code, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

/** Names of the ancestors within scope, top first. */
export function ancestorNames(index: UnitIndex, unit: Unit): string[] {
  const names: string[] = [];
  const seen = new Set([unit.code]);
  let code = unit.parentCode;
  while (code !== null && !seen.has(code)) {
    const parent = index.byCode.get(code);
    if (!parent) break;
    names.unshift(parent.name);
    seen.add(code);
    code = parent.parentCode;
  }
  return names;
}
