/**
 * The one duration grammar of the harness — drill plans, CLI flags (`--duration`, `--time-limit`)
 * and load profiles all read it: a number with an optional unit, `500ms`, `1.5s`, `30s`, `5m`,
 * `2h`; a bare number is seconds (`30` = `30s`). Bounds are the reader's: this only converts.
 */

/** The grammar as a regular expression (also written into the plans' JSON Schema). */
export const DURATION_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?\\s*$';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** How a duration is written, for error messages. */
export const DURATION_EXAMPLES = '500ms, 30s, 5m or 2h';

/** `text` in whole milliseconds, or undefined when it does not follow the grammar. */
export function parseDurationMs(text: string): number | undefined {
  const match = new RegExp(DURATION_PATTERN).exec(text);
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS]);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
