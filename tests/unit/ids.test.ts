// timeOrderedIdSource: valid version-7 UUIDs, in increasing order from one source, distinct across sources.
import { describe, expect, it } from 'vitest';
import { timeOrderedIdSource } from '../../server/db/ids.ts';

const batch = (n: number) => {
  const next = timeOrderedIdSource();
  return Array.from({ length: n }, () => next());
};

describe('timeOrderedIdSource', () => {
  it('gives version-7 UUIDs, each greater than the one before, carrying the current millisecond', () => {
    const before = Date.now();
    const ids = batch(40_000);
    expect(ids.length).toBe(40_000);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    const ms = parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
    // the counter crosses from rand_a into rand_b at 2^14
    expect([ids[16_383], ids[16_384]].map((id) => id!.slice(14, 23))).toEqual(['7000-bfff', '7001-8000']);
    expect(new Set([...ids, ...batch(40_000)]).size).toBe(80_000);
  });
});
