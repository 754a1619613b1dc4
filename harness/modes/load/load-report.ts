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
import { partBarsSvg } from '../../report/svg-charts.ts';

/** A load run's outcome from its ops and what k6 said: the phases and where it broke added. */
export function loadOutcome(ops: readonly Op[], observed: LoadObservation): LoadOutcome {
  const found = breakpointOf(ops, observed.thresholds);
  const where = !found ? {} : 'broke' in found ? { breakpoint: found.broke } : found;
  return { ...observed, phases: loadPhases(ops, observed.stages), ...where };
}

const mark = (t: LoadOutcome['thresholds'][number]) => (t.samples === 0 ? '?' : t.ok ? '✓' : '✗');
const thresholdText = (t: LoadOutcome['thresholds'][number]) =>
  `${mark(t)} ${t.metric} ${t.expression}${t.samples === 0 ? ' (no samples)' : ''}`;
const headline = (load: LoadOutcome) =>
  `k6 ${load.profile}: ${load.requests} requests, ${load.errors} without an answer or 5xx, k6 exit ${load.k6ExitCodes.join(', ')}`;
/** Where it broke (`breakpoint`: the rate is the point), or for a fixed load where a limit was first crossed. */
const brokeLine = ({ breakpoint: b, profile, heldPerSecond }: LoadOutcome) =>
  !b
    ? profile === 'breakpoint' && heldPerSecond !== undefined
      ? `never broke: every latency and error limit held in every 2-s window, up to ${heldPerSecond} requests/s — raise --rate to find where it breaks`
      : 'every latency and error limit held in every 2-s window'
    : profile === 'breakpoint'
      ? `broke ${b.atS} s in, at ${b.requestsPerSecond} requests/s (best held before: ${b.bestHeldPerSecond}/s): ${b.what}`
      : `a limit was first crossed in the 2-s window ${b.atS} s in (${b.requestsPerSecond} requests/s): ${b.what}`;
/** The top five of `parts` as `name value`, the rest summed as `others`. */
const topFive = (parts: readonly { component: string; value: number }[], digits: number) => {
  const rest = parts.slice(5).reduce((sum, p) => sum + p.value, 0);
  const top = parts.slice(0, 5).map((p) => `${p.component} ${p.value.toFixed(digits)}`);
  return [...top, ...(rest > 0 ? [`others ${rest.toFixed(digits)}`] : [])].join(', ');
};
/** What drives the load and records it, not what serves it. */
const isLoadDriver = (component: string) => component.startsWith('k6') || component === 'harness';

/** What a request cost each serving component (k6 and the harness left out): CPU ms, and the part it used at rest. */
export interface RequestCost {
  component: string;
  ms: number;
  /** Of `ms`, what the component used at rest before k6, spread over the run's requests (0 unmeasured). */
  atRestMs: number;
}

/** What `cores` used over `seconds` comes to per request, in CPU milliseconds. */
const cpuMsPerRequest = (cores: number, seconds: number, requests: number) => (cores * seconds * 1000) / requests;

/** The CPU milliseconds per request of each serving component, most first (empty: no CPU or no requests). */
export function requestCosts({
  cpu,
  idleCpu,
  requests,
}: Pick<LoadOutcome, 'cpu' | 'idleCpu' | 'requests'>): RequestCost[] {
  if (!cpu || requests === 0) return [];
  const msPerRequest = (cores: number) => cpuMsPerRequest(cores, cpu.seconds, requests);
  const rest = new Map((idleCpu?.components ?? []).map((c) => [c.component, c.cores]));
  return cpu.components
    .filter((c) => !isLoadDriver(c.component))
    .map((c) => ({
      component: c.component,
      ms: msPerRequest(c.cores),
      atRestMs: msPerRequest(rest.get(c.component) ?? 0),
    }));
}

/**
 * Which component took the cores while k6 ran (its top five by share, the rest summed), and what a
 * request cost: the CPU milliseconds the system and its services (k6 and the harness left out)
 * spent per request k6 sent, per component — and, when the system was measured at rest before k6
 * (`idleCpu`), how much of that is its fixed cost at this rate and how much the requests added.
 */
export const cpuLines = (load: Pick<LoadOutcome, 'cpu' | 'idleCpu' | 'requests'>): string[] => {
  const { cpu, idleCpu, requests } = load;
  if (!cpu) return [];
  const cores = cpu.components.map((c) => ({ component: c.component, value: c.cores }));
  const lines = [
    `CPU while k6 ran (${cpu.seconds.toFixed(0)} s): ${cpu.busyCores.toFixed(2)} of ${cpu.machineCores} cores busy — ${topFive(cores, 2)} (cores each)`,
  ];
  const costs = requestCosts(load);
  if (costs.length === 0) return lines;
  const total = costs.reduce((sum, c) => sum + c.ms, 0);
  const served = costs.map((c) => ({ component: c.component, value: c.ms }));
  lines.push(
    `CPU per request (${requests} requests; k6 and the harness left out): ${total.toFixed(2)} ms — ${topFive(served, 2)} (ms each)`,
  );
  if (!idleCpu) return lines;
  // One sum for both figures, so the cores at rest and their share of each request agree.
  const atRest = idleCpu.components.filter((c) => !isLoadDriver(c.component)).reduce((sum, c) => sum + c.cores, 0);
  const fixedMs = cpuMsPerRequest(atRest, cpu.seconds, requests);
  lines.push(
    `CPU per request above the system at rest: ${(total - fixedMs).toFixed(2)} ms — at rest (${idleCpu.seconds.toFixed(0)} s before k6) it used ${atRest.toFixed(3)} cores, ${fixedMs.toFixed(2)} ms of each request at this rate`,
  );
  return lines;
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
          ...cpuLines(s.load).flatMap((line) => [line, '']),
          ...s.load.thresholds.map((t) => `- ${thresholdText(t)}`),
          '',
          `| ${HEAD.join(' | ')} |`,
          `|${HEAD.map(() => '---').join('|')}|`,
          ...s.load.phases.map((r) => `| ${cells(r).join(' | ')} |`),
        ]
      : [],
  );
}

/** A bar per serving component: the CPU ms a request cost it, the part it used at rest pale. */
function costChart(load: LoadOutcome): string {
  const costs = requestCosts(load);
  if (costs.length === 0) return '';
  const caption = load.idleCpu
    ? 'CPU ms per request by component; pale: what it used at rest before k6, spread over the requests'
    : 'CPU ms per request by component';
  return partBarsSvg(
    costs.map((c) => ({ label: c.component, value: c.ms, pale: c.atRestMs })),
    'ms',
    caption,
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
  return `<h3>Load (k6)</h3><p>${esc(headline(s.load))}</p><p><strong>${esc(brokeLine(s.load))}</strong></p>${cpuLines(
    s.load,
  )
    .map((line) => `<p>${esc(line)}</p>`)
    .join('')}${costChart(s.load)}<ul>${thresholds}</ul>
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
    ...cpuLines(load).map((line) => `  ${line}`),
    ...load.thresholds.map((t) => `  ${thresholdText(t)}`),
    ...table.map(line),
    '',
  ].join('\n');
}

/** The load run's part of the reports (writeReports, analyze). */
export const loadSection: ReportSection = { markdown: loadMarkdown, html: loadHtml };
