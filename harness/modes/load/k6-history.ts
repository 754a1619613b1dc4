/**
 * k6's requests as history: the lines k6/lib/history.ts prints (`cpqchaos-op {…}`, an invoke before
 * each request and a `done` after it) become ops on the run's clock — k6's wall-clock milliseconds
 * placed against the history's epoch — classified by op-outcome.ts exactly as the harness's own
 * clients' ops. A `K6HistoryTail` follows k6's console file while k6 runs, so the history grows with
 * the run; a line that is not ours (k6's own warnings) is kept for the error message, a line of
 * ours that does not parse is counted and reported, never silently dropped.
 */
import fs from 'node:fs';
import type { ScenarioLog } from '../../core/history.ts';
import type { Op } from '../../core/op.ts';
import { CLIENT_CANCELLED, systemError } from '../../core/vocabulary.ts';
import { completionOf, OP_KINDS, type Answer } from '../../workload/op-outcome.ts';

export const K6_PREFIX = 'cpqchaos-op ';

/** One parsed line: the op (without index) and its wall-clock time (ms). */
export interface K6Line {
  atMs: number;
  op: Omit<Op, 'index' | 'time'>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one history line printed by k6 (without its prefix); throws with the reason when it is not one. */
export function parseK6Line(json: string): K6Line {
  const raw: unknown = JSON.parse(json);
  if (!isObject(raw)) throw new Error('not a JSON object');
  const { t, p, type, f, value } = raw;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new Error('t must be a time in ms');
  if (typeof p !== 'string' || p === '') throw new Error('p must name the process');
  if (typeof f !== 'string' || !(f in OP_KINDS)) throw new Error(`unknown op ${JSON.stringify(f)}`);
  if (!isObject(value)) throw new Error('value must be an object');
  if (type === 'invoke') return { atMs: t, op: { process: p, type: 'invoke', f, value } };
  if (type !== 'done') throw new Error(`type must be invoke or done, got ${JSON.stringify(type)}`);
  const status = typeof raw.status === 'number' ? raw.status : 0;
  // k6 reports a transport failure as status 0 with an error (`request timeout`, a dial error); a
  // request k6 itself cancelled (its users stopping at the end) is the client's doing, not the system's.
  const error = String(raw.error ?? 'no answer');
  const answer: Answer =
    status === 0
      ? { error: /timeout/i.test(error) ? 'timeout' : /context canceled/i.test(error) ? CLIENT_CANCELLED : error }
      : { status, body: isObject(raw.body) ? raw.body : {} };
  return { atMs: t, op: { process: p, ...completionOf(f, value, answer) } };
}

/** Follows a k6 console file and appends its history lines to `history` as they are written. */
export class K6HistoryTail {
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | undefined;
  /** Requests recorded (invokes), errors (no answer or a 5xx), lines of ours that did not parse; the last lines not ours. */
  readonly stats = { requests: 0, errors: 0, malformed: 0 };
  readonly otherLines: string[] = [];

  constructor(
    private readonly file: string,
    private readonly history: ScenarioLog,
    /** Called with every op appended (for live figures). */
    private readonly onOp: (op: Op) => void = () => undefined,
  ) {}

  start(everyMs = 100): void {
    this.timer = setInterval(() => this.poll(), everyMs);
  }

  /** Reads what was written since the last poll; a trailing partial line waits for its end. */
  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // k6 has not created it yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buffer.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.take(line);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Stops following, after taking everything k6 wrote (a last unterminated line included). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.poll();
    if (this.partial !== '') this.take(this.partial);
    this.partial = '';
  }

  private take(line: string): void {
    if (!line.startsWith(K6_PREFIX)) {
      if (line.trim() === '') return;
      this.otherLines.push(line);
      if (this.otherLines.length > 20) this.otherLines.shift();
      return;
    }
    let parsed: K6Line;
    try {
      parsed = parseK6Line(line.slice(K6_PREFIX.length));
    } catch {
      this.stats.malformed++;
      return;
    }
    const op = this.history.appendAt(parsed.op, Math.round((parsed.atMs - this.history.epochMs) * 1e6));
    if (op.type === 'invoke') this.stats.requests++;
    else if (systemError(op)) this.stats.errors++;
    this.onOp(op);
  }
}
