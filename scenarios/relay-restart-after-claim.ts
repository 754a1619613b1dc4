/**
 * `relay-restart-after-claim`: the relay dies right after claiming a batch, before sending it (its
 * failpoint armed in seeded windows), and is restarted moments later while commands and publishes
 * keep committing. The new relay sends the newer rows at once and the dead one's claimed rows only
 * once their claim times out — so older events reach the consumers after newer ones of the same
 * aggregate. Projections must not go back, cache pointers must not move backwards (reads stay within
 * the staleness budget), and every event must still be delivered and applied once.
 */
import { boundedStaleness } from '../harness/checkers/bounded-staleness.ts';
import { failpointCrash } from '../harness/faults/failpoint-faults.ts';
import { windowed } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic } from '../harness/workload/convert-steps.ts';
import { browse, finalCacheReads, publisher } from '../harness/workload/cpq-steps.ts';
import { either, onWorkers, repeat, stagger, timeLimit } from '../harness/workload/generators.ts';
import { messagingScenario } from './messaging-base.ts';

const FAILPOINT = 'relay.after-claim-before-publish';

export const relayRestartAfterClaim: Scenario = {
  ...messagingScenario,
  name: 'relay-restart-after-claim',
  purpose: 'events delivered out of order after a relay dies holding a claim: no projection or pointer goes back',
  tags: ['nightly', 'messaging'],
  checkers: [...messagingScenario.checkers, boundedStaleness],
  faultNames: [`failpoint-crash (relay: ${FAILPOINT}) ×3`],
  requires: [{ component: 'relay', abilities: ['kill', 'failpoints'], failpoints: [FAILPOINT] }],
  timeLimitS: 14,
  concurrency: 7,
  workload: (ctx) => {
    const orders = orderTraffic(ctx, 2);
    return [
      {
        ...orders,
        gen: either(
          onWorkers(
            (p) => p === 2,
            timeLimit(ctx.timeLimitMs, stagger(500, repeat(publisher(ctx, ['catalog', 'pricing'])))),
          ),
          onWorkers((p) => p === 3, timeLimit(ctx.timeLimitMs, stagger(30, repeat(browse(ctx))))),
          onWorkers((p) => p !== 2 && p !== 3, orders.gen),
        ),
      },
    ];
  },
  faults: windowed(failpointCrash('relay', FAILPOINT), { windows: 3, minMs: 800, maxMs: 1200 }),
  finalReads: finalCacheReads,
};
