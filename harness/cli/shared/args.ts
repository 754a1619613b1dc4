/**
 * Strict command-line parsing on node:util's parseArgs: an unknown flag, a missing value or a bad
 * enum value is a `UsageError` (exit 64) naming the flag and what is allowed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` against `options`; positionals allowed only when `positionals` is true. */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`, `see \`npx cpqchaos ${command} --help\``);
  }
}

/** Checks that `value` is one of `allowed`. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${flag} '${value}'`, `use one of: ${allowed.join(', ')}`);
}
