/**
 * Builds hand-written histories for checker tests: each call appends one op, 1 ms after the
 * previous, so a test reads as the sequence of events it describes.
 */
import type { FinalState, Observations, Parameters } from '../../core/final-state.ts';
import type { Op } from '../../core/op.ts';

export class HistoryBuilder {
  readonly ops: Op[] = [];
  private clock = 0;

  private add(
    process: number | string,
    type: Op['type'],
    f: string,
    value: Record<string, unknown>,
    error?: string,
  ): number {
    this.clock += 1_000_000;
    this.ops.push({ index: this.ops.length, time: this.clock, process, type, f, value, ...(error ? { error } : {}) });
    return this.ops.length - 1;
  }

  /** The clock now (ns). */
  get now(): number {
    return this.clock;
  }

  /** Advances the clock by `ms` without an op. */
  wait(ms: number): this {
    this.clock += ms * 1_000_000;
    return this;
  }

  invoke(process: number, f: string, value: Record<string, unknown>): number {
    return this.add(process, 'invoke', f, value);
  }

  ok(process: number, f: string, value: Record<string, unknown>): number {
    return this.add(process, 'ok', f, value);
  }

  fail(process: number, f: string, value: Record<string, unknown>, error: string): number {
    return this.add(process, 'fail', f, value, error);
  }

  info(process: number, f: string, value: Record<string, unknown>, error = 'timeout'): number {
    return this.add(process, 'info', f, value, error);
  }

  /** invoke then ok on the same process. */
  call(process: number, f: string, value: Record<string, unknown>, result: Record<string, unknown> = {}): number {
    this.invoke(process, f, value);
    return this.ok(process, f, { ...value, ...result });
  }

  publish(
    process: number,
    tenant: string,
    domain: string,
    version: number,
    content: Record<string, unknown> = {},
  ): number {
    return this.call(process, 'publish', { tenant, domain, content }, { version });
  }

  fault(action: 'start' | 'stop', fault: string, target = 'redis'): number {
    return this.add('nemesis', 'ok', `${action}-fault`, { fault, target });
  }

  /** A nemesis action asked for; its end (`faultEnded`) may come after other ops, as it does live. */
  faultAsked(action: 'start' | 'stop', fault: string, target = 'redis'): number {
    return this.add('nemesis', 'invoke', `${action}-fault`, { fault, target });
  }

  faultEnded(action: 'start' | 'stop', fault: string, target = 'redis', type: 'ok' | 'info' = 'ok'): number {
    const value = { fault, target };
    return type === 'ok'
      ? this.add('nemesis', 'ok', `${action}-fault`, value)
      : this.add('nemesis', 'info', `${action}-fault`, value, 'fetch failed');
  }
}

/** A hand-written final state: observations first (what the final reads saw), then parameters. */
export function final(observations: Observations = {}, parameters: Parameters = {}): FinalState {
  return { parameters, observations };
}
