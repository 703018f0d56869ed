import { describe, expect, it } from 'vitest';
import { allocate, DEFAULT_DESIGN, type FrameRow, planRound, requiredSample } from './sampling.ts';

const row = (i: number, unitId: string, o: Partial<FrameRow> = {}): FrameRow => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  unitId,
  field: null,
  phoneHash: Buffer.from(`phone-${i}`),
  phoneKind: 'mobile',
  returned: true,
  cancelled: false,
  optedOut: false,
  recent: false,
  gender: null,
  ethnicMinority: null,
  ...o,
});

describe('sample size', () => {
  it('follows n0 = z² p(1-p)/e² with the finite-population correction, the floor and the frame', () => {
    // n0 = 1.96² x 0.25 / 0.05² = 384.16
    expect(requiredSample(DEFAULT_DESIGN, 1_000_000)).toBe(385);
    // 384.16 / (1 + 383.16/3000) = 340.7
    expect(requiredSample(DEFAULT_DESIGN, 3000)).toBe(341);
    // 384.16 / (1 + 383.16/30) = 27.9, raised to the floor of 30
    expect(requiredSample(DEFAULT_DESIGN, 30)).toBe(30);
    // fewer than the floor: everyone
    expect(requiredSample(DEFAULT_DESIGN, 12)).toBe(12);
    expect(requiredSample(DEFAULT_DESIGN, 0)).toBe(0);
    expect(requiredSample({ ...DEFAULT_DESIGN, margin: 0.1, floor: 5 }, 200)).toBe(66); // 96.04/(1+95.04/200) = 65.1
  });

  it('allocates a target over strata in proportion, by largest remainder', () => {
    const a = allocate(341, [
      { key: 'land', size: 2000 },
      { key: 'civil', size: 700 },
      { key: 'business', size: 300 },
    ]);
    // 227.33, 79.57, 34.1 -> 227, 80, 34
    expect(Object.fromEntries(a)).toEqual({ land: 227, civil: 80, business: 34 });
  });
});

describe('the draw', () => {
  const rows = Array.from({ length: 200 }, (_, i) => row(i, 'u1'));

  it('depends only on the frame and the seed, not on row order', () => {
    const design = { ...DEFAULT_DESIGN, margin: 0.2, floor: 5 };
    const a = planRound(rows, design, 'seed-1', ['u1']);
    const b = planRound([...rows].reverse(), design, 'seed-1', ['u1']);
    const c = planRound(rows, design, 'seed-2', ['u1']);
    const ids = (p: typeof a) => p.sample.map((s) => s.eventId).sort();
    expect(a.sample.length).toBe(requiredSample(design, 200));
    expect(ids(a)).toEqual(ids(b));
    expect(a.frameHash).toBe(b.frameHash);
    expect(ids(c)).not.toEqual(ids(a));
  });

  it('excludes by rule in order and keeps one record per number', () => {
    const frame = [
      row(1, 'u1', { cancelled: true }),
      row(2, 'u1', { returned: false }),
      row(3, 'u1', { phoneHash: null }),
      row(4, 'u1', { phoneKind: 'landline' }),
      row(5, 'u1', { optedOut: true }),
      row(6, 'u1', { recent: true }),
      row(7, 'u1', { phoneHash: Buffer.from('shared') }),
      row(8, 'u2', { phoneHash: Buffer.from('shared') }),
      row(9, 'u1'),
    ];
    const p = planRound(frame, DEFAULT_DESIGN, 's', ['u1', 'u2', 'u3']);
    const u1 = p.units.find((u) => u.unitId === 'u1');
    const u2 = p.units.find((u) => u.unitId === 'u2');
    expect(u1?.excluded).toMatchObject({
      cancelled: 1,
      no_return_date: 1,
      no_phone: 1,
      landline: 1,
      opted_out: 1,
      recent_interview: 1,
    });
    // the shared number is kept once, in whichever record comes first in the draw
    expect((u1?.excluded.duplicate_number ?? 0) + (u2?.excluded.duplicate_number ?? 0)).toBe(1);
    expect((u1?.eligible ?? 0) + (u2?.eligible ?? 0)).toBe(2);
    expect(u1?.shortfall).toBe('too_few');
    expect(p.units.find((u) => u.unitId === 'u3')?.shortfall).toBe('no_records');
  });

  it('splits a large unit by procedure field and draws each stratum’s share', () => {
    const fields = [...Array(2000).fill('land'), ...Array(700).fill('civil'), ...Array(300).fill('business')];
    const frame = fields.map((f, i) => row(i, 'big', { field: f }));
    const small = Array.from({ length: 50 }, (_, i) => row(10_000 + i, 'small', { field: i % 2 ? 'a' : 'b' }));
    const p = planRound([...frame, ...small], DEFAULT_DESIGN, 'x', []);
    const big = p.units.find((u) => u.unitId === 'big');
    expect(big?.target).toBe(341);
    expect(big?.strata).toEqual([
      { key: 'business', eligible: 300, target: 34 },
      { key: 'civil', eligible: 700, target: 80 },
      { key: 'land', eligible: 2000, target: 227 },
    ]);
    const drawn = p.sample.filter((s) => s.unitId === 'big');
    expect(drawn.filter((s) => s.field === 'civil')).toHaveLength(80);
    // a unit under the threshold is one stratum
    expect(p.units.find((u) => u.unitId === 'small')?.strata).toEqual([{ key: '', eligible: 50, target: 45 }]);
    // no instrument: planned, not drawn
    const none = planRound(small, DEFAULT_DESIGN, 'x', [], new Set(['small']));
    expect(none.sample).toHaveLength(0);
    expect(none.units[0]?.shortfall).toBe('no_instrument');
  });
});
