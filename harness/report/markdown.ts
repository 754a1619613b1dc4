/**
 * `summary.md`: the verdict fit for a pull-request comment — one table row per scenario with each
 * checker's verdict and how many cases it judged (its opportunities: a pass over none is no pass),
 * the failing or undecided checkers with their first anomaly or reason, and the replay lines.
 */
import type { RunOutcome } from '../core/outcome.ts';
import { ledgerLine, ledgerView } from './ledger.ts';
import type { ReportSection } from './section.ts';
import { verdictWord } from './summary.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The run's summary.md; `modes` add their parts after the scenarios. */
export function summaryMarkdown(outcome: RunOutcome, modes: readonly ReportSection[] = []): string {
  const icon = { PASS: '✅', FAIL: '❌', UNKNOWN: '❔', INCOMPLETE: '⏹' } as Record<string, string>;
  const verdict = verdictWord(outcome.valid, outcome.incomplete);
  const lines = [
    `## cpqchaos ${icon[verdict]} ${verdict}`,
    '',
    `Run \`${outcome.runId}\` · seed ${outcome.seed} · bugs: ${outcome.bugs.length ? outcome.bugs.join(', ') : 'none'}`,
    ...(outcome.error ? ['', `**Harness error:** ${outcome.error}`] : []),
    '',
    '| scenario | verdict | ops (ok/fail/info) | faults | checkers (cases judged) |',
    '|---|---|---|---|---|',
    ...outcome.scenarios.map((s) => {
      const word = verdictWord(s.valid, s.incomplete);
      const checkers = s.checkers
        .map((c) => `${c.valid === true ? '✓' : c.valid === false ? '✗' : '?'} ${c.name} (${c.opportunities})`)
        .join(', ');
      const faults = [...new Set(s.faults.map((f) => f.fault))].join(', ') || '–';
      return `| ${cell(s.name)} | ${icon[word]} ${word} | ${s.ops.ok}/${s.ops.fail}/${s.ops.info} | ${cell(faults)} | ${cell(checkers)} |`;
    }),
  ];
  const problems = outcome.scenarios.flatMap((s) =>
    s.checkers
      .filter((c) => c.valid !== true)
      .map((c) => {
        const first = c.anomalies[0];
        const what =
          c.valid === false && first
            ? `${first.kind} ×${first.count}: ${first.first.message} (ops ${first.ops.slice(0, 8).join(', ')})`
            : `unknown: ${c.reason ?? 'could not decide'}`;
        return `- **${s.name} / ${c.name}** — ${cell(what)}\n  \`${s.replay}\``;
      }),
  );
  problems.push(
    ...outcome.scenarios.flatMap((s) =>
      (s.faultProblems ?? []).map(
        (p) => `- **${s.name} / faults** — ${cell(p)}: the scenario did not test what it meant to`,
      ),
    ),
  );
  if (problems.length > 0) lines.push('', '### Findings', '', ...problems);
  const ledgers = outcome.scenarios.flatMap((s) => {
    const view = ledgerView(s);
    if (!view) return [];
    const consumers = view.consumers.map((c) => `${c.consumer} ${c.delivered}/${c.absorbed}/${c.applied}`).join(', ');
    return [`| ${cell(s.name)} | ${cell(ledgerLine(view))} | ${cell(consumers || '–')} |`];
  });
  if (ledgers.length > 0)
    lines.push(
      '',
      '### Delivery ledger',
      '',
      '| scenario | events | per consumer: delivered/absorbed/applied |',
      '|---|---|---|',
      ...ledgers,
    );
  for (const mode of modes) lines.push(...mode.markdown(outcome.scenarios));
  const judged = [...new Map(outcome.scenarios.flatMap((s) => s.checkers).map((c) => [c.name, c.judges])).entries()];
  if (judged.length > 0)
    lines.push(
      '',
      '<details><summary>What each checker counts as a case</summary>',
      '',
      ...judged.map(([name, what]) => `- ${name}: ${what ?? '–'}`),
      '',
      '</details>',
    );
  if (outcome.incomplete) lines.push('', '_The run did not complete: verdicts of unfinished scenarios are unknown._');
  lines.push('', `Reproduce the whole run: \`${outcome.replay}\``, '');
  return lines.join('\n');
}
