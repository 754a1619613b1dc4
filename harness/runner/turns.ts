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
    if (!this.mayStart(alone)) await new Promise<void>((go) => this.waiting.push({ alone, go }));
    else this.enter(alone);
    try {
      return await work();
    } finally {
      this.running--;
      if (alone) this.aloneRunning = false;
      this.wake();
    }
  }

  /** Steps under way now (for tests and progress). */
  get under(): number {
    return this.running;
  }

  private mayStart(alone: boolean): boolean {
    if (this.aloneRunning || this.waiting.some((w) => w.alone)) return false;
    return alone ? this.running === 0 : true;
  }

  private enter(alone: boolean): void {
    this.running++;
    if (alone) this.aloneRunning = true;
  }

  /** Lets in, in order, every waiting step that may start now. */
  private wake(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as { alone: boolean; go: () => void };
      const free = !this.aloneRunning && (next.alone ? this.running === 0 : true);
      if (!free) return;
      this.waiting.shift();
      this.enter(next.alone);
      next.go();
    }
  }
}
