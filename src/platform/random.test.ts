// Time-ordered ids: milliseconds first, then a counter, in the RFC 9562 layout.
import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from './random.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('carries the milliseconds, version 7 and the variant, and sorts in the order made', () => {
    // ascending: a clock that goes back keeps the last millisecond (the ids stay in order)
    for (const now of [1, Date.UTC(2026, 11, 7, 6, 30), Date.UTC(2099, 0, 1), 2 ** 48 - 1]) {
      const ids = Array.from({ length: 300 }, () => timeOrderedUuid(now));
      for (const id of ids) {
        expect(id).toMatch(UUID);
        expect(id.replaceAll('-', '').slice(0, 12)).toBe(now.toString(16).padStart(12, '0'));
      }
      // made within one millisecond: the counter keeps them in order, and apart
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('never repeats over many ids', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => timeOrderedUuid()));
    expect(ids.size).toBe(20_000);
  });
});
