/**
 * A drill in the reports: the scorecard (each measure with its value or why it was not measured),
 * business impact, runbook gaps and the timeline — as Markdown for the post-mortem, as terminal
 * lines, and as HTML with an SVG of the timeline (fault windows shaded; signals, stop conditions,
 * actions, marks and recovery as lines) above one small chart per expected signal (its sampled
 * value against its threshold).
 */
import type { ReportSection } from '../../report/section.ts';
import type { DrillObservation, Measure, Scorecard, TimelineEvent } from '../../core/gameday.ts';
import type { ScenarioOutcome } from '../../core/outcome.ts';
import { escapeXml as esc } from '../../report/escape.ts';

type Gameday = NonNullable<ScenarioOutcome['gameday']>;

export function measureValue(m: Measure): string {
  if (m.value === undefined) return 'not measured';
  return m.unit === 'ms' ? `${(m.value / 1000).toFixed(1)} s` : String(m.value);
}

const impactLine = (c: Scorecard) =>
  `${c.impact.failedRequests} request(s) failed or unanswered over ${c.impact.tenantsAffected} tenant(s)` +
  (c.impact.eventsDelayed !== undefined ? `; up to ${c.impact.eventsDelayed} event(s) waiting in the outbox` : '') +
  (c.impact.longestDelayMs !== undefined ? `, the oldest ${(c.impact.longestDelayMs / 1000).toFixed(1)} s` : '');

const at = (e: TimelineEvent) => `+${(e.atMs / 1000).toFixed(1)} s`;
const eventLine = (e: TimelineEvent) =>
  `${at(e)} ${e.kind} ${e.name}${e.by ? ` (${e.by})` : ''}${e.detail ? ` — ${e.detail}` : ''}`;

/** The terminal's lines for a drill. */
export function gamedayText(g: Gameday): string {
  const c = g.scorecard;
  return [
    `gameday ${g.drill.title}: ${c.passed ? 'PASSED' : 'FAILED'}`,
    ...c.measures.map(
      (m) => `  ${m.failed ? '✗' : '·'} ${m.name.padEnd(26)} ${measureValue(m).padStart(12)}  ${m.note}`,
    ),
    `  impact: ${impactLine(c)}`,
    ...c.failures.map((f) => `  fails: ${f}`),
    ...c.gaps.map((gap) => `  runbook gap: ${gap}`),
    '',
  ].join('\n');
}

/** The Markdown sections of every drill of a run (none for other scenarios). */
export function gamedayMarkdown(scenarios: readonly ScenarioOutcome[]): string[] {
  return scenarios.flatMap((s) => {
    if (!s.gameday) return [];
    const { drill, scorecard: c } = s.gameday;
    return [
      '',
      `### Game day: ${drill.title} — ${c.passed ? 'passed' : 'FAILED'}`,
      '',
      '| measure | value | note |',
      '| --- | --- | --- |',
      ...c.measures.map(
        (m) => `| ${m.failed ? '**' + m.name + '**' : m.name} | ${measureValue(m)} | ${m.note.replace(/\|/g, '\\|')} |`,
      ),
      '',
      `Business impact: ${impactLine(c)}.`,
      ...(c.failures.length ? ['', 'Why it failed:', ...c.failures.map((f) => `- ${f}`)] : []),
      ...(c.gaps.length ? ['', 'Runbook gaps:', ...c.gaps.map((g) => `- ${g}`)] : []),
      '',
      'Timeline:',
      '',
      ...drill.timeline.map((e) => `- ${eventLine(e)}`),
    ];
  });
}

const W = 960;
const L = 150;

function x(drill: DrillObservation, ms: number): number {
  const end = Math.max(1, drill.timeline.at(-1)?.atMs ?? 1, drill.samples.at(-1)?.atMs ?? 1);
  return L + (ms / end) * (W - L - 10);
}

const COLOR: Partial<Record<TimelineEvent['kind'], string>> = {
  signal: '#2e7d32',
  'stop-condition': '#c62828',
  action: '#6a1b9a',
  mark: '#1565c0',
  recovered: '#00897b',
  'steady-state': '#555',
};

/** The timeline: fault windows per fault, then one row per kind of event. */
export function drillTimelineSvg(drill: DrillObservation): string {
  const windows: { name: string; from: number; to: number }[] = [];
  const open = new Map<string, number>();
  for (const e of drill.timeline) {
    if (e.kind === 'fault-start') open.set(e.name, e.atMs);
    if (e.kind === 'fault-stop' && open.has(e.name)) {
      windows.push({ name: e.name, from: open.get(e.name) as number, to: e.atMs });
      open.delete(e.name);
    }
  }
  const rows = Object.keys(COLOR) as TimelineEvent['kind'][];
  const height = 30 + rows.length * 22 + 20;
  const shaded = windows
    .map(
      (w) =>
        `<rect x="${x(drill, w.from).toFixed(1)}" y="10" width="${Math.max(1, x(drill, w.to) - x(drill, w.from)).toFixed(1)}" height="${height - 30}" fill="#ffcdd2" opacity="0.6"><title>${esc(`${w.name}: ${(w.from / 1000).toFixed(1)}–${(w.to / 1000).toFixed(1)} s`)}</title></rect>`,
    )
    .join('');
  const marks = rows
    .map((kind, i) => {
      const y = 20 + i * 22;
      const events = drill.timeline.filter((e) => e.kind === kind);
      return `<text x="4" y="${y + 12}" font-size="11">${kind}</text>${events
        .map(
          (e) =>
            `<line x1="${x(drill, e.atMs).toFixed(1)}" x2="${x(drill, e.atMs).toFixed(1)}" y1="${y}" y2="${y + 16}" stroke="${COLOR[kind]}" stroke-width="3"><title>${esc(eventLine(e))}</title></line>`,
        )
        .join('')}`;
    })
    .join('');
  const end = drill.timeline.at(-1)?.atMs ?? 0;
  const ticks = Array.from({ length: 11 }, (_, i) => (end * i) / 10)
    .map(
      (ms) =>
        `<text x="${x(drill, ms).toFixed(1)}" y="${height - 4}" font-size="10" text-anchor="middle">${(ms / 1000).toFixed(0)}s</text>`,
    )
    .join('');
  return `<svg class="drill-timeline" width="${W}" height="${height}" xmlns="http://www.w3.org/2000/svg">${shaded}${marks}${ticks}</svg>`;
}

/** One chart per expected signal: its sampled value over time, its threshold dashed. */
export function signalSvgs(drill: DrillObservation, thresholds: Record<string, number>): string {
  return drill.expected
    .map(({ name }) => {
      const points = drill.samples.flatMap((s) =>
        typeof s.values[name] === 'number' ? [[s.atMs, s.values[name] as number] as const] : [],
      );
      const bound = thresholds[name];
      const top = Math.max(1e-9, ...points.map(([, v]) => v), bound ?? 0) * 1.1;
      const y = (v: number) => 70 - (v / top) * 60;
      const line = points.map(([t, v]) => `${x(drill, t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const threshold =
        bound === undefined
          ? ''
          : `<line x1="${L}" x2="${W - 10}" y1="${y(bound).toFixed(1)}" y2="${y(bound).toFixed(1)}" stroke="#c62828" stroke-dasharray="4 3"/>`;
      return `<svg class="signal" width="${W}" height="80" xmlns="http://www.w3.org/2000/svg"><text x="4" y="40" font-size="11">${esc(name)}</text>${threshold}<polyline fill="none" stroke="#1565c0" points="${line}"/></svg>`;
    })
    .join('');
}

/** Each expected signal's bound, fired or not (older journals kept it only in a fired signal's timeline line). */
export function signalThresholds(drill: DrillObservation): Record<string, number> {
  return Object.fromEntries([
    ...drill.timeline
      .filter((e) => e.kind === 'signal')
      .map((e) => [e.name, Number(/[<>] (-?[\d.]+)/.exec(e.detail ?? '')?.[1])]),
    ...drill.expected.flatMap((e) => (e.threshold === undefined ? [] : [[e.name, e.threshold]])),
  ]);
}

/** The HTML section of a drill (empty for other scenarios). */
export function gamedayHtml(s: ScenarioOutcome): string {
  if (!s.gameday) return '';
  const { drill, scorecard: c } = s.gameday;
  const rows = c.measures
    .map(
      (m) =>
        `<tr class="${m.failed ? 'FAIL' : ''}"><td>${esc(m.name)}</td><td class="num">${esc(measureValue(m))}</td><td>${esc(m.note)}</td></tr>`,
    )
    .join('');
  const thresholds = signalThresholds(drill);
  const list = (title: string, items: string[]) =>
    items.length ? `<h4>${title}</h4><ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
  return `<h3>Game day: ${esc(drill.title)} — <span class="${c.passed ? 'PASS' : 'FAIL'}">${c.passed ? 'passed' : 'FAILED'}</span></h3>
<table class="scorecard"><thead><tr><th>measure</th><th>value</th><th>note</th></tr></thead><tbody>${rows}</tbody></table>
<p>Business impact: ${esc(impactLine(c))}.</p>${list('Why it failed', c.failures)}${list('Runbook gaps', c.gaps)}
${drillTimelineSvg(drill)}${signalSvgs(drill, thresholds)}
<details><summary>Timeline (${drill.timeline.length} events)</summary><ul>${drill.timeline.map((e) => `<li>${esc(eventLine(e))}</li>`).join('')}</ul></details>`;
}

/** The drill's part of the reports (writeReports, analyze). */
export const gamedaySection: ReportSection = { markdown: gamedayMarkdown, html: gamedayHtml };
