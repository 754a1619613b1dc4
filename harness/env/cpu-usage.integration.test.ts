// Integration (real processes, so not with the unit tests running in parallel): a spawned parent
// whose child spins in its own session is measured under its name, one that ended keeps what it
// used, an idle one uses next to nothing — judged as ratios, since the machine is shared; a window
// measured at once (cpuOver, a load run's system at rest) sees the same, and an abort ends it early.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CpuMeasure } from '../core/final-state.ts';
import { cpuMeter, cpuOver } from './cpu-usage.ts';
import { killProcess, spawnProcess, stopProcess, type ProcessRecord } from './process.ts';

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

describe('cpuMeter', () => {
  const started: ProcessRecord[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((r) => killProcess(r)));
  });

  it('measures a spawned process and its descendants under its name, and keeps what an ended one used', async () => {
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
    // Ratios, not absolute shares: whatever else the machine runs, a spinning core is worth many idle ones.
    expect(cores('spinner')).toBeGreaterThan(5 * Math.max(cores('idler'), 0.01));
    expect(cores('burst')).toBeGreaterThan(2 * Math.max(cores('idler'), 0.01));
    expect(measure.components.some((c) => c.component === 'harness')).toBe(true);
    expect(measure.busyCores).toBeGreaterThanOrEqual(cores('spinner'));
  });

  it('cpuOver: one window measured at once, a spinning process far above an idle one; an abort ends it early', async () => {
    started.push(await spawnProcess(spec('spin-window', 'for(;;){}')));
    started.push(await spawnProcess(spec('idle-window', 'setInterval(() => {}, 1000);')));
    const measure = (await cpuOver(1500)) as CpuMeasure;
    const cores = (name: string) => measure.components.find((c) => c.component === name)?.cores ?? 0;
    expect(cores('spin-window')).toBeGreaterThan(5 * Math.max(cores('idle-window'), 0.01));
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 200);
    const t0 = performance.now();
    expect(await cpuOver(30_000, aborted.signal)).toBeDefined();
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
