// Accent-insensitive key so officials can type without Vietnamese input methods.
export function searchKey(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/\s+/g, ' ').trim();
}

/** True when every whitespace-separated term of the query occurs in one of the keys. */
export function matchesQuery(query: string, ...keys: string[]): boolean {
  const terms = searchKey(query).split(' ').filter(Boolean);
  if (terms.length === 0) return true;
  return terms.every((term) => keys.some((k) => k.includes(term)));
}
