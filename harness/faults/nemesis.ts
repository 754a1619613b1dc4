/**
 * The nemesis: runs a composed fault timeline against the environment and records every action in
 * the history as ops of process `nemesis` (invoke, then ok with what happened, or info if the
 * action failed and its effect is unknown). `healAll` runs every package's final schedule.
 *
 * Heals go in dependency order: the network and the services (PostgreSQL, Redis, Kafka, proxies,
 * tables) before the system's components, whatever order the faults started in — a component
 * restarted while its database is still paused would be waited on for nothing. For the same reason
 * a component's heal that comes while a fault on a dependency is still active is deferred, and runs
 * (recorded then, `deferred: true`) right after the last such fault heals.
 */
import { bounded } from '../core/bounded.ts';
import type { ScenarioLog } from '../core/history.ts';
import { NEMESIS } from '../core/op.ts';
import type { Random } from '../core/random.ts';
import type { Fault, FaultAction, FaultContext, FaultPackage } from './fault.ts';
import { composeFaults, type TimelineStep } from './schedule.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The longest one fault action may take (a component restart waits up to 90 s for readiness):
 * past it the action is recorded `info` and the run goes on, instead of hanging on a dependency
 * that another fault froze.
 */
const ACTION_TIMEOUT_MS = 120_000;

/** What a fault's target names: `api-1+api-kafka` → api-1, api-kafka; `relay:relay.after-claim` → relay, relay.after-claim. */
const targetParts = (fault: Fault) => fault.target.split(/[+:(),\s]/).filter(Boolean);

/** A fault's identity in the nemesis' books: name and target. */
const keyOf = (fault: Fault) => `${fault.name}:${fault.target}`;

export class Nemesis {
  /** Faults in effect, by key. */
  private readonly active = new Map<string, Fault>();
  /** Faults the workload injected itself (at a moment of its choosing), healed with the rest. */
  private readonly injected = new Map<string, Fault>();
  private readonly timeline: TimelineStep[];
  private readonly heals: TimelineStep[];

  constructor(
    private readonly packages: readonly FaultPackage[],
    private readonly base: Omit<FaultContext, 'random'>,
    private readonly history: Pick<ScenarioLog, 'append'>,
    private readonly random: Random,
    /** The longest one action may take before it is recorded `info` (default 120 s). */
    private readonly actionTimeoutMs = ACTION_TIMEOUT_MS,
    /**
     * Faults shared by scenarios running at once, each injecting by its own steps: a start of a fault
     * already in effect (another scenario started it) and a stop of one not in effect change nothing
     * and record nothing, and a stop acts through the instance that started the fault.
     */
    private readonly shared = false,
  ) {
    ({ timeline: this.timeline, heals: this.heals } = composeFaults(packages));
  }

  private injections = 0;
  /** Heals of components put off until no fault on a dependency is active, by key. */
  private readonly deferred = new Map<string, { fault: Fault; label: string }>();
  /** When the last heal finished (`performance.now()`), if any did. */
  lastHealAt: number | undefined;

  /** A fault's random stream for one action, named by where the action stands (never by the clock). */
  private context(fault: Fault, label: string): FaultContext {
    return { ...this.base, random: this.random.fork(`${keyOf(fault)}:${label}`) };
  }

  /**
   * Starts or heals `fault` now, recorded like any scheduled action — for faults tied to a moment
   * of the workload (e.g. a slow source during a stampede). Healed by `healAll` if still active.
   */
  async inject(fault: Fault, action: FaultAction, owner?: string): Promise<void> {
    if (!this.shared) return this.injectNow(fault, action);
    // One action at a time per fault: a stop waits for a start still under way, and sees its effect.
    const key = keyOf(fault);
    const next = (this.queued.get(key) ?? Promise.resolve()).then(async () => {
      const inEffect = this.active.get(key);
      if ((action === 'start') === (inEffect !== undefined)) return;
      // Each scenario heals only what it started: another's stop of it changes nothing.
      if (action === 'stop' && owner !== undefined && (this.owners.get(key) ?? owner) !== owner) return;
      // What is already under another fault takes no second one: arming a failpoint on a process
      // another scenario killed, or snapshotting a Redis it black-holed, would only fail to start.
      if (action === 'start' && this.targetBusy(fault)) {
        this.skipped++;
        return;
      }
      if (action === 'start' && owner !== undefined) this.owners.set(key, owner);
      await this.injectNow(inEffect ?? fault, action);
      if (!this.active.has(key)) this.owners.delete(key);
    });
    this.queued.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Who started each fault in effect, when faults are shared. */
  private readonly owners = new Map<string, string>();

  /**
   * Heals every fault in effect that `owner` started (its workload ended: its faults must not go on
   * holding the others back), those on dependencies first.
   */
  async healOwnedBy(owner: string): Promise<void> {
    const mine = [...this.owners].filter(([, o]) => o === owner).map(([key]) => this.active.get(key));
    const faults = mine.filter((f): f is Fault => f !== undefined);
    for (const fault of this.inHealOrder(faults)) await this.inject(fault, 'stop', owner);
  }

  /** Starts passed over because what they act on was under another fault (faults shared). */
  skipped = 0;

  /** Whether something `fault` acts on (a part of its target: a service, proxy, component, table) is under a fault in effect. */
  private targetBusy(fault: Fault): boolean {
    const mine = targetParts(fault);
    return [...this.active.values()].some((other) => targetParts(other).some((part) => mine.includes(part)));
  }

  /** The last action queued per fault, when faults are shared. */
  private readonly queued = new Map<string, Promise<void>>();

  private async injectNow(fault: Fault, action: FaultAction): Promise<void> {
    this.injected.set(keyOf(fault), fault);
    await this.act(fault, action, `inject-${this.injections++}`);
  }

  /** Whether `fault` acts on one of the system's components (its target names one), not on what they depend on. */
  private onComponent(fault: Fault): boolean {
    const names = new Set(this.base.system?.components.map((c) => c.name) ?? []);
    return targetParts(fault).some((part) => names.has(part));
  }

  /** Whether a fault on a dependency (anything but a component) is in effect, besides `except`. */
  private dependencyFaultsActive(except?: string): boolean {
    return [...this.active].some(([key, fault]) => key !== except && !this.onComponent(fault));
  }

  private async act(fault: Fault, action: FaultAction, label: string): Promise<void> {
    const key = keyOf(fault);
    if (action === 'start') this.deferred.delete(key);
    if (action === 'stop' && this.onComponent(fault) && this.dependencyFaultsActive(key)) {
      this.deferred.set(key, { fault, label });
      return;
    }
    await this.invokeRecorded(fault, action, label);
    // The last fault on a dependency healed: the components' heals put off until now run.
    if (action === 'stop' && !this.onComponent(fault) && !this.dependencyFaultsActive()) await this.runDeferred();
  }

  /** Runs every deferred heal whose fault is still in effect (recorded `deferred: true`), labelled `label` if given. */
  private async runDeferred(label?: string): Promise<void> {
    for (const [key, put] of [...this.deferred]) {
      this.deferred.delete(key);
      if (this.active.has(key)) await this.invokeRecorded(put.fault, 'stop', label ?? put.label, { deferred: true });
    }
  }

  private async invokeRecorded(
    fault: Fault,
    action: FaultAction,
    label: string,
    note: Record<string, unknown> = {},
  ): Promise<void> {
    const key = keyOf(fault);
    const value = { fault: fault.name, target: fault.target };
    const f = `${action}-fault`;
    this.history.append({ process: NEMESIS, type: 'invoke', f, value });
    // Registered for healing before the start is attempted: a start that throws half-way (a toxic
    // on one proxy of two) is healed by its stop and by healAll like one that succeeded.
    if (action === 'start') this.active.set(key, fault);
    try {
      const details = await bounded(
        fault.invoke(this.context(fault, label), action),
        this.actionTimeoutMs,
        `${f} ${key}`,
      );
      if (action === 'stop') {
        this.active.delete(key);
        this.lastHealAt = performance.now();
      }
      this.history.append({ process: NEMESIS, type: 'ok', f, value: { ...value, ...details, ...note } });
    } catch (error) {
      this.history.append({ process: NEMESIS, type: 'info', f, value, error: (error as Error).message });
    }
  }

  async setup(): Promise<void> {
    for (const p of this.packages)
      await p.fault.setup?.({ ...this.base, random: this.random.fork(`setup:${p.fault.name}`) });
  }

  /** Runs the timeline from `startedAt` (ms, `performance.now()`), until done or `signal` aborts. */
  async run(startedAt: number, signal?: AbortSignal): Promise<void> {
    for (const step of this.timeline) {
      const wait = startedAt + step.atMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (signal?.aborted) return;
      if (step.action === 'stop' && !this.active.has(keyOf(step.fault))) continue;
      await this.act(step.fault, step.action, String(step.atMs));
    }
  }

  /**
   * Heals every fault still in effect (each package's final schedule, then the injected ones):
   * those on dependencies first, then those on components — each tier in its own order.
   */
  async healAll(): Promise<void> {
    const faults = [...this.heals.map((step) => step.fault), ...this.injected.values()];
    for (const fault of this.inHealOrder(faults)) {
      if (this.active.has(keyOf(fault))) await this.act(fault, 'stop', 'heal');
    }
    // A dependency whose heal failed (recorded info) holds no component back any longer.
    await this.runDeferred('heal');
  }

  /** Faults on dependencies first, then those on the system's components, each tier in its own order. */
  private inHealOrder(faults: readonly Fault[]): Fault[] {
    return [...faults.filter((f) => !this.onComponent(f)), ...faults.filter((f) => this.onComponent(f))];
  }

  async teardown(): Promise<void> {
    for (const p of this.packages)
      await p.fault.teardown?.({ ...this.base, random: this.random.fork(`teardown:${p.fault.name}`) });
  }

  /** Faults currently in effect, `name:target`. */
  get inEffect(): string[] {
    return [...this.active.keys()];
  }
}
