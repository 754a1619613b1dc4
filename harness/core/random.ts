/**
 * The run's only source of randomness: a small seeded generator (sfc32), so one seed reproduces the
 * workload and every fault decision. `fork(label)` derives an independent stream per purpose, so
 * adding a random choice in one place does not shift every other.
 */
import { createHash } from 'node:crypto';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number | string) {
    const bytes = createHash('sha256').update(String(seed)).digest();
    [this.a, this.b, this.c, this.d] = [0, 4, 8, 12].map((i) => bytes.readUInt32LE(i)) as [
      number,
      number,
      number,
      number,
    ];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An independent stream for `label`, determined by this stream's seed alone. */
  fork(label: string): Random {
    return new Random(`${this.seed}/${label}`);
  }
}
