/**
 * `api-crash-after-commit`: an API instance dies right after committing a command and before
 * answering it (its failpoint armed in seeded windows, the instance restarted at the window's
 * end). The client sees a dropped connection — an `info` outcome — and retries with the same
 * Idempotency-Key: the retry must answer what was committed, never make a second order.
 */
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

const FAILPOINT = 'api.after-commit-before-response';

export const apiCrashAfterCommit: Scenario = {
  ...messagingScenario,
  name: 'api-crash-after-commit',
  purpose:
    'an API instance that dies between commit and response: the retry with the same key replays, one order per quote',
  faultNames: [`failpoint-crash (api-1: ${FAILPOINT}) ×2`],
  requires: [{ component: 'api-1', abilities: ['kill', 'failpoints'], failpoints: [FAILPOINT] }],
  faults: windowed(failpointCrash('api-1', FAILPOINT), { windows: 2, minMs: 2000, maxMs: 3500 }),
};
