// Unit: a consumer kafkajs will not restart (a non-retriable crash) is replaced by a new one in the
// same group, which subscribes and runs again; a retriable crash is left to kafkajs; a stopped
// consumer is never replaced. A fetched batch is applied as one unit where the consumer can, one
// event at a time where it cannot or the unit failed, and an offset is resolved only after its effect.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { EventEnvelope } from '../../domain/events.ts';
import { runConsumer, toMessage, type ConsumerSpec } from './kafka.ts';

type RunConfig = { eachBatch: (payload: EachBatchPayload) => Promise<void> };

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

/** A fake kafkajs client: every consumer it makes records what was done to it. */
function fakeKafka() {
  const made: { calls: string[]; emit: (event: string, payload: unknown) => void }[] = [];
  const runs: RunConfig[] = [];
  const kafka = {
    consumer: () => {
      const emitter = new EventEmitter();
      const calls: string[] = [];
      made.push({ calls, emit: (event, payload) => emitter.emit(event, { payload }) });
      return {
        events: EVENTS,
        on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
        connect: async () => void calls.push('connect'),
        subscribe: async () => void calls.push('subscribe'),
        run: async (config: unknown) => {
          calls.push('run');
          runs.push(config as RunConfig);
        },
        disconnect: async () => void calls.push('disconnect'),
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, made, runs };
}

const spec = { groupId: 'g', topics: ['t'], fromBeginning: true, handle: async () => undefined };
const log = pino({ level: 'silent' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('runConsumer', () => {
  it('replaces a consumer after a crash kafkajs does not restart', async () => {
    const { kafka, made } = fakeKafka();
    const running = await runConsumer(kafka, spec, log);
    made[0]?.emit(EVENTS.GROUP_JOIN, {});
    expect(running.joined()).toBe(true);
    made[0]?.emit(EVENTS.CRASH, { error: new Error('The coordinator is not aware of this member'), restart: false });
    expect(running.joined()).toBe(false);
    await settle();
    expect(made).toHaveLength(2);
    expect(made[0]?.calls).toEqual(['connect', 'subscribe', 'run', 'disconnect']);
    expect(made[1]?.calls).toEqual(['connect', 'subscribe', 'run']);
    expect(running.consumer).not.toBeUndefined();
  });

  it('leaves a retriable crash to kafkajs, and never replaces a stopped consumer', async () => {
    const { kafka, made } = fakeKafka();
    const running = await runConsumer(kafka, spec, log);
    made[0]?.emit(EVENTS.CRASH, { error: new Error('The coordinator is loading'), restart: true });
    await settle();
    expect(made).toHaveLength(1);
    await running.stop();
    made[0]?.emit(EVENTS.CRASH, { error: new Error('gone'), restart: false });
    await settle();
    expect(made).toHaveLength(1);
    expect(made[0]?.calls.at(-1)).toBe('disconnect');
  });
});

/** An event envelope numbered `n`. */
const envelope = (n: number): EventEnvelope => ({
  eventId: `e-${n}`,
  tenantId: 't',
  type: 'QuoteCreated',
  aggregateId: `q-${n}`,
  aggregateVersion: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  payload: {},
});

/** Runs one fetched batch of `values` through `spec`'s consumer; returns the offsets it resolved. */
async function runBatch(spec: ConsumerSpec, values: (EventEnvelope | string)[], running = () => true) {
  const { kafka, runs } = fakeKafka();
  await runConsumer(kafka, spec, log);
  const resolved: string[] = [];
  const messages = values.map((v, i) => ({
    offset: String(10 + i),
    value: Buffer.from(typeof v === 'string' ? v : toMessage(v).value),
  }));
  const payload = {
    batch: { topic: 't', partition: 0, messages },
    resolveOffset: (offset: string) => void resolved.push(offset),
    heartbeat: async () => undefined,
    isRunning: running,
    isStale: () => false,
  };
  await runs[0]?.eachBatch(payload as unknown as EachBatchPayload);
  return resolved;
}

describe('runConsumer: a fetched batch', () => {
  it('is applied as one unit through handleBatch, then its last offset resolved', async () => {
    const units: string[][] = [];
    const handled: string[] = [];
    const resolved = await runBatch(
      {
        ...spec,
        handle: async (e) => void handled.push(e.eventId),
        handleBatch: async (events) => void units.push(events.map((e) => e.eventId)),
      },
      [envelope(1), 'not an envelope', envelope(2), envelope(3)],
    );
    expect(units).toEqual([['e-1', 'e-2', 'e-3']]);
    expect(handled).toEqual([]);
    expect(resolved).toEqual(['13']);
  });

  it('is applied one event at a time when the unit failed, each offset resolved after its effect', async () => {
    const handled: string[] = [];
    const resolved = await runBatch(
      {
        ...spec,
        handle: async (e) => void handled.push(e.eventId),
        handleBatch: async () => {
          throw new Error('connection terminated');
        },
      },
      [envelope(1), envelope(2)],
    );
    expect(handled).toEqual(['e-1', 'e-2']);
    expect(resolved).toEqual(['10', '11']);
  });

  it('stops at a failing event without skipFailures, and resolves nothing past it', async () => {
    const failing = {
      ...spec,
      handle: async (e: EventEnvelope) => {
        if (e.eventId === 'e-2') throw new Error('no effect');
      },
    };
    const resolved: string[] = [];
    await expect(
      runBatch(failing, [envelope(1), envelope(2), envelope(3)]).then((r) => resolved.push(...r)),
    ).rejects.toThrow('no effect');
    expect(resolved).toEqual([]);
    expect(await runBatch({ ...failing, skipFailures: true }, [envelope(1), envelope(2), envelope(3)])).toEqual([
      '10',
      '11',
      '12',
    ]);
  });

  it('is left where it stands once the consumer stops running', async () => {
    let live = true;
    const handled: string[] = [];
    const resolved = await runBatch(
      {
        ...spec,
        handle: async (e) => {
          handled.push(e.eventId);
          live = false;
        },
      },
      [envelope(1), envelope(2)],
      () => live,
    );
    expect(handled).toEqual(['e-1']);
    expect(resolved).toEqual(['10']);
  });
});
