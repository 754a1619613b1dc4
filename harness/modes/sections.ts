/**
 * Every mode's part of the reports, for re-writing a run directory of any mode (`analyze`).
 */
import type { ReportSection } from '../report/section.ts';
import { gamedaySection } from './gameday/gameday-report.ts';
import { loadSection } from './load/load-report.ts';

export const MODE_SECTIONS: readonly ReportSection[] = [loadSection, gamedaySection];
