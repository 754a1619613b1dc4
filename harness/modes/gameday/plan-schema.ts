/**
 * The drill plan's schema (zod): field types, bounds and defaults, the cross-field rules as
 * refinements, and the rules that need the world — fault names of the catalog, metrics the system
 * exports, action scripts beside the plan. Its output is the plan as the harness holds it
 * (durations in ms, triggers parsed); plan-types.ts infers the types from it, plan-read.ts reads
 * files with it, and `npm run schemas` writes the JSON Schema editors check plans with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DURATION_EXAMPLES, DURATION_PATTERN, parseDurationMs } from '../../core/duration.ts';

export const PLAN_VERSION = 1;

export const PROBE_KINDS = [
  'health',
  'metric',
  'error-rate',
  'latency-p95',
  'reconcile',
  'failed-requests',
  'checkers',
] as const;

/** What a plan is checked against: the fault names of the catalog and the system's metric names. */
export interface PlanRules {
  faults: readonly string[];
  metrics: readonly string[];
  /** The plan's folder, where action scripts must exist (unset: scripts are not looked for). */
  dir?: string;
}

/** When an action runs: after the heal, once recovered, on a signal firing, or at an offset. */
export type ActionTrigger =
  { on: 'heal' } | { on: 'recovered' } | { on: 'signal'; signal: string } | { on: 'time'; atMs: number };

const WEEK_MS = 7 * 86_400_000;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const required = (why: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : why);

const text = () =>
  z
    .string({ error: required('must be a non-empty string') })
    .trim()
    .min(1, 'must be a non-empty string');
const texts = () => z.array(text(), { error: required('must be a list of non-empty strings') });
const name = () => text().regex(NAME, 'must be lower-case letters, digits and dashes');
const num = (min: number, max: number) => {
  const why = required(`must be a number from ${min} to ${max}`);
  return z.number({ error: why }).min(min, { error: why }).max(max, { error: why });
};

/** A duration string (core/duration.ts) to ms, at least `minMs`. */
const duration = (minMs = 0, short = `must be at least ${minMs} ms`) =>
  z
    .string({ error: required(`must be a duration like ${DURATION_EXAMPLES}`) })
    .regex(new RegExp(DURATION_PATTERN), `must be a duration like ${DURATION_EXAMPLES}`)
    .transform((s) => parseDurationMs(s) ?? NaN)
    .pipe(z.number().min(minMs, short).max(WEEK_MS, 'must be at most a week'));

/** A strict mapping: an unknown key is named with the keys it could have been. */
const mapping = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field (known: ${Object.keys(shape).join(', ')})`
        : iss.input === undefined
          ? 'is required'
          : 'must be a mapping',
  });

/**
 * A list whose plain strings stand for `{ [key]: string }`. The `shorthand` mark tells the JSON
 * Schema writer (plan-json-schema.ts) to allow a string there too.
 */
const shorthand = <T extends z.ZodType>(key: string, item: T) =>
  z.array(z.preprocess((v) => (typeof v === 'string' ? { [key]: v } : v), item).meta({ shorthand: key }), {
    error: required('must be a list'),
  });

const PROBE_SHAPE = {
  // Lower case and dashes: names starting with `_` are the conductor's own impact series.
  name: name(),
  kind: z.enum(PROBE_KINDS, {
    error: (iss) =>
      `unknown probe kind ${JSON.stringify(iss.input)} (known: ${PROBE_KINDS.join(', ')})`.replace(/"/g, "'"),
  }),
  metric: text().optional().describe('metric probes: the Prometheus series'),
  labels: z.record(z.string(), text()).optional().describe('metric probes: only samples with these labels'),
  rate: z.boolean({ error: 'must be true or false' }).optional().describe('metric probes: per-second change'),
  aggregate: z.enum(['sum', 'max'], { error: 'must be sum or max' }).optional(),
  route: text().optional().describe('error-rate and latency-p95 probes: only this route'),
  findings: texts().optional().describe('reconcile probes: only findings of these kinds'),
  above: num(-1e12, 1e12).optional(),
  below: num(-1e12, 1e12).optional(),
};
type ProbeFields = z.output<z.ZodObject<typeof PROBE_SHAPE>>;

/** The metric names a probe reads, for checking against what the system exports. */
export function metricsOf(probe: Pick<ProbeFields, 'kind' | 'metric'>): string[] {
  if (probe.kind === 'metric' && probe.metric) return [probe.metric];
  if (probe.kind === 'error-rate') return ['cpq_http_requests_total'];
  if (probe.kind === 'latency-p95') return ['cpq_http_request_duration_seconds'];
  return [];
}

/** A probe's cross-field rules: one bound, fields only its kind takes, metrics the system exports. */
function probeRules(rules: PlanRules) {
  return (p: ProbeFields, ctx: z.RefinementCtx) => {
    const fail = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if ((p.above === undefined) === (p.below === undefined)) fail('above', 'give exactly one of above or below');
    if (p.kind === 'metric' && p.metric === undefined) fail('metric', 'is required');
    if (p.kind !== 'metric')
      for (const f of ['metric', 'labels', 'rate', 'aggregate'] as const)
        if (p[f] !== undefined) fail(f, `only a metric probe takes ${f}`);
    if (p.route !== undefined && p.kind !== 'error-rate' && p.kind !== 'latency-p95')
      fail('route', 'only error-rate and latency-p95 probes take a route');
    if (p.findings !== undefined && p.kind !== 'reconcile') fail('findings', 'only a reconcile probe takes findings');
    for (const metric of metricsOf(p))
      if (!rules.metrics.includes(metric.replace(/_(bucket|sum|count)$/, '')) && !rules.metrics.includes(metric))
        fail('metric', `the system does not export '${metric}'`);
  };
}

/** A runbook action; `scripted` ones (safe actions) must name a zx script beside the plan. */
function runbookAction(rules: PlanRules, scripted: boolean) {
  const script = scripted ? text() : text().optional();
  return mapping({ name: text(), script, args: texts().optional() }).superRefine((a, ctx) => {
    if (a.script !== undefined && rules.dir !== undefined && !fs.existsSync(path.resolve(rules.dir, a.script)))
      ctx.addIssue({ code: 'custom', path: ['script'], message: `no such file beside the plan: ${a.script}` });
  });
}

const RUNBOOK_STEP = shorthand('step', mapping({ step: text(), metrics: texts().optional() }));

function runbook(rules: PlanRules) {
  return mapping({
    symptom: text(),
    severity: text(),
    firstFiveMinutes: texts(),
    diagnosis: RUNBOOK_STEP,
    safeActions: z.array(runbookAction(rules, true)).prefault([]),
    unsafeActions: shorthand('name', runbookAction(rules, false)).prefault([]),
    verification: RUNBOOK_STEP,
    escalation: text(),
    evidence: texts(),
    prevention: texts(),
  });
}

const WHEN = text().transform((when, ctx): ActionTrigger => {
  if (when === 'heal' || when === 'recovered') return { on: when };
  if (when.startsWith('signal:')) return { on: 'signal', signal: when.slice('signal:'.length) };
  const atMs = parseDurationMs(when);
  if (atMs === undefined)
    ctx.addIssue({
      code: 'custom',
      message: `must be heal, recovered, signal:<name> or a duration like ${DURATION_EXAMPLES}`,
    });
  return { on: 'time', atMs: atMs ?? 0 };
});

/** The whole plan, checked against `rules`. */
export function planSchema(rules: PlanRules) {
  const probe = mapping(PROBE_SHAPE).superRefine(probeRules(rules));
  const signal = mapping({ ...PROBE_SHAPE, within: duration() })
    .superRefine(probeRules(rules))
    .transform(({ within, ...p }) => ({ ...p, withinMs: within }));
  const fault = z.enum(rules.faults as [string, ...string[]], {
    error: (iss) => `unknown fault ${JSON.stringify(iss.input)} (known: ${rules.faults.join(', ')})`.replace(/"/g, "'"),
  });
  const step = mapping({
    fault,
    at: duration().prefault('0s'),
    for: duration(1000, 'a fault must last at least 1s'),
  }).transform((m) => ({ fault: m.fault, atMs: m.at, forMs: m.for }));
  return mapping({
    version: z.literal(PLAN_VERSION, { error: required(`this harness reads plan version ${PLAN_VERSION}`) }),
    name: name(),
    title: text(),
    summary: text(),
    roles: texts().describe('who takes part: incident commander, on-call, scribe…'),
    checkers: z.array(
      z.enum(['cache', 'messaging'], { error: (iss) => `unknown family '${String(iss.input)}' (cache, messaging)` }),
    ),
    traffic: mapping({
      workers: num(1, 64).default(3),
      converters: num(0, 16).default(1),
      publishEveryMs: num(100, 600_000).default(1500),
    }).prefault({}),
    steadyState: z
      .array(probe)
      .min(1, 'needs at least one probe')
      .describe('probes that hold before, and again after, the faults'),
    method: z.array(step).min(1, 'needs at least one fault').describe('faults of the catalog on a timeline'),
    signals: z.array(signal).describe('probes expected to cross their bound within `within` of the first fault'),
    stopConditions: z.array(probe).prefault([]).describe('probes that abort the drill and heal at once'),
    recovery: mapping({ within: duration() }).describe('heal → steady state holds again, at most this long'),
    baseline: duration().prefault('10s').describe('traffic before the method begins'),
    runbook: runbook(rules),
    actions: z.array(mapping({ run: text(), when: WHEN })).prefault([]),
    $schema: z.string().optional().describe('the JSON Schema an editor checks the plan with'),
  })
    .superRefine((plan, ctx) => {
      for (const field of ['steadyState', 'signals', 'stopConditions'] as const) {
        const names = plan[field].map((p) => p.name);
        const twice = names.find((n, i) => names.indexOf(n) !== i);
        if (twice) ctx.addIssue({ code: 'custom', path: [field], message: `probe name '${twice}' is used twice` });
      }
      const known = [...plan.runbook.safeActions, ...plan.runbook.unsafeActions];
      plan.actions.forEach((a, i) => {
        const fail = (field: string, message: string) =>
          ctx.addIssue({ code: 'custom', path: ['actions', i, field], message });
        const found = known.find((k) => k.name === a.run);
        if (!found)
          fail(
            'run',
            `'${a.run}' is not an action of the runbook (known: ${known.map((k) => k.name).join(', ') || 'none'})`,
          );
        else if (!found.script) fail('run', `'${a.run}' has no script: an unattended drill cannot run it`);
        const { when } = a;
        if (when.on === 'signal' && !plan.signals.some((s) => s.name === when.signal))
          fail('when', `no signal named '${when.signal}'`);
      });
    })
    .transform(({ $schema: _editorsOnly, recovery, baseline, checkers, ...plan }) => ({
      ...plan,
      checkers: [...new Set(checkers)],
      recoveryWithinMs: recovery.within,
      baselineMs: baseline,
    }));
}
