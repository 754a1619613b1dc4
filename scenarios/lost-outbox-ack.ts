/**
 * `lost-outbox-ack`: in seeded windows the broker's answers to the relay are lost on the wire —
 * each produce request reaches Kafka, its acknowledgement never comes back — so the relay times
 * out and sends the batch again. The topic then holds some events twice; every consumer effect
 * must still happen once (the inbox absorbs the copy) and no event may go missing.
 */
import { lostAck } from '../harness/faults/network-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

export const lostOutboxAck: Scenario = {
  ...messagingScenario,
  name: 'lost-outbox-ack',
  purpose:
    'a broker acknowledgement lost on the wire makes the relay publish again; the copy is absorbed, never applied twice',
  faultNames: ['lost-ack (relay-kafka)'],
  faults: windowed(lostAck('relay-kafka'), { windows: 2, minMs: 3000, maxMs: 4000 }),
};
