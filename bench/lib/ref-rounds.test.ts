// Unit: bench:ref's rounds — the median round (by req/s) carries its own latencies and CPU line,
// the spread is the rounds' lowest and highest, ratios pair rounds, and no round is refused.
import { describe, expect, it } from 'vitest';
import { cpuSummaryLine, median, roundRatios, spreadText, summarise, type RoundFigures } from './ref-rounds.ts';

const round = (rps: number, p99: number, cpuMs?: number, failed = 0): RoundFigures => ({
  rps,
  p50: p99 / 2,
  p99,
  failed,
  ...(cpuMs === undefined ? {} : { cpuMs, cpuLine: `line of ${rps}/s` }),
});

describe('median', () => {
  it('takes the middle value, the lower middle for an even count, NaN for none', () => {
    expect(median([308, 224, 257])).toBe(257);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([])).toBeNaN();
  });
});

describe('summarise', () => {
  it("reports the median round by req/s with that round's latencies, and every round's spread", () => {
    const s = summarise([round(224, 160, 7.2), round(308, 101, 5.3, 2), round(257, 116, 6.5)]);
    expect(s.median).toMatchObject({ rps: 257, p99: 116, cpuLine: 'line of 257/s' });
    expect(s.rps).toEqual({ min: 224, max: 308 });
    expect(s.cpuMs).toEqual({ min: 5.3, max: 7.2, median: 6.5 });
    expect(s.failed).toBe(2);
    expect(spreadText(s, s.rps, 0)).toBe('224–308');
    expect(cpuSummaryLine('convert', s)).toBe(
      'convert: 6.50 ms CPU per request (rounds 5.30–7.20 ms); median round by req/s — line of 257/s',
    );
  });

  it('shows no spread for one round and no CPU line where CPU was not measured', () => {
    const s = summarise([round(13_000, 4)]);
    expect(spreadText(s, s.rps, 0)).toBe('');
    expect(s.cpuMs).toBeUndefined();
    expect(cpuSummaryLine('cached offering read', s)).toBeUndefined();
  });

  it('refuses a phase with no rounds', () => {
    expect(() => summarise([])).toThrow(/no rounds/);
  });
});

describe('roundRatios', () => {
  it('divides round by round, so a slow spell falls on both sides of each ratio', () => {
    const ratio = roundRatios(
      [round(8000, 5), round(12_000, 5), round(13_000, 5)],
      [round(10_000, 1), round(16_000, 1), round(15_000, 1)],
    );
    expect(ratio.median).toBeCloseTo(0.8);
    expect(ratio.min).toBeCloseTo(0.75);
    expect(ratio.max).toBeCloseTo(0.8667, 3);
  });

  it('refuses rounds that do not pair', () => {
    expect(() => roundRatios([round(1, 1)], [])).toThrow(/paired/);
  });
});
