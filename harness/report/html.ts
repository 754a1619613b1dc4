/**
 * `index.html`: one self-contained page (inline CSS and SVG, no scripts, no network) that a
 * newcomer can read — the verdict table, then per scenario its checkers, a timeline of ops with
 * fault windows shaded, latency and throughput over time, and each anomaly with the ops that
 * prove it; the replay line on top.
 */
import { opToString, type Op } from '../core/op.ts';
import type { CheckerOutcome, RunOutcome, ScenarioOutcome, SequenceOutcome } from '../core/outcome.ts';
import { escapeXml as esc } from './escape.ts';
import { ledgerLine, ledgerView } from './ledger.ts';
import type { ReportSection } from './section.ts';
import { verdictWord } from './summary.ts';
import { latencySvg, sequencesSvg, throughputSvg, timelineSvg } from './svg-charts.ts';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 12px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:4px} h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;margin:8px 0;width:100%} th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top} th{background:#f5f5f5}
.PASS{color:#1b5e20;font-weight:600} .FAIL{color:#b71c1c;font-weight:600} .UNKNOWN,.INCOMPLETE{color:#e65100;font-weight:600}
.verdict{font-size:20px;padding:8px 12px;border-radius:6px;display:inline-block;margin:8px 0} .verdict.PASS{background:#e8f5e9} .verdict.FAIL{background:#ffebee} .verdict.UNKNOWN,.verdict.INCOMPLETE{background:#fff3e0}
code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa} pre{padding:8px;overflow-x:auto;white-space:pre-wrap} td code{word-break:break-word;overflow-wrap:anywhere} td.num{text-align:right}
.legend span{display:inline-block;margin-right:14px} .sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
svg{display:block;margin:4px 0 10px;max-width:100%;height:auto}
`;

function word(valid: true | false | 'unknown', incomplete?: boolean): string {
  const w = verdictWord(valid, incomplete);
  return `<span class="${w}">${w}</span>`;
}

function verdictTable(outcome: RunOutcome): string {
  const rows = outcome.scenarios.map((s) => {
    const checkers = s.checkers.map((c) => `${word(c.valid)} ${esc(c.name)} (${c.opportunities})`).join('<br>');
    const faults = [...new Set(s.faults.map((f) => `${f.fault} (${f.target ?? '?'})`))].join('<br>') || '–';
    return `<tr><td><a href="#${esc(s.name)}">${esc(s.name)}</a></td><td>${word(s.valid, s.incomplete)}</td><td>${s.ops.ok} / ${s.ops.fail} / ${s.ops.info}</td><td>${esc(faults)}</td><td>${checkers}</td><td>${(s.durationMs / 1000).toFixed(1)} s</td></tr>`;
  });
  return `<table class="verdicts"><thead><tr><th>scenario</th><th>verdict</th><th>ok / fail / info</th><th>faults</th><th>checkers</th><th>time</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function anomalySection(checker: CheckerOutcome, byIndex: Map<number, Op>): string {
  if (checker.valid === 'unknown')
    return `<p><b>${esc(checker.name)}</b> could not decide: ${esc(checker.reason ?? '')}</p>`;
  return checker.anomalies
    .map((group) => {
      const proof = group.ops
        .slice(0, 30)
        .map((i) => byIndex.get(i))
        .filter((op): op is Op => op !== undefined)
        .map((op) => esc(opToString(op)))
        .join('\n');
      const more = group.ops.length > 30 ? `\n… ${group.ops.length - 30} more ops` : '';
      return `<h3>${esc(checker.name)}: ${esc(group.kind)} ×${group.count}</h3><p>${esc(group.first.message)}</p>${group.count > 1 ? `<p>last: ${esc(group.last.message)}</p>` : ''}<pre class="proof">${proof}${more}</pre>`;
    })
    .join('');
}

function statsTable(checkers: readonly CheckerOutcome[]): string {
  const rows = checkers.map((c) => {
    const stats = JSON.stringify(c.stats, (key, value) => (key === 'measurements' ? undefined : value));
    return `<tr><td>${esc(c.name)}</td><td>${word(c.valid)}</td><td class="num">${c.opportunities}</td><td>${esc(c.judges ?? '–')}</td><td><code>${esc(stats.length > 400 ? `${stats.slice(0, 397)}...` : stats)}</code></td></tr>`;
  });
  return `<table><thead><tr><th>checker</th><th>verdict</th><th>cases judged</th><th>a case is</th><th>stats</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The delivery ledger: per consumer delivered / absorbed / applied, with the drain time. */
function ledgerSection(s: ScenarioOutcome): string {
  const view = ledgerView(s);
  if (!view) return '';
  const rows = view.consumers.map(
    (c) =>
      `<tr><td>${esc(c.consumer)}</td><td class="num">${c.delivered}</td><td class="num">${c.absorbed}</td><td class="num">${c.applied}</td></tr>`,
  );
  return `<h3>Delivery ledger</h3><p>${esc(ledgerLine(view))}</p>${
    rows.length
      ? `<table class="ledger"><thead><tr><th>consumer</th><th>delivered (copies on the topic)</th><th>absorbed by the inbox</th><th>applied</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : ''
  }`;
}

function scenarioSection(s: ScenarioOutcome, ops: readonly Op[], modes: readonly ReportSection[]): string {
  const byIndex = new Map(ops.map((op) => [op.index, op]));
  const anomalies = s.checkers
    .filter((c) => c.valid !== true)
    .map((c) => anomalySection(c, byIndex))
    .join('');
  const legend = `<p class="legend"><span><i class="sw" style="background:#2e7d32"></i>ok</span><span><i class="sw" style="background:#c62828"></i>fail</span><span><i class="sw" style="background:#ef6c00"></i>info (may or may not have happened)</span><span><i class="sw" style="background:#ffcdd2"></i>fault window</span></p>`;
  return `<section id="${esc(s.name)}"><h2>${esc(s.name)} — ${word(s.valid, s.incomplete)}</h2>
<p>${s.ops.invoke} ops in ${(s.durationMs / 1000).toFixed(1)} s · replay: <code>${esc(s.replay)}</code></p>
${s.error ? `<p class="FAIL">Harness error: ${esc(s.error)}</p>` : ''}
${(s.faultProblems ?? []).map((p) => `<p class="UNKNOWN">Fault problem: ${esc(p)}</p>`).join('')}
${statsTable(s.checkers)}
${ledgerSection(s)}
${modes.map((m) => m.html(s)).join('')}
${anomalies ? `<h3>Anomalies</h3>${anomalies}` : ''}
<h3>Timeline (one row per process)</h3>${legend}${ops.length ? timelineSvg(ops) : '<p>no ops</p>'}
<h3>Latency</h3>${ops.length ? latencySvg(ops) : ''}
<h3>Throughput</h3>${ops.length ? throughputSvg(ops) : ''}
</section>`;
}

function explorationSection(sequences: readonly SequenceOutcome[]): string {
  const legend = `<p class="legend"><span><i class="sw" style="background:#2e7d32"></i>run passed</span><span><i class="sw" style="background:#c62828"></i>run failed</span><span><i class="sw" style="background:#a5d6a7"></i>shrink passed</span><span><i class="sw" style="background:#ef9a9a"></i>shrink failed</span><span><i class="sw" style="background:#757575"></i>could not run</span></p>`;
  return `<section id="exploration"><h2>Exploration</h2>${legend}${sequencesSvg(sequences)}</section>`;
}

/** The run's index.html; `modes` add their parts to each scenario's section. */
export function reportHtml(outcome: RunOutcome, history: readonly Op[], modes: readonly ReportSection[] = []): string {
  const verdict = verdictWord(outcome.valid, outcome.incomplete);
  const sections = outcome.scenarios.map((s) =>
    scenarioSection(
      s,
      history.filter((op) => op.scenario === s.name),
      modes,
    ),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cpqchaos ${esc(outcome.runId)} — ${verdict}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${STYLE}</style></head><body>
<h1>cpqchaos run ${esc(outcome.runId)}</h1>
<div class="verdict ${verdict}" id="verdict">${verdict}</div>
<p>seed ${outcome.seed} · bugs: ${esc(outcome.bugs.join(', ') || 'none')} · ${esc(outcome.startedAt)} → ${esc(outcome.finishedAt)}</p>
<p>Replay the whole run: <code>${esc(outcome.replay)}</code></p>
${outcome.error ? `<p class="FAIL">Harness error: ${esc(outcome.error)}</p>` : ''}
${outcome.incomplete ? '<p class="INCOMPLETE">The run did not complete; unfinished scenarios are marked incomplete.</p>' : ''}
${verdictTable(outcome)}
${outcome.sequences?.length ? explorationSection(outcome.sequences) : ''}
${sections.join('\n')}
</body></html>
`;
}
