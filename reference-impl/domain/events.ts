/**
 * Domain events: what a decision emits, and the envelope of contract section 4 they travel in
 * (outbox row → Kafka value, key = aggregate id, header `event-id`).
 */

/** The Kafka topics of contract section 4. */
export const TOPICS = {
  catalog: 'cpq.catalog.events',
  pricing: 'cpq.pricing.events',
  policy: 'cpq.policy.events',
  quote: 'cpq.quote.events',
  order: 'cpq.order.events',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** An event as a decision emits it (ids and time are added when it is written to the outbox). */
export interface DomainEvent {
  topic: Topic;
  type: string;
  aggregateId: string;
  aggregateVersion: number;
  payload: Record<string, unknown>;
}

/** The Kafka message value of contract section 4. */
export interface EventEnvelope {
  eventId: string;
  tenantId: string;
  type: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** A decision's outcome: the new state and the events to write in the same transaction. */
export interface Decision<S> {
  state: S;
  events: DomainEvent[];
}
