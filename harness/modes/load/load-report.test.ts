// Unit: a load run's terminal lines — a breakpoint run says where it broke and the best rate held
// before (or that it never broke, up to what rate); a fixed load says only where a limit was first
// crossed (the rate there is not a capacity); a run that crossed nothing says so; the components
// that took the cores are named, and what a request cost them in CPU — in the HTML also as bars,
// each component's cost at rest drawn pale.
import { describe, expect, it } from 'vitest';
import type { LoadOutcome } from '../../core/outcome.ts';
import type { ScenarioOutcome } from '../../core/outcome.ts';
import { loadHtml, loadText, requestCosts } from './load-report.ts';

const outcome = (profile: string, breakpoint?: LoadOutcome['breakpoint']): LoadOutcome => ({
  profile,
  k6ExitCodes: [99],
  requests: 100,
  errors: 0,
  malformed: 0,
  thresholds: [{ metric: 'http_req_duration{op:read-price}', expression: 'p(95)<50', ok: false, samples: 100 }],
  phases: [],
  ...(breakpoint ? { breakpoint } : {}),
});
const broke = { atS: 10, requestsPerSecond: 259, bestHeldPerSecond: 246, what: 'read-price p95 123 ms ≥ 50 ms' };

describe('loadText', () => {
  it('says where a breakpoint run broke and the best rate it held before', () => {
    expect(loadText(outcome('breakpoint', broke))).toContain(
      'broke 10 s in, at 259 requests/s (best held before: 246/s): read-price p95 123 ms ≥ 50 ms',
    );
  });

  it('says a breakpoint run that never broke stopped unbroken, at the highest rate it held', () => {
    expect(loadText({ ...outcome('breakpoint'), heldPerSecond: 741 })).toContain(
      'never broke: every latency and error limit held in every 2-s window, up to 741 requests/s — raise --rate',
    );
    expect(loadText({ ...outcome('load'), heldPerSecond: 741 })).not.toContain('never broke');
  });

  it('says where a fixed load first crossed a limit, without calling it a capacity', () => {
    const text = loadText(outcome('load', broke));
    expect(text).toContain('a limit was first crossed in the 2-s window 10 s in (259 requests/s): read-price p95');
    expect(text).not.toContain('best held');
    expect(loadText(outcome('load'))).toContain('every latency and error limit held in every 2-s window');
  });

  it('names the components that took the cores, the top five and the rest summed', () => {
    const components = ['api-1', 'k6-0', 'kafka', 'postgres', 'toxiproxy', 'relay', 'harness'].map((component, i) => ({
      component,
      cores: [0.4, 0.3, 0.25, 0.2, 0.2, 0.08, 0.03][i] as number,
    }));
    const load = { ...outcome('load'), cpu: { seconds: 78, machineCores: 2, busyCores: 1.81, components } };
    expect(loadText(load)).toContain(
      'CPU while k6 ran (78 s): 1.81 of 2 cores busy — api-1 0.40, k6-0 0.30, kafka 0.25, postgres 0.20, toxiproxy 0.20, others 0.11 (cores each)',
    );
    expect(loadText(outcome('load'))).not.toContain('CPU while');
  });

  it('says what a request cost in CPU, per component, leaving out k6 and the harness', () => {
    const components = [
      { component: 'api-1', cores: 0.5 },
      { component: 'k6-0', cores: 0.4 },
      { component: 'postgres', cores: 0.2 },
      { component: 'harness', cores: 0.05 },
    ];
    // 0.5 cores over 10 s are 5000 CPU ms; over 100 requests, 50 ms each.
    const load = { ...outcome('load'), cpu: { seconds: 10, machineCores: 2, busyCores: 1.2, components } };
    expect(loadText(load)).toContain(
      'CPU per request (100 requests; k6 and the harness left out): 70.00 ms — api-1 50.00, postgres 20.00 (ms each)',
    );
    expect(loadText({ ...load, requests: 0 })).not.toContain('CPU per request');
    expect(loadText(load)).not.toContain('at rest');
  });

  it("parts the system's cost at rest, measured before k6, from what the requests added", () => {
    const components = [
      { component: 'api-1', cores: 0.5 },
      { component: 'k6-0', cores: 0.4 },
      { component: 'postgres', cores: 0.2 },
    ];
    const idle = [
      { component: 'api-1', cores: 0.015 },
      { component: 'postgres', cores: 0.005 },
      { component: 'harness', cores: 0.5 }, // the harness at rest is not the system's
    ];
    const cpu = { seconds: 10, machineCores: 2, busyCores: 1.2, components };
    // 0.02 cores at rest over the 10 s of k6 are 200 CPU ms; over 100 requests, 2 ms of each.
    const load = {
      ...outcome('load'),
      cpu,
      idleCpu: { seconds: 5, machineCores: 2, busyCores: 0.3, components: idle },
    };
    expect(loadText(load)).toContain(
      'CPU per request above the system at rest: 68.00 ms — at rest (5 s before k6) it used 0.020 cores, 2.00 ms of each request at this rate',
    );
  });

  it('draws what a request cost each component as bars, its cost at rest pale, k6 and the harness left out', () => {
    const cpu = {
      seconds: 10,
      machineCores: 2,
      busyCores: 1,
      components: [
        { component: 'api-1', cores: 0.5 },
        { component: 'k6-0', cores: 0.4 },
        { component: 'postgres', cores: 0.2 },
        { component: 'harness', cores: 0.1 },
      ],
    };
    const idle = { seconds: 5, machineCores: 2, busyCores: 0.1, components: [{ component: 'api-1', cores: 0.05 }] };
    const load = { ...outcome('load'), cpu, idleCpu: idle };
    expect(requestCosts(load)).toEqual([
      { component: 'api-1', ms: 50, atRestMs: 5 },
      { component: 'postgres', ms: 20, atRestMs: 0 },
    ]);
    const html = loadHtml({ load } as ScenarioOutcome);
    const bars = /<svg class="bars"[^]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(bars).toContain('>api-1</text>');
    expect(bars).toContain('>postgres</text>');
    expect(bars).not.toContain('k6-0');
    expect(bars).not.toContain('>harness<');
    // api-1 is the longest bar (790 px); its pale part a tenth of it, postgres has none.
    expect(bars).toContain('width="790.0" height="14" fill="#1565c0"><title>api-1: 50.00 ms, 5.00 of it pale');
    expect(bars).toContain('width="79.0" height="14" fill="#90caf9"');
    expect(bars.match(/fill="#90caf9"/g)).toHaveLength(1);
    expect(loadHtml({ load: outcome('load') } as ScenarioOutcome)).not.toContain('<svg class="bars"');
  });
});
