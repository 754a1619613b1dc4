// Unit: what a system can be judged on, from hand-written systems and probe results — the reference
// system runs everything; a system without the invalidation consumer, budgets or failpoints misses
// exactly the scenarios that need them; once tried, an ability that failed costs the scenarios that
// use it, a failed source-load read costs the stampede scenarios only, a contract answer that
// differs for an invalid request costs only hostile-input exploration, and the report shows each.
import { describe, expect, it } from 'vitest';
import { referenceSystem } from '../../system/reference-system.ts';
import { manifestSystem } from '../../system/manifest/manifest-system.ts';
import { parseManifest } from '../../system/manifest/manifest-read.ts';
import { checkText } from './check-report.ts';
import { whatCanRun, type LiveResults } from './runnable.ts';

const theirs = manifestSystem(
  parseManifest(
    `
name: their OMS
components:
  - { name: api-1, kind: api, url: 'http://127.0.0.1:1', abilities: { restart: 'docker restart api-1' } }
  - { name: relay, kind: relay, url: 'http://127.0.0.1:2', abilities: { kill: 'docker kill relay', start: 'docker start relay' } }
`,
    'theirs.yaml',
  ),
  '.',
);
const named = (runnable: ReturnType<typeof whatCanRun>, name: string) => runnable.find((r) => r.name === name);
const allGood = (): LiveResults => ({
  endpoints: [{ endpoint: 'POST /quotes', request: 'valid', expected: '201 with quoteId', got: '201', ok: true }],
  reads: ['quotes', 'sourceLoads(offering)'].map((read) => ({ read, ok: true, result: '1 row', ms: 1 })),
  abilities: [{ component: 'relay', ability: 'kill', ok: true, ms: 900, detail: 'killed and started again' }],
});

describe('what a system can be judged on', () => {
  it('the reference system: every scenario, drill and family', () => {
    const runnable = whatCanRun(referenceSystem);
    expect(runnable.filter((r) => !r.runs)).toEqual([]);
    expect(runnable.filter((r) => r.kind === 'drill').length).toBe(7);
    expect(runnable.filter((r) => r.kind === 'exploration').map((r) => r.name)).toEqual([
      'explore --family cache',
      'explore --family messaging',
      'explore --family all',
      'explore --family input',
    ]);
  });

  it('a system without an invalidation consumer, budgets or failpoints: what each misses', () => {
    const runnable = whatCanRun(theirs);
    expect(named(runnable, 'stale-price-submit')?.missing).toEqual([
      "needs component 'invalidation', which the their OMS does not have (it has api-1, relay)",
    ]);
    expect(named(runnable, 'kafka-outage-beyond-retries')?.missing[0]).toMatch(
      /'kafka-producer' budget, which the their OMS does not declare/,
    );
    expect(named(runnable, 'redis-outage')?.runs).toBe(true);
    expect(named(runnable, 'explore --family input')?.runs).toBe(true);
    // An exploration runs without the faults it cannot start, and says which and why.
    const all = named(runnable, 'explore --family all');
    expect(all?.runs).toBe(true);
    expect(all?.without).toContainEqual(expect.stringMatching(/^invalidation-pause: needs component 'invalidation'/));
    expect(all?.without?.some((w) => w.startsWith('redis-restart'))).toBe(false);
    expect(checkText({ system: 'their OMS', seconds: 1, runnable, gateRuns: false })).toContain(
      "      runs without invalidation-pause: needs component 'invalidation'",
    );
  });

  it('once tried: a failed ability, a failed read, a differing invalid answer cost only what needs them', () => {
    const live = allGood();
    live.abilities = [{ component: 'relay', ability: 'kill', ok: false, ms: 1, detail: 'exited with 1' }];
    live.reads[1] = { read: 'sourceLoads(offering)', ok: false, result: 'no statement', ms: 0 };
    live.endpoints.push({
      endpoint: 'POST /quotes',
      request: 'no items',
      expected: '400 VALIDATION_FAILED problem+json',
      got: '422',
      ok: false,
    });
    const runnable = whatCanRun(referenceSystem, live);
    const needKill = runnable.filter((r) => r.kind === 'scenario' && r.missing.length > 0);
    expect(needKill.map((r) => r.name)).toContain('relay-crash-loop');
    const killers = runnable.filter((r) => r.missing.some((m) => m === "'relay' could not kill: exited with 1"));
    expect(killers.length).toBeGreaterThan(0);
    expect(named(runnable, 'hot-key-stampede')?.missing).toEqual(['read sourceLoads(offering) failed: no statement']);
    expect(named(runnable, 'redis-outage')?.missing.filter((m) => m.startsWith('read'))).toEqual([]);
    expect(named(runnable, 'explore --family input')?.missing).toEqual([
      'POST /quotes (no items) answered 422, not 400 VALIDATION_FAILED problem+json',
    ]);
    expect(named(runnable, 'redis-outage')?.missing.some((m) => m.includes('no items'))).toBe(false);
  });

  it('the report marks each line and says whether the gate can run', () => {
    const runnable = whatCanRun(theirs);
    const text = checkText({ system: 'their OMS', seconds: 1.25, runnable, gateRuns: false, live: allGood() });
    expect(text).toContain('  ✗ scenario    stale-price-submit');
    expect(text).toContain("      misses: needs component 'invalidation'");
    expect(text).toContain('  ✓ relay          kill       killed and started again (900 ms)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('some gate scenarios cannot run · 1.3 s');
  });
});
