/**
 * The delivery ledger of contract section 4, read from outside the system: `outbox_event` rows,
 * every copy of each event on the contract topics (read from the beginning through the direct
 * brokers, matched by the envelope's `eventId`), and per consumer that must apply an event its
 * `inbox_message` rows and its effect rows (e.g. `billing_trigger`, one per applied event). Which
 * consumer applies which event types, where its effects land, and which projections it keeps in
 * step with the source of truth (compared entity by entity: `drift` when they differ after quiesce)
 * is the system's to say.
 */
import type pg from 'pg';
import type { Ledger, LedgerEntry, ProjectionComparison } from '../core/final-state.ts';
import { readTopicsTogether } from '../env/kafka-admin.ts';
import { KAFKA_TOPICS } from '../env/versions.ts';

/** A consumer whose effects must happen exactly once: the event types it applies and its effect table (`tenant_id`, `event_id`). */
export interface ConsumerEffect {
  consumer: string;
  eventTypes: readonly string[];
  table: string;
}

/**
 * A projection a consumer keeps: `compare` is SQL over the tenants (`$1`) returning one row per
 * entity of the source of truth — `tenant_id`, `entity`, `expected` (from the source) and `actual`
 * (from the projection, null when absent).
 */
export interface ProjectionSpec {
  consumer: string;
  projection: string;
  compare: string;
  /** SQL over the tenants (`$1`) returning each projected entity's aggregate version: `entity`, `version`. */
  versions: string;
}

/** Each projection's entities and their aggregate versions now, as `projection` → `entity` → version. */
export async function projectionVersions(
  db: pg.Pool,
  tenants: readonly string[],
  specs: readonly ProjectionSpec[],
): Promise<Record<string, Record<string, number>>> {
  const result: Record<string, Record<string, number>> = {};
  for (const spec of specs) {
    const { rows } = await db.query<{ entity: string; version: number }>(spec.versions, [tenants]);
    result[spec.projection] = Object.fromEntries(rows.map((r) => [r.entity, Number(r.version)]));
  }
  return result;
}

/** What the system says its consumers owe: effects exactly once, projections in step. */
export interface DeliverySpec {
  effects: readonly ConsumerEffect[];
  projections: readonly ProjectionSpec[];
  /**
   * A system's own SQL where its schema differs from the contract's tables: `outbox` over the
   * tenants (`$1`) returning `event_id, tenant_id, event_type, status` (status `published` once
   * sent), in commit order; `inbox` over a consumer (`$1`) and event ids (`$2`) returning
   * `event_id, n` (its inbox rows per event).
   */
  outbox?: string | undefined;
  inbox?: string | undefined;
}

const OUTBOX_SQL =
  'select event_id, tenant_id, event_type, status from outbox_event where tenant_id = any($1) order by created_at';
const INBOX_SQL =
  'select event_id, count(*)::int as n from inbox_message where consumer_name = $1 and event_id = any($2) group by event_id';

/** Each projection compared with its source for `tenants`. */
async function compareProjections(
  db: pg.Pool,
  tenants: readonly string[],
  specs: readonly ProjectionSpec[],
): Promise<ProjectionComparison[]> {
  const comparisons: ProjectionComparison[] = [];
  for (const spec of specs) {
    const { rows } = await db.query<{ tenant_id: string; entity: string; expected: string; actual: string | null }>(
      spec.compare,
      [tenants],
    );
    comparisons.push({
      consumer: spec.consumer,
      projection: spec.projection,
      compared: rows.length,
      drift: rows
        .filter((r) => r.actual !== r.expected)
        .map((r) => ({ tenantId: r.tenant_id, entity: r.entity, expected: r.expected, actual: r.actual ?? 'absent' })),
    });
  }
  return comparisons;
}

interface OutboxRow {
  event_id: string;
  tenant_id: string;
  event_type: string;
  status: string;
}

/**
 * Events of `tenants` not yet delivered: unpublished, published and due to a consumer that left
 * no effect yet, or not yet reflected in a projection.
 */
export async function undeliveredEvents(db: pg.Pool, tenants: readonly string[], spec: DeliverySpec): Promise<number> {
  if (spec.outbox) return undeliveredFromRows(db, tenants, spec, spec.outbox);
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from outbox_event where tenant_id = any($1) and status <> 'published'",
    [tenants],
  );
  let n = rows[0]?.n ?? 0;
  for (const effect of spec.effects) {
    const missing = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox_event o
        where o.tenant_id = any($1) and o.status = 'published' and o.event_type = any($2)
          and not exists (select 1 from ${effect.table} e where e.tenant_id = o.tenant_id and e.event_id = o.event_id)`,
      [tenants, effect.eventTypes],
    );
    n += missing.rows[0]?.n ?? 0;
  }
  for (const comparison of await compareProjections(db, tenants, spec.projections)) n += comparison.drift.length;
  return n;
}

/** `undeliveredEvents` over a system's own outbox statement: the same counts, joined here. */
async function undeliveredFromRows(
  db: pg.Pool,
  tenants: readonly string[],
  spec: DeliverySpec,
  outboxSql: string,
): Promise<number> {
  const outbox = (await db.query<OutboxRow>(outboxSql, [tenants])).rows;
  let n = outbox.filter((r) => r.status !== 'published').length;
  for (const effect of spec.effects) {
    const applied = new Set(
      (
        await db.query<{ event_id: string }>(`select event_id from ${effect.table} where tenant_id = any($1)`, [
          tenants,
        ])
      ).rows.map((r) => r.event_id),
    );
    n += outbox.filter(
      (r) => r.status === 'published' && effect.eventTypes.includes(r.event_type) && !applied.has(r.event_id),
    ).length;
  }
  for (const comparison of await compareProjections(db, tenants, spec.projections)) n += comparison.drift.length;
  return n;
}

/** Counts per event id from `rows` of `{ event_id, n }`. */
const countsOf = (rows: { event_id: string; n: number }[]) => new Map(rows.map((r) => [r.event_id, r.n]));

/** The ledger of `tenants` now. */
export async function readLedger(
  db: pg.Pool,
  directBroker: string,
  tenants: readonly string[],
  spec: DeliverySpec,
): Promise<Ledger> {
  const outbox = await db.query<OutboxRow>(spec.outbox ?? OUTBOX_SQL, [tenants]);
  const entries = new Map<string, LedgerEntry>();
  for (const row of outbox.rows)
    entries.set(row.event_id, {
      eventId: row.event_id,
      tenantId: row.tenant_id,
      type: row.event_type,
      outbox: row.status,
      copies: 0,
      consumers: {},
    });
  const wanted = new Set(tenants);
  for (const message of await readTopicsTogether(directBroker, KAFKA_TOPICS)) {
    const envelope = parseEnvelope(message.value);
    if (!envelope || !wanted.has(envelope.tenantId)) continue;
    const entry = entries.get(envelope.eventId);
    if (entry) entry.copies += 1;
    else
      entries.set(envelope.eventId, {
        eventId: envelope.eventId,
        tenantId: envelope.tenantId,
        type: envelope.type,
        outbox: null,
        copies: 1,
        consumers: {},
      });
  }
  const ids = [...entries.keys()];
  for (const effect of spec.effects) {
    const inbox = countsOf(
      (await db.query<{ event_id: string; n: number }>(spec.inbox ?? INBOX_SQL, [effect.consumer, ids])).rows,
    );
    const applied = countsOf(
      (
        await db.query<{ event_id: string; n: number }>(
          `select event_id, count(*)::int as n from ${effect.table} where tenant_id = any($1) group by event_id`,
          [tenants],
        )
      ).rows,
    );
    for (const entry of entries.values())
      if (effect.eventTypes.includes(entry.type))
        entry.consumers[effect.consumer] = {
          inbox: inbox.get(entry.eventId) ?? 0,
          effects: applied.get(entry.eventId) ?? 0,
        };
  }
  const projections = await compareProjections(db, tenants, spec.projections);
  return { entries: [...entries.values()], ...(projections.length ? { projections } : {}) };
}

/** The envelope's identifying fields, or undefined when the value is not an envelope. */
function parseEnvelope(value: string): { eventId: string; tenantId: string; type: string } | undefined {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return typeof parsed.eventId === 'string' && typeof parsed.tenantId === 'string' && typeof parsed.type === 'string'
      ? { eventId: parsed.eventId, tenantId: parsed.tenantId, type: parsed.type }
      : undefined;
  } catch {
    return undefined;
  }
}
