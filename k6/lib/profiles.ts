/**
 * The load profiles by purpose, sized from config.ts: `smoke` (a few users, briefly: does it work
 * at all), `load` (ramp to the target users and hold), `spike` (a sudden burst above a base and
 * back), `soak` (the target users for a long time), `breakpoint` (an arrival rate growing until the
 * system breaks; the run stops once reads are too slow or errors pass 5%). Thresholds come from the
 * seed's targets: interactive reads p95 ≤ 50 ms, commands (submit, convert and the other quote
 * steps) p95 ≤ 1 s, and under 1% of requests failing — a business refusal (4xx) is an answer, not a
 * failure.
 */
import type { Options } from 'k6/options';
import { config } from './config.ts';

const READS = ['read-price', 'read-offering'];
const COMMANDS = ['create-quote', 'price', 'submit', 'approve', 'accept', 'convert'];

export const THRESHOLDS: Record<string, string[]> = {
  http_req_failed: ['rate<0.01'],
  ...Object.fromEntries(READS.map((op) => [`http_req_duration{op:${op}}`, ['p(95)<50']])),
  ...Object.fromEntries(COMMANDS.map((op) => [`http_req_duration{op:${op}}`, ['p(95)<1000']])),
};

const SUMMARY = { summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max', 'count'] };

const s = (seconds: number): string => `${Math.max(1, Math.round(seconds))}s`;

export type ProfileName = 'smoke' | 'load' | 'spike' | 'soak' | 'breakpoint';

/** The k6 options of `profile`. */
export function profileOptions(profile: ProfileName): Options {
  const { vus, durationS, rate, rampS: ramp } = config;
  const scenario = (() => {
    switch (profile) {
      case 'smoke':
      case 'soak':
        return { executor: 'constant-vus', vus, duration: s(durationS) };
      case 'load':
        return {
          executor: 'ramping-vus',
          startVUs: 0,
          stages: [
            { duration: s(ramp), target: vus },
            { duration: s(durationS), target: vus },
            { duration: s(ramp / 2), target: 0 },
          ],
          gracefulRampDown: '30s',
        };
      case 'spike': {
        const base = Math.max(1, Math.round(vus / 10));
        const part = durationS / 5;
        return {
          executor: 'ramping-vus',
          startVUs: base,
          stages: [
            { duration: s(part), target: base },
            { duration: s(Math.min(5, part)), target: vus },
            { duration: s(part * 2), target: vus },
            { duration: s(Math.min(5, part)), target: base },
            { duration: s(part), target: base },
          ],
          gracefulRampDown: '30s',
        };
      }
      case 'breakpoint':
        return {
          executor: 'ramping-arrival-rate',
          startRate: 1,
          timeUnit: '1s',
          preAllocatedVUs: Math.max(10, Math.round(rate / 2)),
          maxVUs: Math.max(vus, rate * 2),
          stages: [{ duration: s(durationS), target: rate }],
        };
    }
  })();
  // A breakpoint run stops soon after the system broke: reads too slow, or errors above 5%.
  const abort = (threshold: string) => [{ threshold, abortOnFail: true, delayAbortEval: '10s' }];
  const thresholds: Options['thresholds'] =
    profile === 'breakpoint'
      ? {
          ...THRESHOLDS,
          ...Object.fromEntries(READS.map((op) => [`http_req_duration{op:${op}}`, abort('p(95)<50')])),
          http_req_failed: abort('rate<0.05'),
        }
      : THRESHOLDS;
  return { scenarios: { [profile]: { ...scenario, exec: 'default' } }, thresholds, ...SUMMARY } as Options;
}
