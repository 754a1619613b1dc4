/**
 * An exploration's replay: the line that replays it (exactly one counterexample, with `--path`), and
 * the check, before anything starts, that a given `--path` is a place in its seed's sequence.
 */
import fc from 'fast-check';
import { UsageError } from '../../core/errors.ts';
import { systemFlag } from '../../runner/replay-line.ts';
import { familyOf, type FaultSupport, type StepFamilyName } from './family.ts';
import { commandsArbitrary, splitReplayPath } from './step-arbitraries.ts';

/** What names an exploration's sequence: its family (on its system), length, seed and path. */
interface ReplayOf {
  family: StepFamilyName;
  steps: number;
  seed: number;
  path?: string;
  bugs: readonly string[];
  /** The system explored (its faults decide the draws) and the file it came from, for the line. */
  system?: FaultSupport;
  systemFile?: string;
  /** Sequences run at once (an exploration without `--path`; a path always replays alone). */
  atOnce?: number;
  /** Sequences drawn (an exploration without `--path`: the same seed draws the same first ones). */
  runs?: number;
}

/**
 * Throws a `UsageError` when `path` is not a place in `seed`'s sequence for this family and length —
 * checked with a property that always fails (fast-check then walks the whole path), before anything starts.
 */
export function checkReplayPath(settings: Pick<ReplayOf, 'family' | 'steps' | 'seed' | 'path' | 'system'>): void {
  if (settings.path === undefined) return;
  const { path, replayPath } = splitReplayPath(settings.path);
  let steps = -1;
  try {
    fc.check(
      fc.property(
        commandsArbitrary(familyOf(settings.family, settings.system), settings.steps, replayPath),
        (commands) => {
          steps = [...commands].length;
          return false;
        },
      ),
      { seed: settings.seed, path, endOnFailure: true },
    );
  } catch (error) {
    throw new UsageError(
      `--path ${settings.path} does not fit seed ${settings.seed}'s sequence (--family ${settings.family} --steps ${settings.steps}): ${(error as Error).message}`,
      'copy --family, --steps, --seed and --path together from the replay line',
    );
  }
  if (steps === 0)
    throw new UsageError(
      `--path ${settings.path} of seed ${settings.seed} is an empty sequence: there is nothing to replay`,
      'copy the whole --path from the replay line, with the part after @',
    );
}

/** The line that replays an exploration (exactly the counterexample at `path`, when given). */
export function exploreReplay(
  s: Pick<ReplayOf, 'family' | 'steps' | 'seed' | 'bugs' | 'systemFile' | 'atOnce' | 'runs'>,
  path?: string,
): string {
  return [
    `npx cpqchaos explore --family ${s.family} --steps ${s.steps} --seed ${s.seed}${path ? ` --path ${path}` : ''}`,
    !path && s.runs !== undefined ? `--runs ${s.runs}` : '',
    !path && (s.atOnce ?? 1) > 1 ? `--at-once ${s.atOnce}` : '',
    s.bugs.length ? `--bugs ${s.bugs.join(',')}` : '',
    systemFlag(s.systemFile),
  ]
    .filter(Boolean)
    .join(' ');
}
