// Unit: a load run's exit code from the checkers' verdict and k6's thresholds (0, 1, 2, 3).
import { describe, expect, it } from 'vitest';
import type { LoadObservation } from '../../core/final-state.ts';
import { loadExitCode } from './load-verdict.ts';

describe('load exit codes', () => {
  const load = (thresholds: LoadObservation['thresholds']): LoadObservation => ({
    profile: 'smoke',
    k6ExitCodes: [0],
    requests: 10,
    errors: 0,
    malformed: 0,
    thresholds,
  });
  const held = { metric: 'http_req_failed', expression: 'rate<0.01', ok: true, samples: 10 };
  it('are 0 when checkers and thresholds hold, 3 when only a threshold broke, 2 when one met nothing', () => {
    expect(loadExitCode(0, load([held]))).toBe(0);
    expect(loadExitCode(0, load([held, { ...held, ok: false }]))).toBe(3);
    expect(loadExitCode(0, load([held, { ...held, samples: 0 }]))).toBe(2);
    expect(loadExitCode(0, undefined)).toBe(2);
  });
  it('keep the checkers verdict first: a violated invariant is 1 whatever k6 says', () => {
    expect(loadExitCode(1, load([{ ...held, ok: false }]))).toBe(1);
    expect(loadExitCode(2, load([held]))).toBe(2);
  });
});
