/**
 * A load run's verdict is k6's thresholds AND the checkers (contract section 1): the checkers'
 * exit code first (1 violated, 2 unknown); when they all held, 3 if a k6 threshold was crossed, 2
 * if one met no sample (it judged nothing), else 0.
 */
import { EXIT } from '../../core/errors.ts';
import type { LoadObservation } from '../../core/final-state.ts';

/** Exit code of a load run whose checkers held but a k6 threshold was crossed. */
export const THRESHOLD_CROSSED = 3;

/** The exit code of a load run: the checkers' verdict, then k6's thresholds. */
export function loadExitCode(checkers: number, load: LoadObservation | undefined): number {
  if (checkers !== EXIT.ok) return checkers;
  if (!load) return EXIT.unknown;
  if (load.thresholds.some((t) => !t.ok && t.samples > 0)) return THRESHOLD_CROSSED;
  if (load.thresholds.some((t) => t.samples === 0)) return EXIT.unknown;
  return EXIT.ok;
}
