// Unit: the one duration grammar — units, decimals, bare seconds, and what it refuses.
import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it('reads every unit, decimals and bare seconds', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('2h')).toBe(7_200_000);
    expect(parseDurationMs('30')).toBe(30_000);
    expect(parseDurationMs(' 0s ')).toBe(0);
    expect(parseDurationMs('0.0004s')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 's', '-1s', '1d', '1e3s', 'forty', '1.s', '.5s', '10 minutes', '1s2', '9'.repeat(400)])
      expect(parseDurationMs(bad), bad).toBeUndefined();
  });
});
