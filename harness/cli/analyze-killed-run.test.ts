// Unit: `analyze` of a run killed mid-scenario (run.json and history written, no final state)
// judges with the parameters the run recorded when it started — not the checker's defaults
// (the old behaviour: a 3 s-stale read failed the 2 s default budget although the scenario allows
// 6 s), and not whatever the registry says today (the recorded ones win).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../checkers/testing/history-builder.ts';
import { writeJson } from '../report/run-dir.ts';
import { analyzeRunDir } from './analyze-command.ts';

const SCENARIO = 'invalidation-lag'; // registered, judged with the reference system's 4 s staleness budget

/** A killed run: run.json with `parameters`, a history with one read 3 s behind, nothing else. */
function killedRun(parameters: Record<string, unknown> | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-killed-'));
  writeJson(path.join(dir, 'run.json'), {
    runId: 'killed',
    command: 'run',
    scenarios: [SCENARIO],
    seed: 1,
    bugs: [],
    startedAt: '2026-11-25T00:00:00.000Z',
    ...(parameters ? { parameters: { [SCENARIO]: parameters } } : {}),
  });
  const h = new HistoryBuilder();
  const prices = (cents: number) => ({ currency: 'EUR', prices: { router: cents } });
  h.publish(0, 't', 'pricing', 1, prices(100));
  h.publish(0, 't', 'pricing', 2, prices(200));
  h.wait(3000);
  h.call(
    1,
    'read-price',
    { tenant: 't', offeringId: 'router', currency: 'EUR' },
    { unitPriceCents: 100, priceListVersion: 1 },
  );
  const lines = h.ops.map((op) => JSON.stringify({ ...op, scenario: SCENARIO }));
  fs.writeFileSync(path.join(dir, 'history.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

const staleness = (dir: string) => {
  const outcome = analyzeRunDir(dir);
  const scenario = outcome.scenarios.find((s) => s.name === SCENARIO);
  return { outcome, checker: scenario?.checkers.find((c) => c.name === 'bounded-staleness') };
};

describe('analyze of a killed run', () => {
  it("judges with the scenario's recorded 6 s budget: a 3 s-stale read is within it", () => {
    const { outcome, checker } = staleness(killedRun({ stalenessBudgetMs: 6000 }));
    expect(checker?.valid).toBe(true);
    expect(outcome.incomplete).toBe(true); // no final state: the run did not finish
    expect(outcome.valid).toBe('unknown');
  });

  it('uses the recorded parameters over the registry of today', () => {
    const { outcome, checker } = staleness(killedRun({ stalenessBudgetMs: 1000 }));
    expect(checker?.valid).toBe(false);
    expect(checker?.anomalies[0]?.kind).toBe('stale-beyond-budget');
    expect(outcome.valid).toBe(false);
  });

  it("falls back to the scenario's own parameters for a run recorded before parameters were", () => {
    expect(staleness(killedRun(undefined)).checker?.valid).toBe(true);
  });
});
