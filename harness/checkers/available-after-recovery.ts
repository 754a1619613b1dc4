/**
 * `available-after-recovery`: a system that stays broken after a fault fails this, however loudly it
 * fails. Once a fault has healed and the system's recovery budget (`parameters.recoveryBudgetMs`,
 * default 5000) has passed, every request — read, command or publish — must be answered: a 5xx, a
 * timeout or a lost connection is `unavailable-after-recovery`. A request whose life overlaps a
 * fault window or its recovery budget is not judged here (during faults the other promises apply:
 * `availability-under-cache-outage` for Redis), nor is one whose client chose to give up early
 * (`clientTimeoutMs`) or cancelled it. The final reads after quiesce (`phase: 'final'`, one per API
 * instance at least: the quiesce's proof that every instance answers) are always judged, and a 5xx
 * or no answer there is `unanswered-after-quiesce`. A 4xx is an answer. And the system itself must
 * be back: a component not running as the quiesce ended, every fault healed
 * (`observations.quiesce.componentsDown`), is `component-down-after-heal` — it died on its own or
 * was not brought back, and its absence would otherwise show only as effects missing later.
 *
 * Opportunities: requests invoked after a heal plus the budget, outside every fault window, and the
 * final reads (the components looked at are counted in `stats.components`: with no request judged,
 * the verdict stays unknown unless one was down). Final reads not made through an instance that had
 * left several in a row unanswered are counted in `stats.finalReadsLeft`.
 */
import { resultOf, type Anomaly, type Checker, type FinalState } from '../core/checker.ts';
import { NEMESIS, pairOps, type Op, type OpPair } from '../core/op.ts';
import { CLIENT_CANCELLED, COMMANDS, faultWindows, READS, str, systemError } from '../core/vocabulary.ts';

/** The requests judged: every business call of the vocabulary. */
const JUDGED = new Set<string>([...COMMANDS, ...Object.keys(READS), 'publish']);

/** The recovery budget a system allows itself after a heal (ms). */
export function recoveryBudgetMs(finalState: FinalState): number {
  return finalState.parameters.recoveryBudgetMs ?? 5000;
}

/** A request its own client abandoned: says nothing of the system. */
function abandoned(pair: OpPair): boolean {
  const done = pair.completion;
  if (done?.error === CLIENT_CANCELLED) return true;
  return pair.invoke.value.clientTimeoutMs !== undefined && done?.type === 'info' && done.error === 'timeout';
}

function describe(pair: OpPair): string {
  const done = pair.completion;
  const how = !done
    ? 'never answered'
    : typeof done.value.status === 'number'
      ? `answered ${done.value.status}${done.error ? ` (${done.error})` : ''}`
      : `ended ${done.type}${done.error ? ` (${done.error})` : ''}`;
  const tenant = str(pair.invoke.value.tenant);
  return `${pair.invoke.f}${tenant ? ` by ${tenant}` : ''} on process ${pair.invoke.process} ${how}`;
}

export const availableAfterRecovery: Checker = {
  name: 'available-after-recovery',
  /** The final reads come once the budget has passed since the last heal, so they are judged. */
  settleAfterHealMs: recoveryBudgetMs,
  check(history: readonly Op[], finalState: FinalState) {
    const budgetNs = recoveryBudgetMs(finalState) * 1e6;
    const windows = faultWindows(history);
    const healed = windows.filter((w) => w.ops.length === 2);
    const end = history.at(-1)?.time ?? 0;
    const anomalies: Anomaly[] = [];
    let afterHeal = 0;
    let finals = 0;
    let skipped = 0;
    for (const pair of pairOps(history)) {
      if (pair.invoke.process === NEMESIS || !JUDGED.has(pair.invoke.f)) continue;
      if (abandoned(pair)) {
        skipped++;
        continue;
      }
      const from = pair.invoke.time;
      const to = pair.completion?.time ?? end;
      const final = str(pair.invoke.value.phase) === 'final';
      const disturbed = windows.some((w) => from <= w.end + budgetNs && to >= w.start);
      const recovered = healed.some((w) => w.end + budgetNs <= from);
      if (disturbed || !(final || recovered)) continue;
      if (final) finals++;
      else afterHeal++;
      if (!systemError(pair.completion)) continue;
      const sinceHeal = Math.max(...healed.filter((w) => w.end <= from).map((w) => w.end), 0);
      anomalies.push({
        kind: final ? 'unanswered-after-quiesce' : 'unavailable-after-recovery',
        message: `${describe(pair)}${final ? ' after quiesce' : ` ${((from - sinceHeal) / 1e6).toFixed(0)} ms after a heal (budget ${budgetNs / 1e6} ms)`}`,
        ops: [pair.invoke.index, ...(pair.completion ? [pair.completion.index] : [])],
      });
    }
    const quiesce = finalState.observations.quiesce;
    // Judged by the quiesce's end, which the final reads follow: a component seen down only as it
    // began (a readiness probe that failed once, a component its own supervisor restarted) is back.
    const down = (quiesce?.componentsDown ?? []).filter((c) => c.atEnd);
    for (const c of down)
      anomalies.push({
        kind: 'component-down-after-heal',
        message: `${c.name} was not running as the quiesce ${c.atStart ? 'began, nor as it ' : ''}ended, every fault healed`,
        ops: [],
      });
    const stats = {
      budgetMs: budgetNs / 1e6,
      heals: healed.length,
      afterHeal,
      finalReads: finals,
      components: quiesce?.componentsChecked ?? 0,
      componentsDown: down.length,
      // Final reads not made through an instance that had stopped answering: it failed already.
      finalReadsLeft: (quiesce?.finalReadsLeft ?? []).reduce((n, left) => n + left.reads, 0),
      componentsBackInQuiesce: (quiesce?.componentsDown?.length ?? 0) - down.length,
      failed: anomalies.length,
      clientAbandoned: skipped,
    };
    return resultOf(
      anomalies,
      stats,
      afterHeal + finals,
      'requests after recovery (a heal plus its budget) and after quiesce',
    );
  },
};
