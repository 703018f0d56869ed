// Skip logic, the one rule for the server's validation, the web survey and the
// console's preview (the web apps import this file): an item with a condition
// is shown only when the item it names is answered and the condition holds.

export type Condition = {
  item: string;
  op: 'eq' | 'ne' | 'in' | 'gte' | 'lte' | 'answered';
  value?: number | string | boolean | (number | string)[];
};

/** Empty text and an empty choice list count as not answered. */
export function isAnswered(a: unknown): boolean {
  return a !== undefined && a !== null && a !== '' && !(Array.isArray(a) && a.length === 0);
}

/** Equal, allowing a number to match its written form ("3"). */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b);
}

export function conditionHolds(c: Condition | undefined, answers: Record<string, unknown>): boolean {
  if (!c) return true;
  const a = answers[c.item];
  if (!isAnswered(a)) return false;
  const v = c.value;
  const has = (x: unknown) => sameValue(a, x) || (Array.isArray(a) && a.some((y) => sameValue(y, x)));
  switch (c.op) {
    case 'answered':
      return true;
    case 'eq':
      return has(v);
    case 'ne':
      return !has(v);
    case 'in':
      return Array.isArray(v) && v.some(has);
    case 'gte':
      return typeof a === 'number' && typeof v === 'number' && a >= v;
    case 'lte':
      return typeof a === 'number' && typeof v === 'number' && a <= v;
  }
  return true;
}
