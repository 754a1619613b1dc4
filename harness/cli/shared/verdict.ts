/**
 * Prints a run's verdict — per scenario and checker, the first anomaly of each failing checker,
 * where the report is, and for a failure the lines that replay it — and maps it to the exit code:
 * 0 valid, 1 violated, 2 unknown, 255 harness error, 130 interrupted.
 */
import path from 'node:path';
import { EXIT } from '../../core/errors.ts';
import type { RunOutcome } from '../../core/outcome.ts';
import { verdictWord } from '../../report/summary.ts';

/** Exit code of a run stopped by Ctrl-C or SIGTERM. */
export const INTERRUPTED = EXIT.interrupted;

/** Prints the verdict, the report's place and the replay lines; returns the exit code. */
export function reportVerdict(label: string, outcome: RunOutcome, interrupted: boolean, brief = false): number {
  const out = process.stdout;
  const seconds = (Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt)) / 1000;
  const verdict = verdictWord(outcome.valid, outcome.incomplete);
  out.write(
    `${label}: ${verdict} — ${outcome.scenarios.length} scenario(s) in ${seconds.toFixed(0)} s, seed ${outcome.seed}, bugs ${outcome.bugs.join(',') || 'none'}\n`,
  );
  // Brief (explore): only scenarios that found something; the rest is in the report.
  for (const s of outcome.scenarios.filter((x) => !brief || x.valid === false || x.error)) {
    const checkers = s.checkers
      .map((c) => `${c.name} ${c.valid === true ? '✓' : c.valid === false ? '✗' : '?'}`)
      .join(', ');
    out.write(`  ${verdictWord(s.valid, s.incomplete).padEnd(10)} ${s.name.padEnd(24)} ${checkers}\n`);
    for (const c of s.checkers.filter((x) => x.valid !== true)) {
      const first = c.anomalies[0];
      out.write(
        `             ${c.name}: ${c.valid === false && first ? `${first.kind} ×${first.count}: ${first.first.message}` : `unknown: ${c.reason ?? ''}`}\n`,
      );
    }
    if (s.error) out.write(`             harness error: ${s.error}\n`);
    for (const problem of s.faultProblems ?? []) out.write(`             fault problem: ${problem}\n`);
  }
  const rel = path.relative(process.cwd(), outcome.dir) || outcome.dir;
  out.write(`report: ${path.join(rel, 'index.html')} (summary: ${path.join(rel, 'summary.md')})\n`);
  if (outcome.error) process.stderr.write(`cpqchaos: ${label}: ${outcome.error}\n`);
  if (interrupted) {
    process.stderr.write(`cpqchaos: ${label} interrupted; history and a summary marked incomplete are in ${rel}\n`);
    return INTERRUPTED;
  }
  if (outcome.error) return EXIT.infra;
  if (outcome.valid !== true) {
    for (const s of outcome.scenarios.filter((x) => x.valid !== true && (!brief || x.valid === false)))
      out.write(`replay ${s.name}: ${s.replay}\n`);
    out.write(`replay: ${outcome.replay}\n`);
  }
  return outcome.valid === true ? EXIT.ok : outcome.valid === false ? EXIT.violated : EXIT.unknown;
}
