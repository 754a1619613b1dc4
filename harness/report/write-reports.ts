/**
 * Writes a run's reports into its directory: `results.json`, `summary.json`, `junit.xml`,
 * `summary.md` and `index.html`. The history and `run.json` are already there.
 */
import path from 'node:path';
import type { Op } from '../core/op.ts';
import type { RunOutcome } from '../core/outcome.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';
import { writeJson, writeText } from './run-dir.ts';
import type { ReportSection } from './section.ts';
import { summaryJson } from './summary.ts';

/** Writes every report of `outcome`; `modes` add their parts (load figures, a drill's scorecard). */
export function writeReports(outcome: RunOutcome, history: readonly Op[], modes: readonly ReportSection[] = []): void {
  const file = (name: string) => path.join(outcome.dir, name);
  writeJson(file('results.json'), outcome);
  writeJson(file('summary.json'), summaryJson(outcome));
  writeText(file('junit.xml'), junitXml(outcome));
  writeText(file('summary.md'), summaryMarkdown(outcome, modes));
  writeText(file('index.html'), reportHtml(outcome, history, modes));
}
