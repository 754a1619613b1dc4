/** The one line that reproduces a scenario of a run: same scenario, seed, options, bugs and system. */
import path from 'node:path';
import type { RunOptions } from './run-types.ts';

/** `--system FILE` (relative to here when below it) for a system described in a file; '' for the built-in one. */
export function systemFlag(file: string | undefined): string {
  if (!file) return '';
  const relative = path.relative(process.cwd(), file);
  return `--system ${relative.startsWith('..') || path.isAbsolute(relative) ? file : relative}`;
}

/** The command line that runs one scenario again with the same seed, options and bugs. */
export function scenarioReplay(
  name: string,
  options: Pick<RunOptions, 'seed' | 'bugs' | 'timeLimitS' | 'concurrency'> & {
    system?: Pick<RunOptions['system'], 'source'>;
  },
): string {
  return [
    'npx cpqchaos run',
    name,
    `--seed ${options.seed}`,
    options.bugs.length ? `--bugs ${options.bugs.join(',')}` : '',
    options.timeLimitS !== undefined ? `--time-limit ${options.timeLimitS}` : '',
    options.concurrency !== undefined ? `--concurrency ${options.concurrency}` : '',
    systemFlag(options.system?.source),
  ]
    .filter(Boolean)
    .join(' ');
}
