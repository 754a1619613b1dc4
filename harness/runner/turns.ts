/**
 * Turns between scenarios running at once (explore's concurrent sequences): most requests run side
 * by side, but work `alone` — a measurement of a counter every tenant moves, like a stampede's source
 * loads — waits until no other turn runs and holds every other back until it ends. Work alone that
 * is waiting goes before turns asked for after it, so it is never starved.
 *
 * Turns are taken per request (the workload's `Operations`), not per step: a waiting measurement
 * then waits for the requests under way (each bounded by its client timeout), never for the rest of
 * another sequence's step — a storm of publishes held twelve sequences for 30 s. Work inside a turn
 * that asks for another (the burst's own reads inside the measurement) simply runs: the turn is
 * already held. Asking for a turn alone inside an ordinary one is a mistake and throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Kind = 'alone' | 'ordinary';

export class Turns {
  private running = 0;
  private aloneRunning = false;
  private readonly waiting: { alone: boolean; go: () => void }[] = [];
  private readonly held = new AsyncLocalStorage<Kind>();

  /** Runs `work` in its turn. */
  async run<T>(alone: boolean, work: () => Promise<T>): Promise<T> {
    const holding = this.held.getStore();
    if (holding === 'alone' || (holding === 'ordinary' && !alone)) return work();
    if (holding === 'ordinary')
      throw new Error('a turn alone was asked for inside an ordinary turn: it would wait for itself');
    if (this.waiting.some((w) => w.alone) || !this.free(alone))
      await new Promise<void>((go) => this.waiting.push({ alone, go }));
    else this.enter(alone);
    try {
      return await this.held.run(alone ? 'alone' : 'ordinary', work);
    } finally {
      this.running--;
      if (alone) this.aloneRunning = false;
      this.wake();
    }
  }

  /** Whether a turn may run beside what runs now: none beside one alone, one alone beside none. */
  private free(alone: boolean): boolean {
    return !this.aloneRunning && (!alone || this.running === 0);
  }

  private enter(alone: boolean): void {
    this.running++;
    if (alone) this.aloneRunning = true;
  }

  /** Lets in, in order, every waiting turn that may start now. */
  private wake(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as { alone: boolean; go: () => void };
      if (!this.free(next.alone)) return;
      this.waiting.shift();
      this.enter(next.alone);
      next.go();
    }
  }
}
