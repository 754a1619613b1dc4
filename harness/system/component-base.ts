/**
 * What a component adds to the service it runs as, process or container alike: its abilities
 * (kill, restart, pause; failpoints when it knows any; a movable clock when started with a clock
 * file), the ability getters faults ask for, failpoints over its loopback admin route, and its wall
 * clock moved through the file libfaketime reads. A mixin, because the two run as different
 * services (`NativeService`, `ContainerService`) and must not each say this again.
 */
import type { FailpointSpec, HasClock, HasFailpoints } from '../env/abilities.ts';
import { defaultFailpointAdmin, failpointAdmin, writeClockOffset } from './component-abilities.ts';
import type { AbilityName } from './system.ts';

// A mixin's base must take any constructor arguments (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ServiceClass = abstract new (...args: any[]) => { readonly name: string };

/** `Base` with the component's abilities; the subclass gives `url`, `failpoints` and `clockFile`. */
export function componentOf<TBase extends ServiceClass>(Base: TBase) {
  abstract class Component extends Base implements HasFailpoints, HasClock {
    abstract readonly url: string;
    abstract readonly failpoints: readonly string[];
    protected abstract readonly clockFile: string | undefined;
    #offsetMs = 0;

    get abilities(): readonly AbilityName[] {
      return [
        'kill',
        'restart',
        'pause',
        ...(this.failpoints.length ? (['failpoints'] as const) : []),
        ...(this.clockFile ? (['clock'] as const) : []),
      ];
    }

    get killable(): this {
      return this;
    }
    get restartable(): this {
      return this;
    }
    get pausable(): this {
      return this;
    }
    get failpointable(): this | undefined {
      return this.failpoints.length ? this : undefined;
    }
    get clockable(): this | undefined {
      return this.clockFile ? this : undefined;
    }

    get clockOffsetMs(): number {
      return this.#offsetMs;
    }

    /** Moves the component's wall clock `offsetMs` from real time (whole seconds); resolves once it sees it. */
    async setClockOffset(offsetMs: number): Promise<void> {
      if (!this.clockFile) throw new Error(`${this.name} was not started with a movable clock`);
      this.#offsetMs = await writeClockOffset(this.clockFile, offsetMs, this.url);
    }

    get metricsUrl(): string {
      return `${this.url}/metrics`;
    }

    /** Where its failpoints are armed and disarmed (`{name}`: the failpoint). */
    protected get failpointAdminUrl(): string {
      return defaultFailpointAdmin(this.url);
    }

    async arm(failpoint: string, spec: FailpointSpec): Promise<void> {
      await failpointAdmin(this.failpointAdminUrl, this.name, 'PUT', failpoint, spec);
    }

    async disarm(failpoint: string): Promise<void> {
      await failpointAdmin(this.failpointAdminUrl, this.name, 'DELETE', failpoint);
    }
  }
  return Component;
}
