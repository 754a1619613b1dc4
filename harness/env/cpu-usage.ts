/**
 * CPU by component over a span: a component's CPU is the user + system time, read from /proc, of
 * the process the harness spawned for it (process.ts) and of every descendant — PostgreSQL's
 * backends included, which leave its process group; the harness's own process counts as `harness`,
 * and the machine's busy cores come from /proc/stat. For a load run it says which component took
 * the cores while k6's limits were crossed. A process that ends keeps what it used up to the last
 * sample before (a meter samples every second or so). Where /proc is missing it measures nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import type { CpuMeasure } from '../core/final-state.ts';
import { ownProcessGroups } from './process.ts';

/** /proc reports times in USER_HZ, 100 on every architecture Linux runs on. */
const TICKS_PER_S = 100;

export interface CpuSnapshot {
  atMs: number;
  /** Ticks (user + system) so far, per process (pid, or `harness`) and the component it belongs to. */
  byProcess: Map<string, { component: string; ticks: number }>;
  /** Ticks of the whole machine so far: busy and in all. */
  machine: { busy: number; total: number };
}

/** Ticks (user + system) of every process in /proc that is, or descends from, one of `leaders`: pid → [leader, ticks]. */
function treeTicks(leaders: ReadonlySet<number>): Map<number, [number, number]> {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // Fields after the command name (which may hold spaces): state ppid … utime (12th) stime (13th).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  const leaderOf = (pid: number): number | undefined => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = procs.get(p)?.ppid ?? 0, hops++) if (leaders.has(p)) return p;
    return undefined;
  };
  const ticks = new Map<number, [number, number]>();
  for (const [pid, proc] of procs) {
    const leader = leaderOf(pid);
    if (leader !== undefined) ticks.set(pid, [leader, proc.ticks]);
  }
  return ticks;
}

function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
}

/** CPU so far of the processes spawned here (by service name) and of this one; undefined without /proc. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  if (!fs.existsSync('/proc/stat')) return undefined;
  const own = new Map(ownProcessGroups().map((p) => [p.pid, p.name]));
  const byProcess = new Map<string, { component: string; ticks: number }>();
  for (const [pid, [leader, ticks]] of treeTicks(new Set(own.keys())))
    byProcess.set(String(pid), { component: own.get(leader) as string, ticks });
  const harness = process.cpuUsage();
  byProcess.set('harness', { component: 'harness', ticks: ((harness.user + harness.system) / 1e6) * TICKS_PER_S });
  return { atMs: performance.now(), byProcess, machine: machineTicks() };
}

/**
 * Adds to `used` the ticks each component's processes spent from `prev` to `next`: a process new
 * in `next` started in between (all its ticks count); one gone from `next` ended (what it spent
 * since `prev` is lost).
 */
function addUsage(used: Map<string, number>, prev: CpuSnapshot, next: CpuSnapshot): Map<string, number> {
  for (const [key, { component, ticks }] of next.byProcess) {
    const start = prev.byProcess.get(key)?.ticks ?? 0;
    used.set(component, (used.get(component) ?? 0) + Math.max(0, ticks - start));
  }
  return used;
}

function measureOf(first: CpuSnapshot, last: CpuSnapshot, used: Map<string, number>, machineCores: number): CpuMeasure {
  const seconds = Math.max(0.001, (last.atMs - first.atMs) / 1000);
  const components = [...used]
    // Four decimals: an idle component uses thousandths of a core.
    .map(([component, ticks]) => ({ component, cores: Math.round((ticks / TICKS_PER_S / seconds) * 1e4) / 1e4 }))
    .sort((a, b) => b.cores - a.cores || a.component.localeCompare(b.component));
  const total = last.machine.total - first.machine.total;
  const busy = total > 0 ? ((last.machine.busy - first.machine.busy) / total) * machineCores : 0;
  // To the millisecond: the CPU per request divides by it, and a 4.4-s span rounded to 4 s would
  // under-count a bench phase's cost by 9%.
  const spanSeconds = Math.round(seconds * 1000) / 1000;
  return { seconds: spanSeconds, machineCores, busyCores: Math.round(busy * 100) / 100, components };
}

/** What each component used between two snapshots (its processes' ticks, as `addUsage` counts them). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, machineCores = os.cpus().length): CpuMeasure {
  return measureOf(before, after, addUsage(new Map(), before, after), machineCores);
}

/** What each component used over the next `ms` (cut short by `signal`); undefined without /proc. */
export async function cpuOver(ms: number, signal?: AbortSignal): Promise<CpuMeasure | undefined> {
  const before = cpuSnapshot();
  await wait(ms, undefined, { signal }).catch(() => undefined);
  const after = cpuSnapshot();
  return before && after ? cpuBetween(before, after) : undefined;
}

/**
 * A meter sampled while something runs: each sample adds what every component spent since the one
 * before, so a process that ends (k6 at the end of its run) keeps what it used up to its last sample.
 */
export function cpuMeter(machineCores = os.cpus().length): { sample(): void; measure(): CpuMeasure | undefined } {
  const first = cpuSnapshot();
  let last = first;
  const used = new Map<string, number>();
  return {
    sample() {
      const next = cpuSnapshot();
      if (last && next) addUsage(used, last, next);
      last = next ?? last;
    },
    measure: () => (first && last && last !== first ? measureOf(first, last, used, machineCores) : undefined),
  };
}
