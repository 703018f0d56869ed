import { describe, expect, it } from 'vitest';
import { canonical } from './audit.ts';
import { rng } from './random.ts';

/** The definition, written plainly (for keys that are not array indexes, which objects put first). */
function reference(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, x[k]]),
        )
      : x,
  );
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.4) {
    const leaf = [1.5, -3, 0, 'phường 7', 'a"b\\c', '', true, false, null, 'Đ\u0000x'];
    return leaf[Math.floor(next() * leaf.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) {
    const k = ['b', 'a', 'Z', 'ánh', 'b10', 'b9', '_n'][Math.floor(next() * 7)] as string;
    o[k] = next() < 0.15 ? undefined : randomValue(next, depth + 1);
  }
  return o;
}

describe('canonical', () => {
  it('is JSON with sorted keys, without undefined members, for any nesting', () => {
    expect(canonical({ b: 1, a: [2, { d: undefined, c: 'x' }] })).toBe('{"a":[2,{"c":"x"}],"b":1}');
    expect(canonical({})).toBe('{}');
    expect(canonical([])).toBe('[]');
    expect(canonical(undefined)).toBe('null');
    const next = rng(42);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(next, 0);
      expect(canonical(v)).toBe(reference(v));
    }
  });
});
