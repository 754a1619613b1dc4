/**
 * A started system made of components the harness holds: the API base URLs (its `api` components,
 * in order), lookup by name, the description `serve` writes (`.cpqchaos/system.json`), and a stop
 * that releases the watchdog, stops every component and closes the readers. The reference system
 * and systems described by a manifest are both this.
 */
import { UsageError } from '../core/errors.ts';
import type { Watchdog } from '../env/watchdog.ts';
import type { AuthoritativeReads, StartedSystem, SystemComponent, SystemDescription } from './system.ts';

/** What a running component adds to its declaration: a stop, a metrics URL, maybe an image. */
export type HeldComponent = SystemComponent & {
  readonly metricsUrl: string;
  readonly image?: string;
  stop(options?: { graceMs?: number }): Promise<void>;
};

export class RunningSystem<C extends HeldComponent = HeldComponent> implements StartedSystem {
  constructor(
    /** How errors name it (`the reference system`). */
    private readonly label: string,
    readonly components: C[],
    readonly bugs: string[],
    readonly reads: AuthoritativeReads,
    private readonly watchdog: Pick<Watchdog, 'release'> | undefined,
  ) {}

  /** The API instances' base URLs. */
  get apiUrls(): string[] {
    return this.components.filter((c) => c.kind === 'api').map((c) => c.url);
  }

  component(name: string): C {
    const found = this.components.find((c) => c.name === name);
    if (!found)
      throw new UsageError(
        `${this.label} has no component '${name}'`,
        `it has ${this.components.map((c) => c.name).join(', ')}`,
      );
    return found;
  }

  describe(): SystemDescription {
    return {
      api: this.apiUrls,
      metrics: this.components.map((c) => c.metricsUrl),
      bugs: this.bugs,
      components: this.components.map((c) => ({
        name: c.name,
        kind: c.kind,
        pid: c.record.pid,
        url: c.url,
        abilities: c.abilities,
        ...(c.image ? { image: c.image } : {}),
      })),
    };
  }

  async stop(): Promise<void> {
    this.watchdog?.release();
    await Promise.all(this.components.map((c) => c.stop({ graceMs: 3000 })));
    await this.reads.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
