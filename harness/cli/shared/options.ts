/**
 * Option values shared by the commands that run scenarios: whole numbers and durations in a range,
 * scenario names against the registry, help text. Each bad value is a `UsageError` (exit 64) naming what
 * is allowed, raised before anything starts.
 */
import { RECORDED_DURATIONS_S } from '../../../scenarios/durations.ts';
import { SCENARIOS, scenarioNamed } from '../../../scenarios/index.ts';
import { DURATION_EXAMPLES, parseDurationMs } from '../../core/duration.ts';
import { EXIT, UsageError } from '../../core/errors.ts';
import type { Scenario } from '../../runner/scenario.ts';
import { parseShard, shardOf } from '../../runner/shard.ts';

/** Prints a command's help; exit 0. */
export function help(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

/** True when `argv` asks for help. */
export const wantsHelp = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');

/** `flag`'s value as a whole number in [min, max], or undefined when absent. */
export function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

/**
 * A duration flag (core/duration.ts: `90`, `90s`, `5m`, `2h`) in whole seconds from `min` to
 * `max`, or undefined when absent.
 */
export function seconds(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms % 1000 !== 0 || ms < min * 1000 || ms > max * 1000)
    throw new UsageError(
      `${flag} must be a duration of whole seconds from ${min} s to ${max} s, like ${DURATION_EXAMPLES} (a bare number is seconds), got '${value}'`,
    );
  return ms / 1000;
}

/** `--seed N`, or a seed drawn now (printed with the run). */
export function seedOf(value: string | undefined): number {
  return integer('--seed', value, 0, Number.MAX_SAFE_INTEGER) ?? Math.floor(Math.random() * 1_000_000);
}

/**
 * The scenarios of `--shard i/n` among `scenarios` (all of them without the flag), and what run.json
 * records about the split: the shard, and every scenario of the whole run in order.
 */
export function sharded(
  scenarios: Scenario[],
  flag: string | undefined,
): { scenarios: Scenario[]; recorded?: Record<string, unknown> } {
  if (flag === undefined) return { scenarios };
  const shard = parseShard(flag);
  return {
    scenarios: shardOf(scenarios, shard, RECORDED_DURATIONS_S),
    recorded: { shard: { ...shard, of: scenarios.map((s) => s.name) } },
  };
}

/** The scenarios named, each once, in the order given. */
export function scenariosNamed(names: readonly string[]): Scenario[] {
  if (names.length === 0)
    throw new UsageError('run needs at least one scenario', `known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const unknown = names.filter((n) => !scenarioNamed(n));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown scenario ${unknown.join(', ')}`,
      `known: ${SCENARIOS.map((s) => s.name).join(', ')} (npx cpqchaos list)`,
    );
  return [...new Set(names)].map((n) => scenarioNamed(n) as Scenario);
}
