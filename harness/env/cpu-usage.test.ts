// Unit: CPU by component — shares from two snapshots (processes started and ended in between, a
// restarted component, the machine's busy cores). Real processes: cpu-usage.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { cpuBetween, type CpuSnapshot } from './cpu-usage.ts';

const snap = (atMs: number, entries: [string, string, number][], busy: number, total: number): CpuSnapshot => ({
  atMs,
  byProcess: new Map(entries.map(([key, component, ticks]) => [key, { component, ticks }])),
  machine: { busy, total },
});

describe('cpuBetween', () => {
  it("sums each component's processes over the span, most first: a new one counts whole, an ended one not", () => {
    const before = snap(
      0,
      [
        ['10', 'api-1', 100],
        ['20', 'postgres', 5],
        ['21', 'postgres', 900], // a backend that ends: its 900 ticks must not come back as usage
        ['30', 'redis', 500],
        ['harness', 'harness', 50],
      ],
      1000,
      2000,
    );
    const after = snap(
      10_000,
      [
        ['10', 'api-1', 500],
        ['20', 'postgres', 15],
        ['22', 'postgres', 40], // a backend that started in between
        ['31', 'redis', 30], // Redis restarted: a new process
        ['harness', 'harness', 60],
        ['40', 'k6-0', 300],
      ],
      2500,
      4000,
    );
    expect(cpuBetween(before, after, 2)).toEqual({
      seconds: 10,
      machineCores: 2,
      busyCores: 1.5,
      components: [
        { component: 'api-1', cores: 0.4 },
        { component: 'k6-0', cores: 0.3 },
        { component: 'postgres', cores: 0.05 },
        { component: 'redis', cores: 0.03 },
        { component: 'harness', cores: 0.01 },
      ],
    });
  });

  it('keeps the span to the millisecond: the CPU per request divides by it', () => {
    const before = snap(0, [['10', 'api-1', 0]], 0, 0);
    const after = snap(4_437.4, [['10', 'api-1', 222]], 444, 888);
    expect(cpuBetween(before, after, 2)).toMatchObject({ seconds: 4.437, busyCores: 1 });
  });
});
