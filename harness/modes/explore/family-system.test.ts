// Unit: an exploration of a user's own system leaves out exactly the faults it cannot run — a
// missing component, ability or budget, each said — and draws the same steps again for the same
// system (replay lines stay exact); the reference system loses nothing; a system that can take no
// fault of the family is explored with business steps only; a recorded counterexample it cannot
// run is not re-run.
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultCatalog } from '../../faults/catalog.ts';
import { parseManifest } from '../../system/manifest/manifest-read.ts';
import { manifestSystem } from '../../system/manifest/manifest-system.ts';
import { referenceSystem } from '../../system/reference-system.ts';
import { unmetRequirements } from '../../system/system.ts';
import { exploreDriver, type ExploreSettings } from './explore.ts';
import { recordCounterexample, type RecordedCounterexample } from './failure-db.ts';
import { familyOf } from './family.ts';
import { stepArbitrary } from './step-arbitraries.ts';

const system = (components: string) =>
  manifestSystem(parseManifest(`name: their OMS\ncomponents:\n${components}`, 'theirs.yaml'), '.');
// An API that restarts and a relay that can be killed: no consumers, no failpoints, no budgets.
const theirs = system(`
  - { name: api-1, kind: api, url: 'http://127.0.0.1:1', abilities: { restart: 'docker restart api-1' } }
  - { name: api-2, kind: api, url: 'http://127.0.0.1:3', abilities: { restart: 'docker restart api-2' } }
  - { name: relay, kind: relay, url: 'http://127.0.0.1:2', abilities: { kill: 'docker kill relay', start: 'docker start relay' } }
`);

describe("explore families on a user's own system", () => {
  it('the reference system: every fault of every family, none left out', () => {
    for (const name of ['cache', 'messaging', 'all'] as const) {
      expect(familyOf(name, referenceSystem).leftOut).toEqual([]);
      expect(familyOf(name, referenceSystem).faults).toEqual(familyOf(name).faults);
    }
  });

  it('leaves out exactly the faults the system lacks something for, and says what', () => {
    const catalog = faultCatalog();
    const family = familyOf('all', theirs);
    const whole = familyOf('all').faults;
    expect(family.leftOut.length).toBeGreaterThan(0);
    expect(family.faults.length).toBeGreaterThan(0);
    expect([...family.faults, ...family.leftOut.map((l) => l.fault)].sort()).toEqual([...whole].sort());
    for (const fault of family.faults) {
      const entry = catalog.get(fault);
      expect(unmetRequirements(theirs, 2, entry?.requires ?? []), fault).toEqual([]);
      expect(entry?.budgets ?? [], fault).toEqual([]);
    }
    const why = new Map(family.leftOut.map((l) => [l.fault, l.why]));
    expect(why.get('invalidation-pause')).toMatch(/needs component 'invalidation', which the their OMS does not have/);
    expect(why.get('kafka-outage-beyond-retries')).toMatch(/'kafka-producer' budget, which it does not declare/);
    expect(family.faults).toContain('redis-restart');
    // The weights and the staleness parameters speak only of the faults kept.
    expect(Object.keys(family.faultWeights).sort()).toEqual([...family.faults].sort());
  });

  it('draws no left-out fault, and the same steps again for the same system', () => {
    const family = familyOf('all', theirs);
    const draw = () => fc.sample(stepArbitrary(familyOf('all', theirs)), { numRuns: 3000, seed: 5 });
    const steps = draw();
    const faults = new Set(steps.flatMap((s) => (s.kind === 'fault' ? [s.fault] : [])));
    expect(faults.size).toBeGreaterThan(0);
    for (const fault of faults) expect(family.faults).toContain(fault);
    expect(draw()).toEqual(steps);
  });

  it('a system that can take no fault of the family is explored with business steps only', () => {
    const bare = system(`  - { name: api-1, kind: api, url: 'http://127.0.0.1:1' }`);
    const family = familyOf('messaging', bare);
    const kept = family.faults.filter((f) => (faultCatalog().get(f)?.requires.length ?? 0) > 0);
    expect(kept).toEqual([]);
    const noFaults = { ...family, faults: [], faultWeights: {} };
    const steps = fc.sample(stepArbitrary(noFaults), { numRuns: 500, seed: 1 });
    expect(steps.some((s) => s.kind === 'fault')).toBe(false);
    expect(steps.some((s) => s.kind === 'convert')).toBe(true);
  });

  it('re-runs no recorded counterexample that starts a fault the system cannot run, and says so', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-left-')), 'failures.jsonl');
    const recorded = (id: string, fault: string): RecordedCounterexample => ({
      id,
      date: '2026-12-06T00:00:00.000Z',
      seed: 1,
      path: '1',
      family: 'all',
      maxSteps: 20,
      bugs: [],
      steps: [{ kind: 'fault', fault, action: 'start' }],
      checker: 'model',
      anomaly: '…',
    });
    recordCounterexample(recorded('needs-failpoints', 'relay-crash'), file);
    recordCounterexample(recorded('needs-nothing', 'redis-restart'), file);
    const settings: ExploreSettings = {
      family: 'all',
      runs: 1,
      steps: 20,
      seed: 1,
      bugs: [],
      timeLimitS: 10,
      failureFiles: [file],
    };
    // The family first, then one per recorded counterexample that will be re-run.
    expect(exploreDriver({ ...settings, system: theirs }).families).toHaveLength(2);
    expect(exploreDriver(settings).families).toHaveLength(3);
  });
});
