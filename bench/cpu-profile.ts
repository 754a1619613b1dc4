/**
 * Where a process's CPU went, from the V8 profiles `node --cpu-prof` writes on exit: self time per
 * function (summed over the samples that landed in it), the top few per process, each process named
 * by the entry file its profile ran. Used by `npm run bench:ref -- --profile DIR`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The parts of a `.cpuprofile` this reads (Chrome DevTools' Profile object). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** Microseconds from the previous sample to this one (the first from startTime). */
  timeDeltas: number[];
}

export interface SelfTime {
  /** `function (file:line)`, or V8's own names such as `(garbage collector)`. */
  what: string;
  ms: number;
  share: number;
}

/** Self time per function over the whole profile, largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, i) => {
    // A sample's time is the gap until the next sample (V8 attributes it to the function it caught).
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byNode.get(nodeId);
    if (!frame || us === 0) return;
    const file = frame.url ? path.basename(frame.url.replace(/^file:\/\//, '')) : '';
    const what = file ? `${frame.functionName || '(anonymous)'} (${file}:${frame.lineNumber + 1})` : frame.functionName;
    totals.set(what, (totals.get(what) ?? 0) + us);
    all += us;
  });
  return [...totals]
    .map(([what, us]) => ({ what, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** The process a profile came from: the first of `entries` (file names) its frames mention. */
export function processOf(profile: CpuProfile, entries: readonly string[]): string {
  const urls = new Set(profile.nodes.map((node) => node.callFrame.url));
  for (const entry of entries) if ([...urls].some((url) => url.endsWith(entry))) return entry;
  return 'unknown';
}

/** Lines for every `.cpuprofile` under `dir`: the process, its sampled CPU, its `top` functions. */
export function profileReport(dir: string, entries: readonly string[], top = 12): string[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  const lines: string[] = [];
  for (const file of files.sort()) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const times = selfTimes(profile);
    const total = times.reduce((sum, t) => sum + t.ms, 0);
    lines.push(`${processOf(profile, entries)} (${file}): ${total.toFixed(0)} ms sampled`);
    for (const t of times.slice(0, top))
      lines.push(`  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(7)} ms  ${t.what}`);
  }
  return lines;
}
