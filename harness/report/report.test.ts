// Unit: the report writers on a hand-written run judged by the real checkers — summary.json has the
// contract's shape, JUnit carries the first anomaly and the replay line, Markdown is a PR comment,
// and the HTML is self-contained (no scripts, no network) with escaped text, SVG charts and proofs.
import { describe, expect, it } from 'vitest';
import { effectsExactlyOnce } from '../checkers/effects-exactly-once.ts';
import { noLostEvents } from '../checkers/no-lost-events.ts';
import { noStaleSubmit } from '../checkers/no-stale-submit.ts';
import type { LedgerEntry } from '../core/final-state.ts';
import { final, HistoryBuilder } from '../checkers/testing/history-builder.ts';
import { checkScenario } from '../core/outcome.ts';
import { reportHtml } from './html.ts';
import { junitXml } from './junit.ts';
import { summaryMarkdown } from './markdown.ts';
import { summaryJson } from './summary.ts';
import { sampleRun } from './testing/sample-run.ts';

const { outcome, history } = sampleRun();

describe('reports', () => {
  it('the sample run is judged by the real checkers: one violation, one pass', () => {
    expect(outcome.scenarios.map((s) => [s.name, s.valid])).toEqual([
      ['stale-price-submit', false],
      ['tenant-collision', true],
    ]);
  });

  it('summary.json has the contract shape', () => {
    const summary = summaryJson(outcome) as Record<string, unknown> & { scenarios: Record<string, unknown>[] };
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['runId', 'valid', 'seed', 'bugs', 'startedAt', 'finishedAt', 'scenarios']),
    );
    expect(Object.keys(summary.scenarios[0] as object)).toEqual(
      expect.arrayContaining(['name', 'valid', 'seed', 'durationMs', 'ops', 'faults', 'checkers', 'replay']),
    );
    expect(summary.scenarios[0]).toMatchObject({
      ops: { invoke: 6, ok: 7, fail: 0, info: 1 },
      faults: [{ fault: 'stale-cache-window', target: 'invalidation+api-kafka' }],
    });
  });

  it('junit.xml: one suite per scenario, a failure carrying the first anomaly and the replay line', () => {
    const xml = junitXml(outcome);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testcase classname="stale-price-submit" name="no-stale-submit"');
    expect(xml).toMatch(
      /<failure message="stale-submit ×1: submit of quote q1 \(pricing v1\) accepted after pricing v2 was acknowledged — replay: npx cpqchaos run stale-price-submit --seed 42 --bugs submit-trusts-cache"/,
    );
    expect(xml).not.toContain('<script>');
  });

  it('junit.xml reports an undecided checker as an error, not a pass', () => {
    const unknown = {
      ...outcome,
      scenarios: [
        {
          ...outcome.scenarios[1]!,
          checkers: [
            {
              name: 'stampede-bound',
              valid: 'unknown' as const,
              opportunities: 0,
              anomalies: [],
              stats: {},
              reason: 'no stampede was measured',
            },
          ],
        },
      ],
    };
    expect(junitXml(unknown)).toContain('<error message="unknown: no stampede was measured"');
  });

  it('every report shows how many cases each checker judged, and a checker that judged none as unknown', () => {
    const h = new HistoryBuilder();
    h.publish(0, 't', 'pricing', 1);
    h.call(1, 'submit', { tenant: 't', quoteId: 'q1' }, { state: 'SUBMITTED', catalogVersion: 1, priceListVersion: 1 });
    const vacuous = {
      ...checkScenario({ name: 'quiet', checkers: [noStaleSubmit] }, h.ops, final(), false),
      seed: 1,
      durationMs: 1,
      replay: 'r',
    };
    expect(vacuous.valid).toBe('unknown');
    const run = { ...outcome, valid: 'unknown' as const, scenarios: [...outcome.scenarios, vacuous] };
    const checkersOf = (name: string) =>
      (summaryJson(run).scenarios as { name: string; checkers: { opportunities: number; valid: unknown }[] }[]).find(
        (s) => s.name === name,
      )?.checkers;
    expect(checkersOf('stale-price-submit')?.[0]?.opportunities).toBe(1);
    expect(checkersOf('quiet')).toEqual([expect.objectContaining({ valid: 'unknown', opportunities: 0 })]);
    const md = summaryMarkdown(run);
    expect(md).toContain('✗ no-stale-submit (1)');
    expect(md).toContain('? no-stale-submit (0)');
    expect(md).toContain(
      '**quiet / no-stale-submit** — unknown: nothing to judge: no submits that raced a newer publish',
    );
    expect(junitXml(run)).toContain('<property name="opportunities" value="0"/>');
    expect(reportHtml(run, history)).toContain('<td class="num">0</td><td>submits that raced a newer publish</td>');
  });

  it('summary.md names the verdict, the failing checker with its proof and the replay lines', () => {
    const md = summaryMarkdown(outcome);
    expect(md).toContain('## cpqchaos ❌ FAIL');
    expect(md).toContain('| stale-price-submit | ❌ FAIL |');
    expect(md).toContain('**stale-price-submit / no-stale-submit** — stale-submit ×1');
    expect(md).toContain('`npx cpqchaos run stale-price-submit --seed 42 --bugs submit-trusts-cache`');
    expect(md).toContain('npx cpqchaos replay reports/20261124T000000Z-seed42');
  });

  it('index.html is self-contained, escaped, with charts, fault windows and the proving ops', () => {
    const html = reportHtml(outcome, history);
    expect(html).not.toMatch(/<script|src="http|href="http|@import|url\(/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('t&lt;script&gt;');
    expect(html.match(/<svg class="timeline"/g)).toHaveLength(2);
    expect(html.match(/<svg class="latency"/g)).toHaveLength(2);
    expect(html.match(/<svg class="throughput"/g)).toHaveLength(2);
    expect(html).toMatch(/<rect class="fault"[^>]*><title>stale-cache-window on invalidation\+api-kafka<\/title>/);
    expect(html).toContain('no-stale-submit: stale-submit ×1');
    expect(html).toMatch(/<pre class="proof">[^<]*ok submit/);
    expect(html).toContain('npx cpqchaos replay reports/20261124T000000Z-seed42');
  });

  it('an exploration shows its sequences: one bar each, failed, shrunk and unrun ones told apart, steps in the tooltip', () => {
    expect(reportHtml(outcome, history)).not.toContain('<svg class="sequences"');
    const sequences = [
      { name: 'run-1', shrink: false, steps: 12, failed: false, seconds: 7.1 },
      { name: 'run-2', shrink: false, steps: 20, failed: true, seconds: 8.4, checker: 'no-stale-submit' },
      { name: 'shrink-1', shrink: true, steps: 3, failed: false, seconds: 6.9 },
      { name: 'shrink-2', shrink: true, steps: 5, failed: true, seconds: 7.0, checker: 'no-stale-submit' },
      { name: 'run-3', shrink: false, steps: 0, failed: false, seconds: 0.1, couldNotRun: 'seeding failed (HTTP 503)' },
    ];
    const html = reportHtml({ ...outcome, sequences }, history);
    const svg = html.slice(html.indexOf('<svg class="sequences"'));
    expect(svg.match(/<rect /g)?.slice(0, 4)).toHaveLength(4);
    expect(svg).toContain('<title>run-2: 20 steps, fails (no-stale-submit) in 8.4 s</title>');
    expect(svg).toMatch(/fill="#ef9a9a"><title>shrink-2/);
    // A sequence stopped before any verdict is grey and says why, never a green pass.
    expect(svg).toContain(
      'fill="#757575"><title>run-3: 0 steps, could not run (seeding failed (HTTP 503)) in 0.1 s</title>',
    );
    expect(html).toContain('could not run</span>');
    expect(svg).toContain('3 runs, 2 shrinks');
  });

  it('a scenario that judged a ledger shows it: committed, on topic, copies, drain, and per consumer delivered / absorbed / applied', () => {
    const entry = (eventId: string, copies: number, effects: number): LedgerEntry => ({
      eventId,
      tenantId: 't',
      type: 'OrderCreated',
      outbox: 'published',
      copies,
      consumers: { billing: { inbox: 1, effects } },
    });
    const judged = checkScenario(
      { name: 'lost-outbox-ack', checkers: [noLostEvents, effectsExactlyOnce] },
      [],
      { parameters: {}, observations: { ledger: { entries: [entry('e1', 2, 1), entry('e2', 1, 1)], drainMs: 812 } } },
      false,
    );
    const run = {
      ...outcome,
      scenarios: [{ ...judged, seed: 1, durationMs: 1000, replay: 'npx cpqchaos run lost-outbox-ack --seed 1' }],
    };
    const html = reportHtml(run, []);
    expect(html).toContain(
      '<h3>Delivery ledger</h3><p>2 committed · 2 on topic (3 copies) · drained 812 ms after the heal</p>',
    );
    expect(html).toContain(
      '<tr><td>billing</td><td class="num">3</td><td class="num">1</td><td class="num">2</td></tr>',
    );
    expect(summaryMarkdown(run)).toContain(
      '| lost-outbox-ack | 2 committed · 2 on topic (3 copies) · drained 812 ms after the heal | billing 3/1/2 |',
    );
    expect(summaryMarkdown(outcome)).not.toContain('Delivery ledger');
  });
});
