/**
 * `gameday --dry-run`: what a drill would do, from its validated plan at its speed — roles, steady
 * state, the method's timeline, expected signals, stop conditions, recovery bound, actions and the
 * runbook's outline, the checkers that judge it, what it needs of the system, how long it takes at
 * most — with nothing started.
 */
import type { Scenario } from '../../runner/scenario.ts';
import type { GamedayPlan, Probe } from './plan-types.ts';

const s = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

export function probeText(p: Probe): string {
  const what =
    p.kind === 'metric'
      ? `${p.rate ? 'rate of ' : ''}${p.aggregate === 'max' ? 'max ' : ''}${p.metric}${p.labels ? JSON.stringify(p.labels) : ''}`
      : p.kind === 'reconcile'
        ? `reconcile findings${p.findings ? ` (${p.findings.join(', ')})` : ''}`
        : p.kind === 'checkers'
          ? 'anomalies the live checkers found so far'
          : `${p.kind}${p.route ? ` of ${p.route}` : ''}`;
  return `${p.name}: ${what} ${p.above !== undefined ? `> ${p.above}` : `< ${p.below}`}`;
}

/** The longest the drill can take (baseline, method, recovery watched to its limit), in ms. */
export function longestMs(plan: GamedayPlan): number {
  const method = Math.max(...plan.method.map((m) => m.atMs + m.forMs));
  return plan.baselineMs + method + Math.max(plan.recoveryWithinMs * 2, plan.recoveryWithinMs + 30_000);
}

export function dryRunText(
  plan: GamedayPlan,
  scenario: Scenario,
  speed: number,
  gaps: readonly { step: string; metric: string }[],
): string {
  const when = (a: GamedayPlan['actions'][number]) =>
    a.when.on === 'time'
      ? `at +${s(a.when.atMs)} of the method`
      : a.when.on === 'signal'
        ? `when ${a.when.signal} fires`
        : `once ${a.when.on === 'heal' ? 'healed' : 'recovered'}`;
  return [
    `dry run: ${plan.title} (${plan.file}) at speed ${speed} — nothing is started`,
    `  ${plan.summary}`,
    `roles: ${plan.roles.join(', ')}`,
    `traffic: 1 publisher (every ~${s(plan.traffic.publishEveryMs)}), ${plan.traffic.converters} converter(s), ${plan.traffic.workers} quote/browse worker(s), over ${scenario.tenants} fresh tenants`,
    `1. baseline ${s(plan.baselineMs)}; the steady state must hold, else the drill stops before injecting anything:`,
    ...plan.steadyState.map((p) => `     ${probeText(p)}`),
    `2. method:`,
    ...plan.method.map((m) => `     +${s(m.atMs)}  ${m.fault} for ${s(m.forMs)}, then healed`),
    `   expected signals (detection, from the first fault):`,
    ...plan.signals.map((p) => `     ${probeText(p)} within ${s(p.withinMs)}`),
    `   stop conditions (abort and heal at once):${plan.stopConditions.length ? '' : ' none'}`,
    ...plan.stopConditions.map((p) => `     ${probeText(p)}`),
    `3. recovery: the steady state must hold again within ${s(plan.recoveryWithinMs)} of the last heal`,
    `4. consistency after recovery: ${scenario.checkers.map((c) => c.name).join(', ')}; /ops/reconcile`,
    `actions:${plan.actions.length ? '' : ' none'}`,
    ...plan.actions.map((a) => `     ${a.run} ${when(a)}`),
    `runbook: ${plan.runbook.symptom} (severity: ${plan.runbook.severity})`,
    `  safe actions: ${plan.runbook.safeActions.map((a) => a.name).join(', ') || 'none'}; unsafe: ${plan.runbook.unsafeActions.map((a) => a.name).join(', ') || 'none'}`,
    ...gaps.map((g) => `  runbook gap: "${g.step}" names ${g.metric}, which the system does not export`),
    `needs: ${scenario.requires.map((r) => `${r.component} (${r.abilities.join(', ')})`).join('; ') || 'nothing beyond the environment'}`,
    `takes at most ~${s(longestMs(plan) + 60_000)} with environment start and checks`,
    '',
  ].join('\n');
}
