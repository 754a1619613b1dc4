/**
 * Generators of operations (Jepsen's idea, small): a generator hands each worker its next step
 * until it is exhausted. Combinators build mixes (weighted choice), staggering (random pauses),
 * time limits and sequences; `runWorkers` runs N concurrent workers over one generator, and
 * `runPhases` runs generators one after another. Every random choice comes from the worker's
 * seeded stream, so one seed reproduces the schedule of choices.
 */
import { setMaxListeners } from 'node:events';
import type { Random } from '../core/random.ts';

/** What a step knows about the worker running it. */
export interface Worker {
  /** The worker's process number in the history. */
  process: number;
  random: Random;
  signal: AbortSignal;
}

/** One unit of work (usually one or a few recorded ops). */
export type Step = (worker: Worker) => Promise<void>;

/** Hands out steps; `undefined` means this worker is done with it. */
export interface Generator {
  next(worker: Worker): Step | undefined;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The same step forever. */
export function repeat(step: Step): Generator {
  return { next: () => step };
}

/** Each worker runs `step` once. */
export function once(step: Step): Generator {
  const done = new Set<number>();
  return {
    next(worker) {
      if (done.has(worker.process)) return undefined;
      done.add(worker.process);
      return step;
    },
  };
}

/** A weighted random choice of steps per call, forever. Weights must be positive. */
export function mix(entries: readonly (readonly [number, Step])[]): Generator {
  const total = entries.reduce((sum, [weight]) => sum + weight, 0);
  if (entries.length === 0 || !(total > 0) || entries.some(([w]) => !(w > 0)))
    throw new Error('mix needs at least one step and positive weights');
  return {
    next(worker) {
      let roll = worker.random.next() * total;
      for (const [weight, step] of entries) {
        roll -= weight;
        if (roll < 0) return step;
      }
      return (entries[entries.length - 1] as readonly [number, Step])[1];
    },
  };
}

/** Before each step, a random pause of 0 to 2×`meanMs` (so workers do not move in lockstep). */
export function stagger(meanMs: number, gen: Generator): Generator {
  return {
    next(worker) {
      const step = gen.next(worker);
      if (!step) return undefined;
      return async (w) => {
        await sleep(w.random.next() * 2 * meanMs, w.signal);
        if (!w.signal.aborted) await step(w);
      };
    },
  };
}

/** Stops handing out steps `ms` after its first step was asked for. */
export function timeLimit(ms: number, gen: Generator): Generator {
  let deadline: number | undefined;
  return {
    next(worker) {
      deadline ??= performance.now() + ms;
      return performance.now() < deadline ? gen.next(worker) : undefined;
    },
  };
}

/** Stops handing out steps once `done()` says so (a drill's traffic, until its conductor ends). */
export function until(done: () => boolean, gen: Generator): Generator {
  return { next: (worker) => (done() ? undefined : gen.next(worker)) };
}

/** Only workers whose process number passes `which` get steps (e.g. one publisher among readers). */
export function onWorkers(which: (process: number) => boolean, gen: Generator): Generator {
  return { next: (worker) => (which(worker.process) ? gen.next(worker) : undefined) };
}

/** Each worker runs the step of the first generator that still has one for it. */
export function either(...gens: Generator[]): Generator {
  return {
    next(worker) {
      for (const gen of gens) {
        const step = gen.next(worker);
        if (step) return step;
      }
      return undefined;
    },
  };
}

/** Runs `concurrency` workers (processes `firstProcess`…) until the generator is exhausted or `signal` aborts. */
export async function runWorkers(
  gen: Generator,
  options: { concurrency: number; random: Random; signal: AbortSignal; firstProcess?: number },
): Promise<void> {
  const first = options.firstProcess ?? 0;
  setMaxListeners(0, options.signal); // every pausing worker listens for the abort
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, i) => {
      const worker: Worker = {
        process: first + i,
        random: options.random.fork(`worker-${first + i}`),
        signal: options.signal,
      };
      for (;;) {
        if (options.signal.aborted) return;
        const step = gen.next(worker);
        if (!step) return;
        await step(worker);
      }
    }),
  );
}

/** A named stretch of the workload. */
export interface Phase {
  name: string;
  gen: Generator;
  /** Workers in this phase (default: the run's concurrency). */
  concurrency?: number;
}

/**
 * Runs phases one after another, each with fresh workers numbered after the previous phase's (a
 * process number is never reused, so an unfinished op of one phase is never paired with another's).
 */
export async function runPhases(
  phases: readonly Phase[],
  options: { concurrency: number; random: Random; signal: AbortSignal; onPhase?: (name: string) => void },
): Promise<void> {
  let next = 0;
  for (const phase of phases) {
    if (options.signal.aborted) return;
    options.onPhase?.(phase.name);
    const concurrency = phase.concurrency ?? options.concurrency;
    await runWorkers(phase.gen, {
      concurrency,
      random: options.random.fork(`phase-${phase.name}`),
      signal: options.signal,
      firstProcess: next,
    });
    next += concurrency;
  }
}
