/**
 * A load run in the reports: k6's thresholds (held, crossed, or judged nothing), which component
 * took the cores while k6 ran, and the phased table — per phase (ramps, before the faults, during
 * each, after each heal) and op: requests, errors, latency p50/p95/p99 and requests per second — as
 * markdown for summary.md, HTML for the page, and plain text for the terminal.
 */
import type { ReportSection } from '../../report/section.ts';
import type { LoadObservation } from '../../core/final-state.ts';
import type { Op } from '../../core/op.ts';
import type { LoadOutcome, ScenarioOutcome } from '../../core/outcome.ts';
import { breakpointOf } from './breakpoint.ts';
import { loadPhases } from './load-phases.ts';
import { escapeXml as esc } from '../../report/escape.ts';

/** A load run's outcome from its ops and what k6 said: the phases and where it broke added. */
export function loadOutcome(ops: readonly Op[], observed: LoadObservation): LoadOutcome {
  const broke = breakpointOf(ops, observed.thresholds);
  return { ...observed, phases: loadPhases(ops, observed.stages), ...(broke ? { breakpoint: broke } : {}) };
}

const mark = (t: LoadOutcome['thresholds'][number]) => (t.samples === 0 ? '?' : t.ok ? '✓' : '✗');
const thresholdText = (t: LoadOutcome['thresholds'][number]) =>
  `${mark(t)} ${t.metric} ${t.expression}${t.samples === 0 ? ' (no samples)' : ''}`;
const headline = (load: LoadOutcome) =>
  `k6 ${load.profile}: ${load.requests} requests, ${load.errors} without an answer or 5xx, k6 exit ${load.k6ExitCodes.join(', ')}`;
/** Where it broke (`breakpoint`: the rate is the point), or for a fixed load where a limit was first crossed. */
const brokeLine = ({ breakpoint: b, profile }: LoadOutcome) =>
  !b
    ? 'every latency and error limit held in every 2-s window'
    : profile === 'breakpoint'
      ? `broke ${b.atS} s in, at ${b.requestsPerSecond} requests/s (best held before: ${b.bestHeldPerSecond}/s): ${b.what}`
      : `a limit was first crossed in the 2-s window ${b.atS} s in (${b.requestsPerSecond} requests/s): ${b.what}`;
/** Which component took the cores while k6 ran (its top five by share, the rest summed). */
export const cpuLine = ({ cpu }: LoadOutcome): string | undefined => {
  if (!cpu) return undefined;
  const top = cpu.components.slice(0, 5).map((c) => `${c.component} ${c.cores.toFixed(2)}`);
  const rest = cpu.components.slice(5).reduce((sum, c) => sum + c.cores, 0);
  return `CPU while k6 ran (${cpu.seconds} s): ${cpu.busyCores.toFixed(2)} of ${cpu.machineCores} cores busy — ${[...top, ...(rest > 0 ? [`others ${rest.toFixed(2)}`] : [])].join(', ')} (cores each)`;
};
const HEAD = ['phase', 'op', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s'];
const cells = (r: LoadOutcome['phases'][number]) => [
  r.phase,
  r.op,
  String(r.requests),
  String(r.errors),
  String(r.p50Ms),
  String(r.p95Ms),
  String(r.p99Ms),
  String(r.perSecond),
];

/** summary.md lines for the load runs of `scenarios` (none: no lines). */
export function loadMarkdown(scenarios: readonly ScenarioOutcome[]): string[] {
  return scenarios.flatMap((s) =>
    s.load
      ? [
          '',
          `### Load: ${s.name}`,
          '',
          headline(s.load),
          '',
          `**${brokeLine(s.load)}**`,
          '',
          ...(cpuLine(s.load) ? [cpuLine(s.load) as string, ''] : []),
          ...s.load.thresholds.map((t) => `- ${thresholdText(t)}`),
          '',
          `| ${HEAD.join(' | ')} |`,
          `|${HEAD.map(() => '---').join('|')}|`,
          ...s.load.phases.map((r) => `| ${cells(r).join(' | ')} |`),
        ]
      : [],
  );
}

/** The HTML section of a load run (empty for other scenarios). */
export function loadHtml(s: ScenarioOutcome): string {
  if (!s.load) return '';
  const thresholds = s.load.thresholds
    .map((t) => `<li class="${t.samples === 0 ? 'UNKNOWN' : t.ok ? 'PASS' : 'FAIL'}">${esc(thresholdText(t))}</li>`)
    .join('');
  const rows = s.load.phases
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c, i) => `<td${i > 1 ? ' class="num"' : ''}>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<h3>Load (k6)</h3><p>${esc(headline(s.load))}</p><p><strong>${esc(brokeLine(s.load))}</strong></p>${cpuLine(s.load) ? `<p>${esc(cpuLine(s.load) as string)}</p>` : ''}<ul>${thresholds}</ul>
<table class="load"><thead><tr>${HEAD.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** The terminal's lines for a load run: headline, thresholds, the phased table in columns. */
export function loadText(load: LoadOutcome): string {
  const table = [HEAD, ...load.phases.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    `  ${row.map((c, i) => (i > 1 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ')}`;
  return [
    headline(load),
    `  ${brokeLine(load)}`,
    ...(cpuLine(load) ? [`  ${cpuLine(load) as string}`] : []),
    ...load.thresholds.map((t) => `  ${thresholdText(t)}`),
    ...table.map(line),
    '',
  ].join('\n');
}

/** The load run's part of the reports (writeReports, analyze). */
export const loadSection: ReportSection = { markdown: loadMarkdown, html: loadHtml };
