/**
 * Every mode's part in re-writing a run directory of any mode (`analyze`): its report section, and
 * how it re-derives its figures from what the run stored once the checkers judged again (a load
 * run's phases and thresholds, a drill's scorecard with the checkers' new verdicts).
 */
import type { FinalState } from '../core/final-state.ts';
import type { Op } from '../core/op.ts';
import type { ScenarioOutcome } from '../core/outcome.ts';
import type { ReportSection } from '../report/section.ts';
import { gamedaySection } from './gameday/gameday-report.ts';
import { withScorecard } from './gameday/scorecard.ts';
import { loadOutcome, loadSection } from './load/load-report.ts';

export interface ModeAnalysis {
  section: ReportSection;
  /** `judged` (a scenario checked again) with the mode's figures re-derived from `stored`. */
  rejudge(judged: ScenarioOutcome, stored: FinalState | undefined, ops: readonly Op[]): ScenarioOutcome;
}

export const MODES: readonly ModeAnalysis[] = [
  {
    section: loadSection,
    rejudge: (judged, stored, ops) =>
      stored?.observations.load ? { ...judged, load: loadOutcome(ops, stored.observations.load) } : judged,
  },
  {
    section: gamedaySection,
    rejudge: (judged, stored, ops) =>
      stored?.observations.gameday ? withScorecard(judged, stored.observations.gameday, ops) : judged,
  },
];

export const MODE_SECTIONS: readonly ReportSection[] = MODES.map((m) => m.section);
