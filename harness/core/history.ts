/**
 * The history on disk: `history.jsonl`, one op per line, appended as the run goes so a crash loses
 * nothing already recorded; and reading it back, where a malformed line is reported with its line
 * number and skipped — never silently dropped.
 */
import fs from 'node:fs';
import type { Op, OpType } from './op.ts';

/** What a scenario records through and reads back: the run's writer, or its view for one scenario. */
export type ScenarioLog = Pick<
  HistoryWriter,
  'append' | 'appendAt' | 'epochMs' | 'length' | 'history' | 'opsOf' | 'countOf'
>;

/** How far the wall clock may drift from the monotonic one before ops timed by it are placed anew (a step, not a slew). */
export const WALL_STEP_MS = 50;

/**
 * Appends ops to a history file, assigning indexes and times. By default it also keeps them in
 * memory for the checkers; with `retain: false` (a load run, whose soak can record millions) it
 * keeps only counts while the run goes, so memory stays flat however long it runs, and reads the
 * file back (in chunks, once per length) when someone asks for the ops.
 */
export class HistoryWriter {
  private readonly fd: number;
  private readonly started = process.hrtime.bigint();
  private anchorMs = Date.now();
  private readonly ops: Op[] = [];
  private readonly retain: boolean;
  private next = 0;
  private readonly counts = new Map<string | undefined, number>();
  private readBack: { length: number; ops: Op[] } | undefined;
  /** The scenario now running; stamped on every op appended. */
  scenario: string | undefined;

  constructor(
    readonly file: string,
    options: { retain?: boolean } = {},
  ) {
    this.fd = fs.openSync(file, 'a');
    this.retain = options.retain ?? true;
  }

  /** Records an op now; returns it (with index and time). */
  append(op: Omit<Op, 'index' | 'time'>): Op {
    return this.appendAt(op, Number(process.hrtime.bigint() - this.started));
  }

  /**
   * Records an op that happened at `time` (ns on this history's clock) — an op another process
   * timed (a k6 request) and reported a moment later; its index may follow ops of a later time.
   */
  appendAt(op: Omit<Op, 'index' | 'time'>, time: number, scenario = this.scenario): Op {
    const full: Op = { index: this.next++, time, ...op, ...(scenario === undefined ? {} : { scenario }) };
    if (this.retain) this.ops.push(full);
    this.counts.set(scenario, (this.counts.get(scenario) ?? 0) + 1);
    fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
    return full;
  }

  /**
   * The wall-clock time (ms since the epoch) of time 0 as the two clocks stand now, to place ops
   * timed by another process's wall clock (k6's). The history runs on the monotonic clock; the wall
   * clock can be stepped under it (a paused VM catching up, a time sync): on this machine a load
   * run's k6 ops landed 1.9 s and 7 s late against a correct system, judged stale submits and stale
   * reads. Re-anchored when the clocks have moved apart by more than `WALL_STEP_MS`; steady otherwise.
   */
  get epochMs(): number {
    const now = Date.now() - Number(process.hrtime.bigint() - this.started) / 1e6;
    if (Math.abs(now - this.anchorMs) > WALL_STEP_MS) this.anchorMs = now;
    return this.anchorMs;
  }

  /**
   * The log of one scenario among several running at once: what is appended through it is stamped
   * with `scenario`, whatever scenario the writer's own stamp names.
   */
  as(scenario: string): ScenarioLog {
    const length = () => this.length;
    const epochMs = () => this.epochMs;
    const history = () => this.history;
    return {
      append: (op) => this.appendAt(op, Number(process.hrtime.bigint() - this.started), scenario),
      appendAt: (op, time) => this.appendAt(op, time, scenario),
      get epochMs() {
        return epochMs();
      },
      get length() {
        return length();
      },
      get history() {
        return history();
      },
      opsOf: (name) => this.opsOf(name),
      countOf: (name) => this.countOf(name),
    };
  }

  /**
   * A log that records each op once in every one of `scenarios` (a fault in effect for all the
   * scenarios running at once belongs to each one's history); returns the first scenario's copy.
   */
  toEach(scenarios: readonly string[]): Pick<ScenarioLog, 'append'> {
    return {
      append: (op) => {
        const time = Number(process.hrtime.bigint() - this.started);
        return scenarios.map((scenario) => this.appendAt(op, time, scenario))[0] as Op;
      },
    };
  }

  /** Ops recorded so far. */
  get length(): number {
    return this.next;
  }

  /** Ops of one scenario recorded so far (without reading them). */
  countOf(scenario: string): number {
    return this.counts.get(scenario) ?? 0;
  }

  /** The ops of one scenario. */
  opsOf(scenario: string): Op[] {
    return this.history.filter((op) => op.scenario === scenario);
  }

  /** Everything recorded so far. */
  get history(): readonly Op[] {
    if (this.retain) return this.ops;
    if (this.readBack?.length !== this.next) this.readBack = { length: this.next, ops: readHistory(this.file).ops };
    return this.readBack.ops;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** A line of a history file that could not be used. */
export interface MalformedLine {
  line: number;
  message: string;
}

const TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];

/** Checks that `value` has the shape of an op; returns why not, or undefined. */
function shapeError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const op = value as Record<string, unknown>;
  if (!Number.isInteger(op.index) || (op.index as number) < 0) return 'index must be a non-negative integer';
  if (typeof op.time !== 'number' || !Number.isFinite(op.time)) return 'time must be a number';
  if (typeof op.process !== 'number' && typeof op.process !== 'string') return 'process must be a number or a string';
  if (!TYPES.includes(op.type as OpType)) return `type must be one of ${TYPES.join(', ')}`;
  if (typeof op.f !== 'string' || op.f === '') return 'f must be a non-empty string';
  if (typeof op.value !== 'object' || op.value === null) return 'value must be an object';
  return undefined;
}

/** Parses one line (number `line`) into `ops`, or records why not in `malformed`. */
function takeLine(raw: string, line: number, ops: Op[], malformed: MalformedLine[]): void {
  if (raw.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    malformed.push({ line, message: `invalid JSON: ${(error as Error).message}` });
    return;
  }
  const problem = shapeError(parsed);
  if (problem) malformed.push({ line, message: problem });
  else ops.push(parsed as Op);
}

/** Parses history text; good ops in order, plus every malformed line with its number and reason. */
export function parseHistory(text: string): { ops: Op[]; malformed: MalformedLine[] } {
  const ops: Op[] = [];
  const malformed: MalformedLine[] = [];
  text.split('\n').forEach((raw, i) => takeLine(raw, i + 1, ops, malformed));
  return { ops, malformed };
}

/**
 * Reads a history file in chunks (a soak's history can be gigabytes: it is never one string), with
 * the same result as parsing it whole.
 */
export function readHistory(file: string, chunkBytes = 16 << 20): { ops: Op[]; malformed: MalformedLine[] } {
  const ops: Op[] = [];
  const malformed: MalformedLine[] = [];
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    let rest = Buffer.alloc(0);
    let line = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, chunkBytes, null);
      const data = read > 0 ? Buffer.concat([rest, buffer.subarray(0, read)]) : rest;
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        takeLine(data.toString('utf8', start, nl), ++line, ops, malformed);
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
      if (read === 0) break;
    }
    if (rest.length > 0) takeLine(rest.toString('utf8'), ++line, ops, malformed);
  } finally {
    fs.closeSync(fd);
  }
  return { ops, malformed };
}
