// Unit: k6's summary export read back — a threshold that held, one that was crossed, one whose
// metric met no sample; instances combined (held only where all held, samples added).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineThresholds, thresholdsOf } from './k6-summary.ts';

// The shape `k6 run --summary-export` writes (k6 v1.4): `true` marks a threshold that failed.
const SUMMARY = {
  metrics: {
    http_req_failed: { passes: 3, fails: 997, thresholds: { 'rate<0.01': false }, value: 0.003 },
    'http_req_duration{op:submit}': { 'p(95)': 1200, count: 40, thresholds: { 'p(95)<1000': true } },
    'http_req_duration{op:convert}': { 'p(95)': 0, count: 0, thresholds: { 'p(95)<1000': false } },
    http_reqs: { count: 1000, rate: 50 },
  },
};

function summaryFile(content: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'k6-summary-')), 'summary.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('k6 summaries', () => {
  it('say which thresholds held, which were crossed and which met no sample', () => {
    expect(thresholdsOf(summaryFile(SUMMARY))).toEqual([
      { metric: 'http_req_failed', expression: 'rate<0.01', ok: true, samples: 1000 },
      { metric: 'http_req_duration{op:submit}', expression: 'p(95)<1000', ok: false, samples: 40 },
      { metric: 'http_req_duration{op:convert}', expression: 'p(95)<1000', ok: true, samples: 0 },
    ]);
    expect(thresholdsOf('/nonexistent/summary.json')).toBeUndefined();
    expect(thresholdsOf(summaryFile({ nothing: 1 }))).toBeUndefined();
  });

  it('combine instances: a threshold holds only where every instance held it', () => {
    const one = thresholdsOf(summaryFile(SUMMARY)) ?? [];
    const other = one.map((t) => ({ ...t, ok: true, samples: 10 }));
    const combined = combineThresholds([one, other]);
    expect(combined.find((t) => t.metric === 'http_req_duration{op:submit}')).toMatchObject({ ok: false, samples: 50 });
    expect(combined.find((t) => t.metric === 'http_req_failed')).toMatchObject({ ok: true, samples: 1010 });
  });
});
