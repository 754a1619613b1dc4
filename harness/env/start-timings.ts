/**
 * How long each step of an environment's start took (ms), measured the same way by both backends:
 * `timed(step, work)` runs or awaits the step and records its duration under `step`.
 */
import type { StartTimings } from './environment-types.ts';

export function startTimer(): {
  timings: StartTimings;
  timed: <T>(step: keyof StartTimings, work: Promise<T> | (() => Promise<T>)) => Promise<T>;
} {
  const timings: StartTimings = { provision: 0, postgres: 0, redis: 0, kafka: 0, toxiproxy: 0, proxies: 0, total: 0 };
  const timed = async <T>(step: keyof StartTimings, work: Promise<T> | (() => Promise<T>)): Promise<T> => {
    const from = performance.now();
    const result = await (typeof work === 'function' ? work() : work);
    timings[step] = Math.round(performance.now() - from);
    return result;
  };
  return { timings, timed };
}
