/**
 * `approval-policy-change`: the approval policy tightens and loosens (20% ↔ 10% discount without
 * approval) while quotes with 15% discounts are priced and submitted, with caches lagging. A quote
 * accepted without approval that the policy acknowledged before its submit required is a bypass.
 */
import { noApprovalBypass } from '../harness/checkers/no-approval-bypass.ts';
import { noopScenario, type Scenario } from '../harness/runner/scenario.ts';
import { windowed } from '../harness/faults/schedule.ts';
import { staleCacheWindow } from '../harness/faults/process-faults.ts';
import { mainPhase, seedTenants } from '../harness/workload/cpq-steps.ts';

const LIMITS = [20, 10] as const;

export const approvalPolicyChange: Scenario = {
  ...noopScenario,
  name: 'approval-policy-change',
  family: 'cache',
  purpose: 'no quote is accepted without the approval that the policy in force at its submit required',
  tags: ['gate', 'cache'],
  // Only policies are published here, so no-stale-submit (catalog and price versions) would have nothing to judge.
  checkers: [noApprovalBypass],
  faultNames: ['stale-cache-window'],
  requires: [{ component: 'invalidation', abilities: ['pause'] }],
  tenants: 3,
  timeLimitS: 14,
  concurrency: 8,
  setup: (ctx) => seedTenants(ctx, LIMITS),
  workload: (ctx) => [
    mainPhase(ctx, {
      publish: ['policy'],
      publishEveryMs: 1200,
      policyLimits: LIMITS,
      quotes: 1,
      browse: 0,
      flow: { discounts: [15], priceToSubmitMs: [100, 700], convertShare: 0 },
    }),
  ],
  faults: windowed(staleCacheWindow, { windows: 2, minMs: 2500, maxMs: 4500 }),
};
