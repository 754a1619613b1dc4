/**
 * The flags of a bench (`npm run bench:… -- --flag value`): parsed strictly, and any usage error —
 * a flag the bench does not know, a value missing, a value out of range — is one line naming the
 * bench and the flag, exit 64, before anything starts (no stack trace, no environment left up).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { integer } from '../../harness/cli/shared/options.ts';

/** Writes `bench: message` and exits 64 (a usage error). */
export function usageError(bench: string, message: string): never {
  process.stderr.write(`${bench}: ${message}\n`);
  process.exit(64);
}

/** The values of `options` from the command line; an unknown or malformed flag is a usage error. */
export function benchArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  bench: string,
  options: O,
  argv: string[] = process.argv.slice(2),
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false }).values;
  } catch (error) {
    const known = Object.keys(options)
      .map((name) => `--${name}`)
      .join(', ');
    return usageError(bench, `${(error as Error).message.split('\n')[0]} (its flags: ${known})`);
  }
}

/** `value` as a whole number ≥ `min` (the CLI's own `integer`), or a usage error naming `flag`. */
export function wholeNumber(bench: string, flag: string, value: string | undefined, min: number): number {
  try {
    return integer(flag, value ?? '', min, Number.MAX_SAFE_INTEGER) as number; // defined: value is a string
  } catch (error) {
    return usageError(bench, (error as Error).message);
  }
}
