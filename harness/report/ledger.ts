/**
 * The delivery ledger as a report shows it, per scenario that judged one: events committed to the
 * outbox, on their topic and how many copies (from `no-lost-events`), the drain time after the
 * heal, and per consumer the copies delivered, absorbed by its inbox and applied (from
 * `effects-exactly-once`). Read from the checkers' stats, so `analyze` shows the same.
 */
import type { ScenarioOutcome } from '../core/outcome.ts';

export interface ConsumerTally {
  consumer: string;
  delivered: number;
  absorbed: number;
  applied: number;
}

export interface LedgerView {
  committed?: number;
  onTopic?: number;
  copies?: number;
  drainMs?: number;
  consumers: ConsumerTally[];
}

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The ledger view of a scenario, or undefined when none of its checkers read a ledger. */
export function ledgerView(s: ScenarioOutcome): LedgerView | undefined {
  const events = s.checkers.find((c) => c.name === 'no-lost-events' && c.opportunities > 0)?.stats;
  const effects = s.checkers.find((c) => c.name === 'effects-exactly-once')?.stats;
  if (!events && !effects) return undefined;
  const perConsumer = (effects?.consumers ?? {}) as Record<string, Record<string, unknown>>;
  const view: LedgerView = {
    consumers: Object.entries(perConsumer).map(([consumer, t]) => ({
      consumer,
      delivered: num(t.delivered) ?? 0,
      absorbed: num(t.absorbed) ?? 0,
      applied: num(t.applied) ?? 0,
    })),
  };
  const set = (key: 'committed' | 'onTopic' | 'copies' | 'drainMs', value: unknown) => {
    if (num(value) !== undefined) view[key] = num(value);
  };
  set('committed', events?.outboxRows);
  set('onTopic', events?.onTopic);
  set('copies', events?.copies);
  set('drainMs', events?.drainMs);
  return view;
}

/** One line of text: `377 committed · 377 on topic (379 copies) · drained 218 ms after the heal`. */
export function ledgerLine(view: LedgerView): string {
  const parts = [
    view.committed !== undefined ? `${view.committed} committed` : undefined,
    view.onTopic !== undefined ? `${view.onTopic} on topic (${view.copies ?? '?'} copies)` : undefined,
    view.drainMs !== undefined ? `drained ${view.drainMs} ms after the heal` : 'not drained',
  ];
  return parts.filter(Boolean).join(' · ');
}
