/**
 * A mode's own part of a run's reports (the load figures, a drill's scorecard): the report layer
 * lays out the run and each scenario, and asks the sections it is given for their markdown and
 * HTML. The modes (harness/modes/*) write theirs; `analyze` passes all of them.
 */
import type { ScenarioOutcome } from '../core/outcome.ts';

export interface ReportSection {
  /** Lines of summary.md after the scenarios' table; none when the run has nothing of the mode. */
  markdown(scenarios: readonly ScenarioOutcome[]): string[];
  /** HTML inside one scenario's section, after its checkers; empty when it has nothing of the mode. */
  html(scenario: ScenarioOutcome): string;
}
