// Unit: the drill's signal charts — every expected signal gets a chart with its sampled values and
// its threshold dashed, whether it fired or not (an unfired signal's bound is what the reader needs
// to see how far it stayed from firing); an older journal's fired-signal line still gives the bound.
import { describe, expect, it } from 'vitest';
import type { DrillObservation } from '../../core/gameday.ts';
import { signalSvgs, signalThresholds } from './gameday-report.ts';

const drill = (expected: DrillObservation['expected']): DrillObservation => ({
  plan: 'kafka-unavailable',
  title: 'Kafka unavailable',
  speed: 1,
  startedAt: 0,
  historyOffsetMs: 0,
  timeline: [{ atMs: 20_000, kind: 'signal', name: 'fired', detail: '12 > 5' }],
  samples: [0, 10_000, 20_000].map((atMs, i) => ({ atMs, values: { fired: i * 6, quiet: i } })),
  steadyBefore: true,
  unsteady: [],
  recoveryBoundMs: 30_000,
  actions: [],
  expected,
  unexportedMetrics: [],
});
const dashed = (svg: string) => svg.match(/stroke-dasharray/g)?.length ?? 0;

describe('drill signal charts', () => {
  it('draw the threshold of a signal that never fired as well as of one that did', () => {
    const svg = signalSvgs(
      drill([
        { name: 'fired', withinMs: 20_000, threshold: 5 },
        { name: 'quiet', withinMs: 20_000, threshold: 10 },
      ]),
      {
        fired: 5,
        quiet: 10,
      },
    );
    expect(svg.match(/<svg class="signal"/g)).toHaveLength(2);
    expect(dashed(svg)).toBe(2);
    expect(svg).toContain('>quiet</text>');
  });

  it("take each bound from the plan, and from a fired signal's line in an older journal", () => {
    const both = [
      { name: 'fired', withinMs: 20_000, threshold: 5 },
      { name: 'quiet', withinMs: 20_000, threshold: 10 },
    ];
    expect(signalThresholds(drill(both))).toEqual({ fired: 5, quiet: 10 });
    expect(signalThresholds(drill([{ name: 'fired', withinMs: 20_000 }]))).toEqual({ fired: 5 });
  });

  it('draw no threshold it does not know', () => {
    expect(dashed(signalSvgs(drill([{ name: 'quiet', withinMs: 20_000 }]), {}))).toBe(0);
  });
});
