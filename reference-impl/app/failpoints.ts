/**
 * Named failpoints: places where the harness can make a process crash or drop a connection at the
 * worst moment, over a loopback admin endpoint that exists only when the process is started with
 * failpoints enabled. They model real crashes; they are not bugs and never change domain logic.
 * Each sits at a seam between two writes of one unit of work:
 *
 * | failpoint | fires | a crash there leaves |
 * |---|---|---|
 * | `relay.after-claim-before-publish` | rows claimed (committed), nothing sent | claimed rows no live relay owns |
 * | `relay.after-publish-before-mark` | batch acknowledged by Kafka, rows not marked | published rows still claimed |
 * | `consumer.after-effect-before-inbox` | effect written, inbox row not yet durable | (one transaction) nothing |
 * | `consumer.after-effect-before-commit` | effect and inbox row committed, offset not | a redelivery |
 * | `api.convert-between-statements` | order, quote, events and response written, not committed | (one transaction) nothing |
 * | `api.after-commit-before-response` | command committed, answer unsent | a client that must retry |
 */

export const FAILPOINT_NAMES = [
  'relay.after-claim-before-publish',
  'relay.after-publish-before-mark',
  'consumer.after-effect-before-inbox',
  'consumer.after-effect-before-commit',
  'api.convert-between-statements',
  'api.after-commit-before-response',
] as const;

export type FailpointName = (typeof FAILPOINT_NAMES)[number];

/** `crash`: SIGKILL this process; `drop`: destroy the client connection without answering. */
export interface FailpointSpec {
  action: 'crash' | 'drop';
  /** How many hits fire before it disarms itself (default 1). */
  times?: number;
  /** Only fire for this consumer (consumer failpoints). */
  consumer?: string;
}

export class Failpoints {
  private readonly armed = new Map<FailpointName, Required<Omit<FailpointSpec, 'consumer'>> & { consumer?: string }>();

  static isName(name: string): name is FailpointName {
    return (FAILPOINT_NAMES as readonly string[]).includes(name);
  }

  arm(name: FailpointName, spec: FailpointSpec): void {
    this.armed.set(name, {
      action: spec.action,
      times: spec.times ?? 1,
      ...(spec.consumer ? { consumer: spec.consumer } : {}),
    });
  }

  disarm(name: FailpointName): void {
    this.armed.delete(name);
  }

  list(): Record<string, FailpointSpec> {
    return Object.fromEntries(this.armed);
  }

  /** The action to take at `name` now, if armed (and counts the hit). */
  hit(name: FailpointName, consumer?: string): FailpointSpec['action'] | undefined {
    const spec = this.armed.get(name);
    if (!spec || (spec.consumer && spec.consumer !== consumer)) return undefined;
    spec.times -= 1;
    if (spec.times <= 0) this.armed.delete(name);
    return spec.action;
  }

  /** Crashes the process (SIGKILL: no cleanup, no goodbye) if `name` is armed with `crash`. */
  crashIfArmed(name: FailpointName, consumer?: string): void {
    if (this.hit(name, consumer) === 'crash') process.kill(process.pid, 'SIGKILL');
  }
}
