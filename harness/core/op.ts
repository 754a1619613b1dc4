/**
 * Operations of a history (Jepsen's model): a process invokes an operation, which then completes
 * `ok`, `fail` (definitely did not happen) or `info` (may or may not have happened — a timeout, a
 * dropped connection). Faults are operations of process `nemesis`. Every op reads as one line.
 */

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** One line of `history.jsonl`. */
export interface Op {
  /** Position in the history, from 0. */
  index: number;
  /** Nanoseconds since the run started (monotonic clock). */
  time: number;
  /** Worker number, or `nemesis` for faults. */
  process: number | string;
  type: OpType;
  /** What was done: `submit`, `publish`, `read-price`, `start-fault`, … */
  f: string;
  value: Record<string, unknown>;
  /** For `fail`/`info`: why (an error code or message). */
  error?: string;
  /** The scenario the op belongs to (a run of several scenarios keeps one history). */
  scenario?: string;
}

/** The nemesis's process name. */
export const NEMESIS = 'nemesis';

/** One line that names the op, e.g. `12 3 ok submit {"quoteId":"…"}`. */
export function opToString(op: Op): string {
  const value = JSON.stringify(op.value);
  return `${op.index} ${op.process} ${op.type} ${op.f} ${value.length > 160 ? `${value.slice(0, 157)}...` : value}${op.error ? ` (${op.error})` : ''}`;
}

/** An invocation and how it completed (`completion` is undefined if the run ended first). */
export interface OpPair {
  invoke: Op;
  completion: Op | undefined;
}

/**
 * Pairs every invocation with the completion that follows it on the same process. A process runs
 * one op at a time; an invocation left open at the end is indeterminate, like `info`.
 */
export function pairOps(history: readonly Op[]): OpPair[] {
  const open = new Map<string, OpPair>();
  const pairs: OpPair[] = [];
  for (const op of history) {
    const key = String(op.process);
    if (op.type === 'invoke') {
      const pair = { invoke: op, completion: undefined };
      open.set(key, pair);
      pairs.push(pair);
    } else {
      const pair = open.get(key);
      if (pair && pair.invoke.f === op.f) {
        pair.completion = op;
        open.delete(key);
      }
    }
  }
  return pairs;
}

/** True if the pair definitely happened. */
export const isOk = (pair: OpPair): boolean => pair.completion?.type === 'ok';
/** True if the pair may or may not have happened (info, or never completed). */
export const isIndeterminate = (pair: OpPair): boolean =>
  pair.completion === undefined || pair.completion.type === 'info';
