/**
 * The outbox relay: claims unpublished outbox rows (FOR UPDATE SKIP LOCKED, so several relays can
 * run), publishes them to Kafka, waits for the broker's acknowledgement, then marks them published.
 * Rows claimed by a relay that died are claimed again after `CLAIM_TIMEOUT`. Delivery is at least
 * once: a crash between publish and mark publishes again, and consumers dedupe.
 *
 * A send the producer gave up on (its retries spent: a broker outage outlasting them) leaves the rows
 * claimed; they are claimed again once the claim times out, and sent then.
 *
 * Planted bugs: `relay-marks-before-publish` — rows are marked published when claimed, so a publish
 * that fails or a crash loses the event; `relay-drops-failed-batch` — a batch whose send failed is
 * set aside as `failed` so it cannot block the outbox, and nothing ever sends it.
 */
import type { Producer } from 'kafkajs';
import type pg from 'pg';
import type { Logger } from 'pino';
import { toMessage } from '../adapters/kafka/kafka.ts';
import { prepared } from '../adapters/postgres/prepared.ts';
import type { EventEnvelope } from '../domain/events.ts';
import type { Failpoints } from '../app/failpoints.ts';
import type { Metrics } from '../app/metrics.ts';

const BATCH = 200;
const CLAIM_TIMEOUT = '5 seconds';
const IDLE_MS = 50;

interface OutboxRow {
  event_id: string;
  tenant_id: string;
  aggregate_id: string;
  aggregate_version: number;
  event_type: string;
  topic: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

export interface RelayOptions {
  pool: pg.Pool;
  producer: Producer;
  relayId: string;
  metrics: Metrics;
  failpoints: Failpoints;
  log: Logger;
  marksBeforePublish: boolean;
  dropsFailedBatch?: boolean;
}

export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private gauges: NodeJS.Timeout | undefined;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    this.startGauges();
    this.running = true;
    this.loop = this.run();
  }

  /**
   * The outbox gauges, on a timer of their own — also before the relay can publish (its producer
   * not connected yet). While Kafka is unreachable a batch can hang for its request timeout, and that
   * is exactly when the backlog must be seen growing (found by the kafka-unavailable drill).
   */
  startGauges(): void {
    if (this.gauges) return;
    this.gauges = setInterval(() => {
      this.updateGauges().catch((error: Error) =>
        this.options.log.warn({ err: error.message }, 'outbox gauges not updated'),
      );
    }, 1000);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.gauges);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayBatch();
      } catch (error) {
        this.options.log.warn({ err: (error as Error).message }, 'relay batch failed; will retry');
        await sleep(500);
      }
      if (published < BATCH) await sleep(IDLE_MS);
    }
  }

  /** Claims, publishes and marks one batch; returns how many rows it handled. */
  async relayBatch(): Promise<number> {
    const { pool, relayId, producer, failpoints, metrics } = this.options;
    // One statement, committed on its own: claiming costs one round trip, and so does an idle poll
    // (a transaction of begin, select, update and commit cost four). Rows come back unordered.
    const claimedStatus = this.options.marksBeforePublish
      ? `status = 'published', published_at = now()` // planted bug: relay-marks-before-publish — published before Kafka has it
      : `status = 'claimed', claimed_at = now()`;
    const { rows } = await prepared(pool).query<OutboxRow & { seq: number }>(
      // Prepared: an idle relay sends this 20 times a second, planned once per connection.
      // = any(array(…)): the ids first (the partial index on unpublished rows), then each row by its
      // primary key — a plan that does not hang on the planner's row estimates for the sub-select.
      // Fewer than BATCH rows waiting, the walk goes to the index's end, past every entry that claims
      // and marks left dead: migration 003 has them vacuumed by the thousand (8.7 → 0.9 ms a claim).
      `update outbox_event set ${claimedStatus}, claimed_by = $1, attempts = attempts + 1
       where event_id = any(array(
         select event_id from outbox_event
         where status = 'pending' or (status = 'claimed' and claimed_at < now() - interval '${CLAIM_TIMEOUT}')
         order by seq limit ${BATCH} for update skip locked))
       returning event_id, tenant_id, aggregate_id, aggregate_version, event_type, topic, payload, created_at, seq`,
      [relayId],
    );
    rows.sort((a, b) => a.seq - b.seq); // bigint parsed as a number (pool.ts)
    if (rows.length === 0) return 0;
    failpoints.crashIfArmed('relay.after-claim-before-publish');
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicRows]) => ({
          topic,
          messages: topicRows.map((row) => toMessage(envelopeOf(row))),
        })),
      });
    } catch (error) {
      if (this.options.dropsFailedBatch) {
        // planted bug: relay-drops-failed-batch — set the batch aside so the outbox keeps moving
        await pool.query(`update outbox_event set status = 'failed' where event_id = any($1) and claimed_by = $2`, [
          rows.map((r) => r.event_id),
          relayId,
        ]);
      }
      throw error;
    }
    failpoints.crashIfArmed('relay.after-publish-before-mark');
    if (!this.options.marksBeforePublish) {
      await prepared(pool).query(
        `update outbox_event set status = 'published', published_at = now() where event_id = any($1) and status = 'claimed' and claimed_by = $2`,
        [rows.map((r) => r.event_id), relayId],
      );
    }
    for (const row of rows) metrics.relayPublished.inc({ topic: row.topic });
    return rows.length;
  }

  private async updateGauges(): Promise<void> {
    const { rows } = await this.options.pool.query<{ n: number; age: number | null }>(
      `select count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as age from outbox_event where status <> 'published'`,
    );
    this.options.metrics.outboxBacklog.set(rows[0]?.n ?? 0);
    this.options.metrics.outboxOldestAge.set(rows[0]?.age ?? 0);
  }
}

/** The envelope of contract section 4 for an outbox row. */
export function envelopeOf(row: OutboxRow): EventEnvelope {
  return {
    eventId: row.event_id,
    tenantId: row.tenant_id,
    type: row.event_type,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    occurredAt: row.created_at.toISOString(),
    payload: row.payload,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
