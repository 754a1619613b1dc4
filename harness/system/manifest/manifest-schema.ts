/**
 * The schema of a system manifest (`--system system.yaml`): a user's CPQ/OMS described as data —
 * its components (started by the harness from a command, or already running with abilities run as
 * shell commands), its API and metrics URLs, the promises it makes (contract section 6), its
 * failpoints, and the authoritative reads as SQL against its own schema. Strings may use
 * `${variables}` (template.ts), checked here against the names that exist. Types are inferred.
 */
import { z } from 'zod';
import { DURATION_EXAMPLES, parseDurationMs } from '../../core/duration.ts';
import { unknownVariables } from './template.ts';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, starting with a letter');
/** A string with `${…}` variables, every one of them known. */
const templated = z.string().superRefine((value, ctx) => {
  const unknown = unknownVariables(value);
  if (unknown.length)
    ctx.addIssue({ code: 'custom', message: `unknown variable ${unknown.map((v) => '${' + v + '}').join(', ')}` });
});
const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDurationMs(String(value));
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be a duration like ${DURATION_EXAMPLES}` });
    return z.NEVER;
  }
  return ms;
});
const shell = z.string().min(1, 'is an empty command');

/** Abilities of a component the harness does not start: each a shell command, run with a timeout. */
const abilityCommands = z.strictObject({
  kill: shell.optional(),
  /** Starts it again after a kill (absent: `restart` does). */
  start: shell.optional(),
  restart: shell.optional(),
  pause: shell.optional(),
  resume: shell.optional(),
  /** Moves its wall clock `{seconds}` from real time (0: back); done once its `Date` header shows it. */
  clock: shell.optional(),
});

export const componentSchema = z
  .strictObject({
    name,
    /** `api` components are the API instances; any other kind is the system's own word (relay, consumers…). */
    kind: name,
    /** One per API instance the harness asks for, named `<name>-1` … `<name>-N` (started components of kind api only). */
    perInstance: z.boolean().optional(),
    /** Which proxied paths `${postgres.url}`, `${redis.url}`, `${kafka.brokers}` name (default: by kind, else api). */
    paths: z.enum(['api', 'relay', 'consumers']).optional(),
    /** The command that starts it, argv form; absent: it is already running (abilities by `abilities`). */
    command: z.array(templated).min(1).optional(),
    cwd: templated.optional(),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not an environment variable name'), templated)
      .optional(),
    /** Its base URL (API instances: what the workload calls). */
    url: templated,
    metricsUrl: templated.optional(),
    /** How to know it is ready: an HTTP URL answering 2xx, or a line its log prints (default `${url}/healthz`). */
    ready: z.union([z.strictObject({ http: templated }), z.strictObject({ log: z.string().min(1) })]).optional(),
    readyTimeout: duration.optional(),
    failpoints: z.array(z.string().min(1)).optional(),
    /** Where a failpoint is armed (PUT, JSON body) and disarmed (DELETE); `{name}` is the failpoint. */
    failpointAdmin: templated.optional(),
    /** It can run with a movable wall clock (libfaketime preloaded; started components only). */
    clock: z.boolean().optional(),
    abilities: abilityCommands.optional(),
    /** How long an ability's command may run (default 60s). */
    abilityTimeout: duration.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.command) {
      if (c.abilities) issue('abilities', 'is for components the harness does not start (this one has a command)');
    } else {
      if (c.perInstance) issue('perInstance', 'needs a command: a running system has the instances it has');
      if (c.clock) issue('clock', 'needs a command (a running component moves its clock by abilities.clock)');
      if (c.env || c.cwd) issue(c.env ? 'env' : 'cwd', 'needs a command');
      if (c.ready && 'log' in c.ready) issue('ready', 'a log line needs a command (the harness reads its output)');
      if (c.abilities?.pause && !c.abilities.resume) issue('abilities', 'pause needs resume');
      if (c.abilities?.resume && !c.abilities.pause) issue('abilities', 'resume needs pause');
      if (c.abilities?.clock && !c.abilities.clock.includes('{seconds}'))
        issue('abilities', 'clock must contain {seconds}, the offset it sets');
      if (c.abilities?.kill && !c.abilities.start && !c.abilities.restart)
        issue('abilities', 'kill needs start or restart (how it comes back)');
    }
    if (c.perInstance && c.kind !== 'api') issue('perInstance', 'is for components of kind api');
    if (c.failpointAdmin && !c.failpointAdmin.includes('{name}')) issue('failpointAdmin', 'must contain {name}');
  });

const sql = z.string().min(1);
const readsSchema = z.strictObject({
  /** SQL LIKE patterns of the statements that load each entity from the source (pg_stat_statements). */
  sourceStatements: z.strictObject({ offering: sql, price: sql }).optional(),
  /** What the consumers owe (effects exactly once, projections in step), for the delivery ledger. */
  delivery: z
    .strictObject({
      effects: z.array(
        z.strictObject({ consumer: z.string(), eventTypes: z.array(z.string()).min(1), table: z.string() }),
      ),
      projections: z.array(
        z.strictObject({ consumer: z.string(), projection: z.string(), compare: sql, versions: sql }),
      ),
    })
    .optional(),
  /** Each over the tenants (`$1`, a text array), returning the columns the contract's tables have. */
  quotes: sql.optional(),
  orders: sql.optional(),
  pendingOutbox: sql.optional(),
  /** Over the tenants (`$1`): `event_id, tenant_id, event_type, status`, in commit order. */
  outbox: sql.optional(),
  /** Over a consumer (`$1`) and event ids (`$2`): `event_id, n`, its inbox rows per event. */
  inbox: sql.optional(),
});

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    /** Contract section 6: what checkers hold the system to. */
    promises: z
      .strictObject({
        stalenessBudgetMs: z.number().nonnegative().optional(),
        minAvailability: z.number().min(0).max(1).optional(),
        cacheRecoveryMs: z.number().nonnegative().optional(),
        recoveryBudgetMs: z.number().nonnegative().optional(),
        retryBudgetsMs: z.record(z.string(), z.number().nonnegative()).optional(),
      })
      .default({}),
    /** Planted bugs it knows (switched on through `${bugs}` in a component's environment). */
    bugs: z.array(name).default([]),
    /** Prometheus metric names its components export (what drill plans may probe). */
    metrics: z.array(z.string()).default([]),
    components: z.array(componentSchema).min(1, 'must list at least one component'),
    reads: readsSchema.default({}),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.components.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({ code: 'custom', path: ['components', i, 'name'], message: `${c.name} is listed twice` });
      seen.add(c.name);
    });
    if (!m.components.some((c) => c.kind === 'api'))
      ctx.addIssue({ code: 'custom', path: ['components'], message: 'needs at least one component of kind api' });
    const perInstance = m.components.filter((c) => c.perInstance);
    const fixed = m.components.filter((c) => c.kind === 'api' && !c.perInstance);
    if (perInstance.length && fixed.length)
      ctx.addIssue({
        code: 'custom',
        path: ['components'],
        message: 'API instances are either perInstance or listed, not both',
      });
  });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestComponent = z.output<typeof componentSchema>;
