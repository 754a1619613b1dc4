/**
 * Reads and validates a drill plan (YAML or JSON) into a `GamedayPlan`. Every mistake is a usage
 * error naming the file, the field and why (exit 64, nothing started): unknown fields, wrong
 * types, bounds, durations, fault names, metrics the system does not export, actions the runbook
 * does not list, signals an action waits for that the plan does not define.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { Fields, type Obj } from './plan-fields.ts';
import {
  PLAN_VERSION,
  PROBE_KINDS,
  metricsOf,
  type ActionTrigger,
  type GamedayPlan,
  type MethodStep,
  type PlannedAction,
  type Probe,
  type Runbook,
  type RunbookAction,
  type RunbookStep,
  type Signal,
} from './plan-types.ts';

/** What a plan is checked against: the fault names of the catalog and the system's metric names. */
export interface PlanRules {
  faults: readonly string[];
  metrics: readonly string[];
}

/** Reads `file` and validates it; a usage error on any mistake. */
export function readPlan(file: string, rules: PlanRules): GamedayPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the plan: ${(error as Error).message}`);
  }
  return parsePlan(text, file, rules);
}

/** Parses and validates a plan's text. */
export function parsePlan(text: string, file: string, rules: PlanRules): GamedayPlan {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${file}: a plan must be a mapping`);
  const top = new Fields(file, '', raw as Obj);
  top.only(
    'version',
    'name',
    'title',
    'summary',
    'roles',
    'checkers',
    'traffic',
    'steadyState',
    'method',
    'signals',
    'stopConditions',
    'recovery',
    'baseline',
    'runbook',
    'actions',
  );
  if (top.number('version', 0, 1e9) !== PLAN_VERSION)
    top.fail('version', `this harness reads plan version ${PLAN_VERSION}`);
  const name = top.text('name');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) top.fail('name', 'must be lower-case letters, digits and dashes');
  const checkers = top.texts('checkers');
  for (const c of checkers)
    if (c !== 'cache' && c !== 'messaging') top.fail('checkers', `unknown family '${c}' (cache, messaging)`);
  const traffic = top.object('traffic', false);
  traffic.only('workers', 'converters', 'publishEveryMs');
  const method = top.list('method').map((m) => methodStep(m, rules));
  if (method.length === 0) top.fail('method', 'needs at least one fault');
  const signals = top
    .list('signals')
    .map((s): Signal => ({ ...probe(s, rules, ['within']), withinMs: s.duration('within') }));
  const recovery = top.object('recovery');
  recovery.only('within');
  const plan: GamedayPlan = {
    version: PLAN_VERSION,
    name,
    title: top.text('title'),
    summary: top.text('summary'),
    roles: top.texts('roles'),
    checkers: [...new Set(checkers)] as GamedayPlan['checkers'],
    traffic: {
      workers: traffic.number('workers', 1, 64, 3),
      converters: traffic.number('converters', 0, 16, 1),
      publishEveryMs: traffic.number('publishEveryMs', 100, 600_000, 1500),
    },
    steadyState: top.list('steadyState').map((p) => probe(p, rules)),
    method,
    signals,
    stopConditions: top.list('stopConditions', false).map((p) => probe(p, rules)),
    recoveryWithinMs: recovery.duration('within'),
    baselineMs: top.duration('baseline', '10s'),
    runbook: runbook(top.object('runbook')),
    actions: [],
    file,
  };
  plan.actions = top.list('actions', false).map((a) => action(a, plan));
  for (const [field, list] of [
    ['steadyState', plan.steadyState],
    ['signals', signals],
    ['stopConditions', plan.stopConditions],
  ] as const) {
    const names = list.map((p) => p.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) top.fail(field, `probe name '${twice}' is used twice`);
  }
  if (plan.steadyState.length === 0) top.fail('steadyState', 'needs at least one probe');
  return plan;
}

function methodStep(m: Fields, rules: PlanRules): MethodStep {
  m.only('fault', 'at', 'for');
  const fault = m.text('fault');
  if (!rules.faults.includes(fault)) m.fail('fault', `unknown fault '${fault}' (known: ${rules.faults.join(', ')})`);
  const forMs = m.duration('for');
  if (forMs < 1000) m.fail('for', 'a fault must last at least 1s');
  return { fault, atMs: m.duration('at', '0s'), forMs };
}

function probe(p: Fields, rules: PlanRules, extra: string[] = []): Probe {
  p.only('name', 'kind', 'metric', 'labels', 'rate', 'aggregate', 'route', 'findings', 'above', 'below', ...extra);
  const kind = p.text('kind') as Probe['kind'];
  if (!PROBE_KINDS.includes(kind)) p.fail('kind', `unknown probe kind '${kind}' (known: ${PROBE_KINDS.join(', ')})`);
  if (p.has('above') === p.has('below')) p.fail('above', 'give exactly one of above or below');
  const name = p.text('name');
  // Lower case and dashes: names starting with `_` are the conductor's own impact series.
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) p.fail('name', 'must be lower-case letters, digits and dashes');
  const result: Probe = {
    name,
    kind,
    ...(p.has('above') ? { above: p.number('above', -1e12, 1e12) } : { below: p.number('below', -1e12, 1e12) }),
  };
  if (kind === 'metric') {
    result.metric = p.text('metric');
    if (p.has('labels')) {
      const labels = p.object('labels');
      result.labels = Object.fromEntries(Object.keys(labels.value).map((k) => [k, labels.text(k)]));
    }
    if (p.has('rate')) {
      if (typeof p.value.rate !== 'boolean') p.fail('rate', 'must be true or false');
      result.rate = p.value.rate;
    }
    if (p.has('aggregate')) {
      const a = p.text('aggregate');
      if (a !== 'sum' && a !== 'max') p.fail('aggregate', 'must be sum or max');
      result.aggregate = a;
    }
  } else
    for (const f of ['metric', 'labels', 'rate', 'aggregate'])
      if (p.has(f)) p.fail(f, `only a metric probe takes ${f}`);
  if (p.has('route')) {
    if (kind !== 'error-rate' && kind !== 'latency-p95')
      p.fail('route', 'only error-rate and latency-p95 probes take a route');
    result.route = p.text('route');
  }
  if (p.has('findings')) {
    if (kind !== 'reconcile') p.fail('findings', 'only a reconcile probe takes findings');
    result.findings = p.texts('findings');
  }
  for (const metric of metricsOf(result))
    if (!rules.metrics.includes(metric.replace(/_(bucket|sum|count)$/, '')) && !rules.metrics.includes(metric))
      p.fail('metric', `the system does not export '${metric}'`);
  return result;
}

function steps(f: Fields, name: string): RunbookStep[] {
  const v = f.value[name];
  if (!Array.isArray(v)) f.fail(name, v === undefined ? 'is required' : 'must be a list');
  return v.map((item, i) => {
    if (typeof item === 'string' && item.trim() !== '') return { step: item };
    const s = f.item(name, i);
    s.only('step', 'metrics');
    return { step: s.text('step'), ...(s.has('metrics') ? { metrics: s.texts('metrics') } : {}) };
  });
}

function runbook(r: Fields): Runbook {
  r.only(
    'symptom',
    'severity',
    'firstFiveMinutes',
    'diagnosis',
    'safeActions',
    'unsafeActions',
    'verification',
    'escalation',
    'evidence',
    'prevention',
  );
  const actions = (field: string, scripted: boolean) =>
    (Array.isArray(r.value[field]) ? (r.value[field] as unknown[]) : []).map((item, i): RunbookAction => {
      if (typeof item === 'string' && !scripted) return { name: item };
      const a = r.item(field, i);
      a.only('name', 'script', 'args');
      if (a.has('script') && !fs.existsSync(path.resolve(path.dirname(r.file), a.text('script'))))
        a.fail('script', `no such file beside the plan: ${a.text('script')}`);
      return {
        name: a.text('name'),
        ...(scripted || a.has('script') ? { script: a.text('script') } : {}),
        ...(a.has('args') ? { args: a.texts('args') } : {}),
      };
    });
  r.list('safeActions', false);
  if (r.has('unsafeActions') && !Array.isArray(r.value.unsafeActions)) r.fail('unsafeActions', 'must be a list');
  return {
    symptom: r.text('symptom'),
    severity: r.text('severity'),
    firstFiveMinutes: r.texts('firstFiveMinutes'),
    diagnosis: steps(r, 'diagnosis'),
    safeActions: actions('safeActions', true),
    unsafeActions: actions('unsafeActions', false),
    verification: steps(r, 'verification'),
    escalation: r.text('escalation'),
    evidence: r.texts('evidence'),
    prevention: r.texts('prevention'),
  };
}

function action(a: Fields, plan: GamedayPlan): PlannedAction {
  a.only('run', 'when');
  const run = a.text('run');
  const known = [...plan.runbook.safeActions, ...plan.runbook.unsafeActions];
  const found = known.find((k) => k.name === run);
  if (!found)
    a.fail('run', `'${run}' is not an action of the runbook (known: ${known.map((k) => k.name).join(', ') || 'none'})`);
  if (!found.script) a.fail('run', `'${run}' has no script: an unattended drill cannot run it`);
  const when = a.text('when');
  let trigger: ActionTrigger;
  if (when === 'heal' || when === 'recovered') trigger = { on: when };
  else if (when.startsWith('signal:')) {
    const signal = when.slice('signal:'.length);
    if (!plan.signals.some((s) => s.name === signal)) a.fail('when', `no signal named '${signal}'`);
    trigger = { on: 'signal', signal };
  } else {
    const atMs = new Fields(a.file, a.at, { when }).duration('when');
    trigger = { on: 'time', atMs };
  }
  return { run, when: trigger };
}
