/** The one line that reproduces a scenario of a run: same scenario, seed, options and bugs. */
import type { RunOptions } from './run-types.ts';

/** The command line that runs one scenario again with the same seed, options and bugs. */
export function scenarioReplay(
  name: string,
  options: Pick<RunOptions, 'seed' | 'bugs' | 'timeLimitS' | 'concurrency'>,
): string {
  return [
    'npx cpqchaos run',
    name,
    `--seed ${options.seed}`,
    options.bugs.length ? `--bugs ${options.bugs.join(',')}` : '',
    options.timeLimitS !== undefined ? `--time-limit ${options.timeLimitS}` : '',
    options.concurrency !== undefined ? `--concurrency ${options.concurrency}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
