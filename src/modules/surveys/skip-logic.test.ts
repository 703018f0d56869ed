import { describe, expect, it } from 'vitest';
import { conditionHolds, isAnswered } from './skip-logic.ts';

describe('skip logic', () => {
  it('hides an item while the item it names is unanswered', () => {
    for (const a of [undefined, null, '', []]) expect(isAnswered(a)).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'answered' }, {})).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'answered' }, { A: [] })).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'answered' }, { A: 0 })).toBe(true);
    expect(conditionHolds(undefined, {})).toBe(true);
  });

  it('compares numbers, their written form, booleans and choice lists', () => {
    expect(conditionHolds({ item: 'A', op: 'eq', value: true }, { A: true })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'eq', value: '3' }, { A: 3 })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'eq', value: 'x' }, { A: ['y', 'x'] })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'ne', value: 'x' }, { A: ['y', 'x'] })).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'ne', value: 2 }, { A: 3 })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'in', value: [1, 2] }, { A: 2 })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'in', value: [1, 2] }, { A: 4 })).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'gte', value: 3 }, { A: 3 })).toBe(true);
    expect(conditionHolds({ item: 'A', op: 'lte', value: 2 }, { A: 3 })).toBe(false);
    expect(conditionHolds({ item: 'A', op: 'gte', value: 3 }, { A: '4' })).toBe(false);
  });
});
