/**
 * Turns between scenarios running at once (explore's concurrent sequences): most steps run side by
 * side, but a step `alone` — one that measures a counter every tenant moves, like a stampede's source
 * loads — waits until no other step runs and holds every other back until it ends. A step alone
 * that is waiting goes before steps that arrive after it, so it is never starved.
 */
export class Turns {
  private running = 0;
  private aloneRunning = false;
  private readonly waiting: { alone: boolean; go: () => void }[] = [];

  /** Runs `work` in its turn. */
  async run<T>(alone: boolean, work: () => Promise<T>): Promise<T> {
    if (this.waiting.some((w) => w.alone) || !this.free(alone))
      await new Promise<void>((go) => this.waiting.push({ alone, go }));
    else this.enter(alone);
    try {
      return await work();
    } finally {
      this.running--;
      if (alone) this.aloneRunning = false;
      this.wake();
    }
  }

  /** Whether a step may run beside what runs now: none beside a step alone, a step alone beside none. */
  private free(alone: boolean): boolean {
    return !this.aloneRunning && (!alone || this.running === 0);
  }

  private enter(alone: boolean): void {
    this.running++;
    if (alone) this.aloneRunning = true;
  }

  /** Lets in, in order, every waiting step that may start now. */
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
