/**
 * `postgres-cut-and-refusal`: PostgreSQL fails the system in the middle of its work, twice, while
 * orders and quotes keep coming. First every connection of the API instances is closed after a few
 * hundred to a few thousand more bytes — between the statements of whatever transaction it carries
 * — and new ones die soon after they open. Then PostgreSQL refuses every write to the consumers'
 * effect tables (`billing_trigger`, `quote_projection`) with a serialization failure, as a busy
 * database would. Nothing half-done may commit (one order per quote); a refused write is not a
 * handled event (every event applied exactly once, the projection matching PostgreSQL); and once
 * the cuts stop and the recovery budget has passed, every instance must answer again — a pool that
 * lost its connections must have replaced them, not kept them.
 */
import { cutMidTransaction } from '../harness/faults/network-faults.ts';
import { postgresRefusesWrites } from '../harness/faults/refusal-faults.ts';
import { inTurn } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { orderTraffic } from '../harness/workload/convert-steps.ts';
import { sweepingOn } from '../harness/workload/shapes.ts';
import { messagingScenario } from './messaging-base.ts';

export const postgresCutAndRefusal: Scenario = {
  ...messagingScenario,
  name: 'postgres-cut-and-refusal',
  purpose:
    'connections cut mid-transaction, then effect writes refused: nothing half-done, every event applied once, every instance answers after',
  tags: ['gate', 'messaging'],
  faultNames: ['postgres-cut (api→postgres)', 'postgres-refuses-writes (billing_trigger, quote_projection)'],
  timeLimitS: 14,
  workload: (ctx) => [sweepingOn(ctx, orderTraffic(ctx, 2), 2)],
  // The last 5.5 s without faults: the sweep after the heals is judged for recovery.
  faults: inTurn(
    [
      [cutMidTransaction('api-postgres'), { minMs: 2500, maxMs: 3000, gapMs: 700 }],
      [postgresRefusesWrites(['billing_trigger', 'quote_projection']), { minMs: 2500, maxMs: 3000, gapMs: 700 }],
    ],
    { quietEndMs: 5500 },
  ),
};
