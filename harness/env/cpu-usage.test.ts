// Unit: CPU by component — shares from two snapshots (processes started and ended in between, a
// restarted component, the machine's busy cores), and real processes: a spawned parent whose child spins in
// its own session is measured under its name, one that ended keeps what it used, an idle one ≈ 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuMeasure } from '../core/final-state.ts';
import { cpuBetween, cpuMeter, type CpuSnapshot } from './cpu-usage.ts';
import { killProcess, spawnProcess, stopProcess, type ProcessRecord } from './process.ts';

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
});

describe('cpuMeter', () => {
  const started: ProcessRecord[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => killProcess(r)));
  });

  it('measures a spawned process and its descendants under its name, and keeps what an ended one used', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-usage-'));
    const spec = (name: string, script: string) => ({
      name,
      command: process.execPath,
      args: ['-e', script],
      cwd: dir,
      logFile: path.join(dir, `${name}.log`),
      pidFile: path.join(dir, `${name}.json`),
      stopSignal: 'SIGTERM' as const,
    });
    const meter = cpuMeter();
    // The parent only waits; its child spins in a session of its own (as PostgreSQL's backends do).
    const spinner = `const c = require('child_process').spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore', detached: true }); process.on('SIGTERM', () => { c.kill('SIGKILL'); process.exit(0); }); setInterval(() => {}, 1000);`;
    const spinning = await spawnProcess(spec('spinner', spinner));
    started.push(spinning);
    started.push(await spawnProcess(spec('idler', 'setInterval(() => {}, 1000);')));
    // Spins for 0.6 s and ends before the meter's last sample.
    await spawnProcess(spec('burst', 'const end = Date.now() + 600; while (Date.now() < end);'));
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      meter.sample();
    }
    await stopProcess(spinning);
    started.splice(0, 1);
    const measure = meter.measure() as CpuMeasure;
    const cores = (name: string) => measure.components.find((c) => c.component === name)?.cores ?? 0;
    expect(cores('spinner')).toBeGreaterThan(0.25); // a spinning core, shared with whatever else runs
    expect(cores('burst')).toBeGreaterThan(0.05);
    expect(cores('idler')).toBeLessThan(0.1);
    expect(measure.components.some((c) => c.component === 'harness')).toBe(true);
    expect(measure.busyCores).toBeGreaterThanOrEqual(0.25);
  });
});
