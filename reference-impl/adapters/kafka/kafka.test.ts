// Unit: a consumer kafkajs will not restart (a non-retriable crash) is replaced by a new one in the
// same group, which subscribes and runs again; a retriable crash is left to kafkajs; a stopped
// consumer is never replaced.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { runConsumer } from './kafka.ts';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };

/** A fake kafkajs client: every consumer it makes records what was done to it. */
function fakeKafka() {
  const made: { calls: string[]; emit: (event: string, payload: unknown) => void }[] = [];
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
        run: async () => void calls.push('run'),
        disconnect: async () => void calls.push('disconnect'),
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, made };
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
