/**
 * A hand-written run for report tests: two scenarios — one passing, one whose history has a stale
 * submit inside a fault window — judged by the real checkers, so reports render real results.
 */
import os from 'node:os';
import path from 'node:path';
import { noStaleSubmit } from '../../checkers/no-stale-submit.ts';
import { tenantIsolation } from '../../checkers/tenant-isolation.ts';
import { final, HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import type { Op } from '../../core/op.ts';
import { checkScenario, type RunOutcome } from '../../core/outcome.ts';

function failing(): Op[] {
  const h = new HistoryBuilder();
  h.publish(0, 't<script>', 'pricing', 1, { currency: 'EUR', prices: { router: 100 } });
  h.call(1, 'create-quote', { tenant: 't<script>', items: [] }, { quoteId: 'q1' });
  h.call(1, 'price', { tenant: 't<script>', quoteId: 'q1' }, { catalogVersion: 1, priceListVersion: 1 });
  h.fault('start', 'stale-cache-window', 'invalidation+api-kafka');
  h.wait(400);
  h.publish(0, 't<script>', 'pricing', 2, { currency: 'EUR', prices: { router: 200 } });
  h.wait(300);
  h.call(
    1,
    'submit',
    { tenant: 't<script>', quoteId: 'q1' },
    { state: 'SUBMITTED', catalogVersion: 1, priceListVersion: 1 },
  );
  h.invoke(2, 'submit', { tenant: 't<script>', quoteId: 'q2' });
  h.info(2, 'submit', { tenant: 't<script>', quoteId: 'q2' });
  h.wait(500);
  h.fault('stop', 'stale-cache-window', 'invalidation+api-kafka');
  return h.ops.map((op) => ({ ...op, scenario: 'stale-price-submit' }));
}

function passing(offset: number, origin: number): Op[] {
  const h = new HistoryBuilder();
  h.publish(0, 'a', 'pricing', 1, { currency: 'EUR', prices: { router: 101 } });
  h.publish(0, 'b', 'pricing', 1, { currency: 'EUR', prices: { router: 202 } });
  for (let i = 0; i < 20; i++) {
    h.call(
      1 + (i % 3),
      'read-price',
      { tenant: i % 2 ? 'a' : 'b', offeringId: 'router', currency: 'EUR' },
      { unitPriceCents: i % 2 ? 101 : 202, priceListVersion: 1 },
    );
    h.wait(50);
  }
  return h.ops.map((op) => ({ ...op, index: op.index + offset, time: op.time + origin, scenario: 'tenant-collision' }));
}

/** The sample run's outcome (written to `dir`) and its history. */
export function sampleRun(dir = path.join(os.tmpdir(), 'cpqchaos-sample-run')): { outcome: RunOutcome; history: Op[] } {
  const first = failing();
  const last = first[first.length - 1] as Op;
  const second = passing(first.length, last.time + 1_000_000);
  const scenarios = [
    {
      ...checkScenario({ name: 'stale-price-submit', checkers: [noStaleSubmit] }, first, final(), false),
      durationMs: 1500,
    },
    {
      ...checkScenario({ name: 'tenant-collision', checkers: [tenantIsolation] }, second, final(), false),
      durationMs: 1200,
    },
  ].map((s) => ({ ...s, seed: 42, replay: `npx cpqchaos run ${s.name} --seed 42 --bugs submit-trusts-cache` }));
  return {
    outcome: {
      runId: '20261124T000000Z-seed42',
      dir,
      valid: false,
      seed: 42,
      bugs: ['submit-trusts-cache'],
      startedAt: '2026-11-24T00:00:00.000Z',
      finishedAt: '2026-11-24T00:00:03.000Z',
      incomplete: false,
      scenarios,
      replay: 'npx cpqchaos replay reports/20261124T000000Z-seed42',
    },
    history: [...first, ...second],
  };
}
