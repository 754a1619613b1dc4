/**
 * Prometheus metrics of one process (prom-client, own registry): cache hits and misses per domain,
 * source loads per domain, stale rejections per code, invalidation lag, outbox backlog and age,
 * relay publishes, consumer duplicates skipped, cache errors, HTTP requests.
 */
import client from 'prom-client';

export class Metrics {
  readonly registry = new client.Registry();
  readonly cacheHits: client.Counter<'domain' | 'layer'>;
  readonly cacheMisses: client.Counter<'domain'>;
  readonly sourceLoads: client.Counter<'domain'>;
  readonly cacheErrors: client.Counter<'operation' | 'reason'>;
  readonly staleRejections: client.Counter<'code'>;
  readonly invalidationLag: client.Histogram<'domain'>;
  readonly outboxBacklog: client.Gauge;
  readonly outboxOldestAge: client.Gauge;
  readonly relayPublished: client.Counter<'topic'>;
  readonly consumerDuplicates: client.Counter<'consumer'>;
  readonly consumerProcessed: client.Counter<'consumer'>;
  readonly httpRequests: client.Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: client.Histogram<'method' | 'route'>;

  constructor(component: string, instance: string) {
    this.registry.setDefaultLabels({ component, instance });
    // The event-loop lag histogram samples on a timer; prom-client's default (every 10 ms) woke every
    // idle process 100 times a second (strace: a 10 ms epoll timeout, over and over). At 100 ms both
    // idle API instances together went from 0.0087 to 0.0050 cores. Ten samples a second still give
    // the lag percentiles.
    client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    const r = [this.registry];
    this.cacheHits = new client.Counter({
      name: 'cpq_cache_hits_total',
      help: 'Cache hits by domain and layer (l1, redis)',
      labelNames: ['domain', 'layer'],
      registers: r,
    });
    this.cacheMisses = new client.Counter({
      name: 'cpq_cache_misses_total',
      help: 'Cache misses by domain',
      labelNames: ['domain'],
      registers: r,
    });
    this.sourceLoads = new client.Counter({
      name: 'cpq_source_loads_total',
      help: 'Loads from PostgreSQL after a cache miss, by domain',
      labelNames: ['domain'],
      registers: r,
    });
    this.cacheErrors = new client.Counter({
      name: 'cpq_cache_errors_total',
      help: 'Redis calls that failed or were skipped',
      labelNames: ['operation', 'reason'],
      registers: r,
    });
    this.staleRejections = new client.Counter({
      name: 'cpq_stale_rejections_total',
      help: 'Submits rejected as stale, by problem code',
      labelNames: ['code'],
      registers: r,
    });
    this.invalidationLag = new client.Histogram({
      name: 'cpq_invalidation_lag_seconds',
      help: 'Time from a publish to the cache pointer move it causes',
      labelNames: ['domain'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    });
    this.outboxBacklog = new client.Gauge({
      name: 'cpq_outbox_backlog',
      help: 'Outbox rows not yet published',
      registers: r,
    });
    this.outboxOldestAge = new client.Gauge({
      name: 'cpq_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox row',
      registers: r,
    });
    this.relayPublished = new client.Counter({
      name: 'cpq_relay_published_total',
      help: 'Outbox events published to Kafka and acknowledged',
      labelNames: ['topic'],
      registers: r,
    });
    this.consumerDuplicates = new client.Counter({
      name: 'cpq_consumer_duplicates_skipped_total',
      help: 'Redelivered events skipped by the inbox',
      labelNames: ['consumer'],
      registers: r,
    });
    this.consumerProcessed = new client.Counter({
      name: 'cpq_consumer_processed_total',
      help: 'Events whose effect was applied',
      labelNames: ['consumer'],
      registers: r,
    });
    this.httpRequests = new client.Counter({
      name: 'cpq_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers: r,
    });
    this.httpDuration = new client.Histogram({
      name: 'cpq_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    });
  }
}

/** The names of the metrics every component exports (its /metrics), e.g. for checking a runbook's references. */
export function metricNames(): string[] {
  return new Metrics('probe', 'probe').registry.getMetricsAsArray().map((m) => m.name);
}
