/**
 * Inline SVG charts for the HTML report (no scripts, no network): a timeline of ops per process
 * with fault windows shaded, op latency over time, completed ops per second, an exploration's
 * sequences, and horizontal bars with a pale part (what a load run's request cost each component).
 */
import { pairOps, type Op } from '../core/op.ts';
import { sequenceEnding, type SequenceOutcome } from '../core/outcome.ts';
import { faultWindows } from '../core/vocabulary.ts';
import { escapeXml } from './escape.ts';

const WIDTH = 960;
const LEFT = 90;
const COLORS: Record<string, string> = { ok: '#2e7d32', fail: '#c62828', info: '#ef6c00', open: '#757575' };
/** Most op pairs drawn per chart (larger histories are sampled evenly). */
const MAX_PAIRS = 4000;
/** Most processes the timeline has a row for. */
const MAX_ROWS = 60;

interface Frame {
  origin: number;
  spanNs: number;
  x(timeNs: number): number;
}

function frame(history: readonly Op[]): Frame {
  // Ops another process timed (k6's) may be indexed after later ops: the span is by time, not index.
  let first = Infinity;
  let last = -Infinity;
  for (const op of history) {
    first = Math.min(first, op.time);
    last = Math.max(last, op.time);
  }
  const origin = Number.isFinite(first) ? first : 0;
  const spanNs = Math.max(1, (Number.isFinite(last) ? last : 0) - origin);
  return { origin, spanNs, x: (t) => LEFT + ((t - origin) / spanNs) * (WIDTH - LEFT - 10) };
}

function sample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)] as T);
}

function axis(f: Frame, y: number): string {
  const seconds = f.spanNs / 1e9;
  const every = seconds > 60 ? 10 : seconds > 20 ? 5 : seconds > 5 ? 1 : 0.5;
  const ticks: string[] = [];
  for (let s = 0; s <= seconds + 1e-9; s += every) {
    const x = f.x(f.origin + s * 1e9).toFixed(1);
    ticks.push(
      `<line x1="${x}" x2="${x}" y1="${y}" y2="${y + 4}" stroke="#555"/><text x="${x}" y="${y + 15}" font-size="10" text-anchor="middle">${Number(s.toFixed(1))}s</text>`,
    );
  }
  return `<line x1="${LEFT}" x2="${WIDTH - 10}" y1="${y}" y2="${y}" stroke="#555"/>${ticks.join('')}`;
}

function faultShading(history: readonly Op[], f: Frame, top: number, height: number): string {
  return faultWindows(history)
    .map((w) => {
      const x = f.x(w.start);
      const width = Math.max(1, f.x(w.end) - x);
      return `<rect class="fault" x="${x.toFixed(1)}" y="${top}" width="${width.toFixed(1)}" height="${height}" fill="#ffcdd2" opacity="0.55"><title>${escapeXml(`${w.fault} on ${w.target ?? '?'}`)}</title></rect>`;
    })
    .join('');
}

/** One row per process; each op is a bar from invocation to completion, coloured by outcome. */
export function timelineSvg(history: readonly Op[]): string {
  const f = frame(history);
  const all = [...new Set(pairOps(history).map((p) => String(p.invoke.process)))].sort((a, b) =>
    a === 'nemesis' ? -1 : b === 'nemesis' ? 1 : Number(a) - Number(b) || a.localeCompare(b, 'en', { numeric: true }),
  );
  // A load run has a process per virtual user: the first rows stand for them (the charts below have all).
  const processes = all.slice(0, MAX_ROWS);
  const shown = new Set(processes);
  const pairs = pairOps(history).filter((p) => shown.has(String(p.invoke.process)));
  const row = Math.max(4, Math.min(14, Math.floor(420 / Math.max(1, processes.length))));
  const height = processes.length * row + 30;
  const rowOf = new Map(processes.map((p, i) => [p, i]));
  const bars = sample(pairs, MAX_PAIRS).map((p) => {
    const y = 4 + (rowOf.get(String(p.invoke.process)) ?? 0) * row;
    const x1 = f.x(p.invoke.time);
    const x2 = f.x(p.completion?.time ?? f.origin + f.spanNs);
    const type = p.completion?.type ?? 'open';
    return `<rect x="${x1.toFixed(1)}" y="${y}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${row - 2}" fill="${COLORS[type]}"><title>${escapeXml(`${p.invoke.index} ${p.invoke.f} → ${type}${p.completion?.error ? ` (${p.completion.error})` : ''}`)}</title></rect>`;
  });
  const labels = processes.map(
    (p, i) =>
      `<text x="${LEFT - 6}" y="${4 + i * row + row - 3}" font-size="${Math.min(10, row)}" text-anchor="end">${escapeXml(p)}</text>`,
  );
  return `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="timeline of ops per process">${faultShading(history, f, 0, height - 26)}${bars.join('')}${labels.join('')}${axis(f, height - 24)}</svg>`;
}

/** Latency of every completed op (log scale, ms) against its invocation time. */
export function latencySvg(history: readonly Op[]): string {
  const f = frame(history);
  const height = 180;
  const plot = 150;
  const pairs = sample(
    pairOps(history).filter((p) => p.completion && p.invoke.process !== 'nemesis'),
    MAX_PAIRS,
  );
  const ms = (p: (typeof pairs)[number]) => Math.max(0.1, ((p.completion as Op).time - p.invoke.time) / 1e6);
  const maxLog = Math.log10(Math.max(10, ...pairs.map(ms)));
  const y = (v: number) => 10 + plot - ((Math.log10(v) + 1) / (maxLog + 1)) * plot;
  const dots = pairs.map(
    (p) =>
      `<circle cx="${f.x(p.invoke.time).toFixed(1)}" cy="${y(ms(p)).toFixed(1)}" r="1.6" fill="${COLORS[(p.completion as Op).type]}"/>`,
  );
  const grid = [1, 10, 100, 1000, 10000]
    .filter((v) => Math.log10(v) <= maxLog)
    .map(
      (v) =>
        `<line x1="${LEFT}" x2="${WIDTH - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${LEFT - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v} ms</text>`,
    );
  return `<svg class="latency" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height + 16}" viewBox="0 0 ${WIDTH} ${height + 16}" role="img" aria-label="latency over time">${faultShading(history, f, 10, plot)}${grid.join('')}${dots.join('')}${axis(f, height - 10)}</svg>`;
}

/** Completions per second, stacked by outcome. */
export function throughputSvg(history: readonly Op[]): string {
  const f = frame(history);
  const seconds = Math.max(1, Math.ceil(f.spanNs / 1e9));
  const buckets = Array.from({ length: seconds }, () => ({ ok: 0, fail: 0, info: 0 }));
  for (const op of history) {
    if (op.type === 'invoke' || op.process === 'nemesis') continue;
    const bucket = buckets[Math.min(seconds - 1, Math.floor((op.time - f.origin) / 1e9))];
    if (bucket) bucket[op.type] += 1;
  }
  const height = 150;
  const plot = 120;
  const max = Math.max(1, ...buckets.map((b) => b.ok + b.fail + b.info));
  const barWidth = (WIDTH - LEFT - 10) / seconds;
  const bars = buckets.flatMap((b, i) => {
    let base = 10 + plot;
    return (['ok', 'fail', 'info'] as const).map((type) => {
      const h = (b[type] / max) * plot;
      base -= h;
      return h > 0
        ? `<rect x="${(LEFT + i * barWidth).toFixed(1)}" y="${base.toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[type]}"><title>${i}s: ${b[type]} ${type}</title></rect>`
        : '';
    });
  });
  const label = `<text x="${LEFT - 6}" y="18" font-size="10" text-anchor="end">${max}/s</text>`;
  return `<svg class="throughput" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height + 16}" viewBox="0 0 ${WIDTH} ${height + 16}" role="img" aria-label="completed ops per second">${faultShading(history, f, 10, plot)}${bars.join('')}${label}${axis(f, height - 20)}</svg>`;
}

/**
 * An exploration at a glance: one bar per sequence in the order it ran (height = steps it
 * performed), drawn runs solid and shrink attempts pale, green when it passed, red when it failed and
 * grey when it could not run (an error stopped it before any verdict: it passed nothing).
 */
export function sequencesSvg(sequences: readonly SequenceOutcome[]): string {
  const height = 150;
  const plot = 110;
  const max = Math.max(1, ...sequences.map((s) => s.steps));
  const barWidth = Math.min(24, (WIDTH - LEFT - 10) / Math.max(1, sequences.length));
  const fill = (s: SequenceOutcome) =>
    s.failed
      ? s.shrink
        ? '#ef9a9a'
        : COLORS.fail
      : s.couldNotRun !== undefined
        ? COLORS.open
        : s.shrink
          ? '#a5d6a7'
          : COLORS.ok;
  const bars = sequences.map((s, i) => {
    const h = Math.max(1, (s.steps / max) * plot);
    return `<rect x="${(LEFT + i * barWidth).toFixed(1)}" y="${(10 + plot - h).toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill(s)}"><title>${escapeXml(`${s.name}: ${s.steps} steps, ${sequenceEnding(s)} in ${s.seconds.toFixed(1)} s`)}</title></rect>`;
  });
  const runs = sequences.filter((s) => !s.shrink).length;
  const labels = [
    `<text x="${LEFT - 6}" y="18" font-size="10" text-anchor="end">${max} steps</text>`,
    `<text x="${LEFT}" y="${height - 4}" font-size="10">${runs} runs, ${sequences.length - runs} shrinks, in the order they ran</text>`,
  ];
  return `<svg class="sequences" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="sequences explored">${bars.join('')}${labels.join('')}</svg>`;
}

/** One bar of `partBarsSvg`: its label, its length, and how much of it is drawn pale. */
export interface PartBar {
  label: string;
  value: number;
  pale: number;
}

/**
 * Horizontal bars, longest first as given: each labelled and its value written after it; the first
 * `pale` of each drawn pale (e.g. a component's cost at rest), the rest solid. `caption` says what
 * the bars and the pale parts are.
 */
export function partBarsSvg(bars: readonly PartBar[], unit: string, caption: string): string {
  const row = 18;
  const height = bars.length * row + 26;
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const span = WIDTH - LEFT - 80;
  const drawn = bars.map((b, i) => {
    const y = 4 + i * row;
    const whole = (b.value / max) * span;
    const pale = (Math.min(b.pale, b.value) / max) * span;
    const title = `${b.label}: ${b.value.toFixed(2)} ${unit}, ${Math.min(b.pale, b.value).toFixed(2)} of it pale`;
    return [
      `<text x="${LEFT - 6}" y="${y + 12}" font-size="11" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${LEFT}" y="${y}" width="${Math.max(1, whole).toFixed(1)}" height="${row - 4}" fill="#1565c0"><title>${escapeXml(title)}</title></rect>`,
      pale > 0 ? `<rect x="${LEFT}" y="${y}" width="${pale.toFixed(1)}" height="${row - 4}" fill="#90caf9"/>` : '',
      `<text x="${(LEFT + whole + 6).toFixed(1)}" y="${y + 12}" font-size="11">${b.value.toFixed(2)} ${escapeXml(unit)}</text>`,
    ].join('');
  });
  const label = `<text x="${LEFT}" y="${height - 6}" font-size="10">${escapeXml(caption)}</text>`;
  return `<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(caption)}">${drawn.join('')}${label}</svg>`;
}
