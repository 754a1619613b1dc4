/**
 * The seam to a system under test. A `SystemUnderTest` says, before anything starts, what it is:
 * its planted bugs, its failpoints and the components it will run with the abilities each really
 * has — so a scenario's requirements, `--bugs` and failpoint names are checked up front (exit 64,
 * nothing started). `start()` returns a `StartedSystem`, the only object that has URLs, components
 * and authoritative readers (the type state testcontainers uses for started containers).
 *
 * A fault targets an ability (`Killable`, `Pausable`, `Restartable`, `HasFailpoints`), never a
 * class; `requireAbility` is the one place that asks a component whether it has one.
 */
import type { FailpointSpec, HasClock, HasFailpoints, Killable, Pausable, Restartable } from '../env/abilities.ts';
import type { EnvironmentEndpoints } from '../env/endpoints.ts';
import type { FinalOrder, FinalQuote, Ledger, Parameters } from '../core/final-state.ts';
import type { ProcessRecord } from '../env/process.ts';
import type { CommandRecord } from './manifest/shell-command.ts';
import { UsageError } from '../core/errors.ts';

/** The abilities a component can have, by name (what scenarios declare they need). */
export type AbilityName = 'kill' | 'restart' | 'pause' | 'failpoints' | 'clock';
export const ABILITY_NAMES: readonly AbilityName[] = ['kill', 'restart', 'pause', 'failpoints', 'clock'];

/** A component as the system declares it before start: name, kind and abilities. */
export interface ComponentPlan {
  readonly name: string;
  /** e.g. `api`, `relay`, `consumers`. */
  readonly kind: string;
  readonly abilities: readonly AbilityName[];
}

/** A running component: its plan, and the ability objects it really has. */
export interface SystemComponent extends ComponentPlan {
  readonly url: string;
  /** The process behind it, for the report (pid 0: one the harness did not start). */
  readonly record: Pick<ProcessRecord, 'pid'>;
  /** For a component whose abilities are shell commands: the last one run (recorded with the fault). */
  readonly lastCommand?: CommandRecord | undefined;
  readonly killable?: Killable;
  readonly restartable?: Restartable;
  readonly pausable?: Pausable;
  readonly failpointable?: HasFailpoints;
  readonly clockable?: HasClock;
}

/** What a scenario needs of the system: a component (by name) and the abilities it must have. */
export interface Requirement {
  component: string;
  abilities: readonly AbilityName[];
  /** Failpoints it will arm on that component (checked against the system's names). */
  failpoints?: readonly string[];
}

/** Kinds of entity whose source loads the system can count (for stampede measurements). */
export type SourceEntity = 'offering' | 'price';

/**
 * Authoritative reads: PostgreSQL and Redis through their direct URLs, never through the system.
 * Typed queries, so no scenario or step copies SQL.
 */
export interface AuthoritativeReads {
  /** Every `quote` row of the tenants. */
  quotes(tenants: readonly string[]): Promise<FinalQuote[]>;
  /** Every `customer_order` row of the tenants. */
  orders(tenants: readonly string[]): Promise<FinalOrder[]>;
  /**
   * What the tenants have written, from the contract's tables (section 4): rows of quote (and the sum
   * of their revisions), customer_order, outbox_event, idempotency_record and billing_trigger.
   */
  footprint(tenants: readonly string[]): Promise<Record<string, number>>;
  /** Outbox rows of the tenants not yet published. */
  pendingOutbox(tenants: readonly string[]): Promise<number>;
  /**
   * Events of the tenants not yet delivered, from PostgreSQL alone (cheap enough to poll): outbox
   * rows unpublished, plus published events a consumer must apply that left no effect yet.
   */
  undelivered(tenants: readonly string[]): Promise<number>;
  /** The delivery ledger of the tenants: outbox rows, copies on the topics (read from the beginning), inbox rows and effects. */
  ledger(tenants: readonly string[]): Promise<Ledger>;
  /** The aggregate version of each entity each projection holds now (`projection` → `entity` → version). */
  projectionVersions(tenants: readonly string[]): Promise<Record<string, Record<string, number>>>;
  /** Source loads of `entity` so far, counted by PostgreSQL itself (pg_stat_statements). */
  sourceLoads(entity: SourceEntity): Promise<number>;
  /** The version pointers `cpq:{tenant}:{domain}:active-version` now (null: absent). */
  versionPointers(keys: readonly string[]): Promise<(number | null)[]>;
  close(): Promise<void>;
}

/** How to start a system against an environment. */
export interface StartOptions {
  endpoints: EnvironmentEndpoints;
  /** Planted bugs to switch on (already validated against `bugs`). */
  bugs: readonly string[];
  /** API instances. */
  instances: number;
  /** Enables the failpoint admin routes (only when a scenario needs them). */
  failpoints: boolean;
  /** Starts the components that can have one with a movable clock (only when a scenario needs it). */
  clock?: boolean;
  /** Where logs and pid files go. */
  dir: string;
  logLevel?: string;
  /** Extra environment variables for every component (e.g. `CPQ_CACHE=off` for a benchmark). */
  extraEnv?: Record<string, string>;
  /** Aborts the start (Ctrl-C): what started is stopped and the start rejects at once. */
  signal?: AbortSignal;
}

/** `.cpqchaos/system.json` of contract section 1 (plus the components). */
export interface SystemDescription {
  api: string[];
  metrics: string[];
  bugs: string[];
  components: {
    name: string;
    kind: string;
    pid: number;
    url: string;
    abilities: readonly AbilityName[];
    /** The container image it runs from (the testcontainers backend). */
    image?: string;
  }[];
}

/** A system under test before it starts. */
export interface SystemUnderTest {
  readonly name: string;
  /** The file it was described in (`--system`); absent for the built-in reference system. */
  readonly source?: string;
  /**
   * The bounds the system promises, as checker parameters (e.g. how stale a browse read may be).
   * Checkers hold it to these, no less; a scenario's own parameters override them.
   */
  readonly promises: Parameters;
  /** Names of the planted bugs it can run with. */
  readonly bugs: readonly string[];
  /** Names of its failpoints. */
  readonly failpoints: readonly string[];
  /** Names of the Prometheus metrics its components export (what drill plans may probe). */
  readonly metrics: readonly string[];
  /** The components it runs with `instances` API instances. */
  plan(instances: number): readonly ComponentPlan[];
  start(options: StartOptions): Promise<StartedSystem>;
}

/** A started system: the only object with URLs, components and readers. */
export interface StartedSystem extends AsyncDisposable {
  readonly apiUrls: readonly string[];
  readonly components: readonly SystemComponent[];
  readonly bugs: readonly string[];
  readonly reads: AuthoritativeReads;
  /** The component named `name`; a usage error naming the known ones if there is none. */
  component(name: string): SystemComponent;
  describe(): SystemDescription;
  stop(): Promise<void>;
}

/** `--bugs a,b` checked against a system's planted bugs: a usage error naming the known ones. */
export function parseBugs(system: Pick<SystemUnderTest, 'name' | 'bugs'>, value: string | undefined): string[] {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !system.bugs.includes(n));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown planted bug ${unknown.join(', ')} for the ${system.name}`,
      `known: ${system.bugs.join(', ')}`,
    );
  return [...new Set(names)];
}

/**
 * Checks requirements against what a system will run, before anything starts; returns the
 * problems, one line each (empty when every requirement is met).
 */
export function unmetRequirements(
  system: Pick<SystemUnderTest, 'name' | 'failpoints' | 'plan'>,
  instances: number,
  requirements: readonly Requirement[],
): string[] {
  const plan = system.plan(instances);
  return requirements.flatMap((r) => {
    const component = plan.find((c) => c.name === r.component);
    if (!component)
      return [
        `needs component '${r.component}', which the ${system.name} does not have (it has ${plan.map((c) => c.name).join(', ')})`,
      ];
    const missing = r.abilities.filter((a) => !component.abilities.includes(a));
    const failpoints = (r.failpoints ?? []).filter((f) => !system.failpoints.includes(f));
    return [
      ...(missing.length ? [`needs '${r.component}' to ${missing.join(', ')}, which it cannot`] : []),
      ...(failpoints.length
        ? [
            `names failpoint ${failpoints.join(', ')}, unknown to the ${system.name} (known: ${system.failpoints.join(', ')})`,
          ]
        : []),
    ];
  });
}

type AbilityOf = { kill: Killable; restart: Restartable; pause: Pausable; failpoints: HasFailpoints; clock: HasClock };
const FIELD = {
  kill: 'killable',
  restart: 'restartable',
  pause: 'pausable',
  failpoints: 'failpointable',
  clock: 'clockable',
} as const;

/** The component's ability object, or an error saying the component lacks it. */
export function requireAbility<A extends AbilityName>(component: SystemComponent, ability: A): AbilityOf[A] {
  const found = component[FIELD[ability]] as AbilityOf[A] | undefined;
  if (!found || !component.abilities.includes(ability))
    throw new UsageError(
      `component '${component.name}' cannot ${ability}`,
      `its abilities: ${component.abilities.join(', ') || 'none'}`,
    );
  return found;
}

/** The component's failpoint ability, once `failpoint` is one it knows (a usage error naming the known ones otherwise). */
export function requireFailpoint(component: SystemComponent, failpoint: string): HasFailpoints {
  const target = requireAbility(component, 'failpoints');
  if (!target.failpoints.includes(failpoint))
    throw new UsageError(
      `unknown failpoint '${failpoint}' on ${component.name}`,
      `known: ${target.failpoints.join(', ')}`,
    );
  return target;
}

/** Arms a failpoint, checking its name against the component's first. */
export async function armFailpoint(component: SystemComponent, failpoint: string, spec: FailpointSpec): Promise<void> {
  await requireFailpoint(component, failpoint).arm(failpoint, spec);
}
