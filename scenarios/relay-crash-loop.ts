/**
 * `relay-crash-loop`: the relay crashes, again and again, right after Kafka acknowledged a batch
 * and before it marks the rows published (its failpoint armed in each seeded window and the relay
 * restarted at the window's end). Each restarted relay claims the rows again and publishes them
 * again: copies on the topic, which the consumers must absorb; nothing lost, nothing stuck.
 */
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

const FAILPOINT = 'relay.after-publish-before-mark';

export const relayCrashLoop: Scenario = {
  ...messagingScenario,
  name: 'relay-crash-loop',
  purpose:
    'a relay that dies between publish and mark, repeatedly, republishes; every event applies once and none is stuck',
  faultNames: [`failpoint-crash (relay: ${FAILPOINT}) ×3`],
  requires: [{ component: 'relay', abilities: ['kill', 'failpoints'], failpoints: [FAILPOINT] }],
  faults: windowed(failpointCrash('relay', FAILPOINT), { windows: 3, minMs: 1500, maxMs: 2500 }),
};
