/**
 * How long each gate scenario took, end to end (s): the mean of two full gates on the 2-core
 * reference machine (`npx cpqchaos gate --seed 4` and `--seed 5`, `durationMs` in summary.json).
 * `--shard` balances its split by these; a scenario without a record counts as its own time limit
 * plus the usual overhead. Refresh after adding a scenario or changing one's length.
 */
export const RECORDED_DURATIONS_S: Readonly<Record<string, number>> = {
  'stale-price-submit': 17,
  'stale-catalog-submit': 18,
  'approval-policy-change': 17,
  'tenant-collision': 15,
  'hot-key-stampede': 5,
  'publish-stampede': 13,
  'invalidation-lag': 18,
  'redis-latency': 18,
  'redis-outage': 21,
  'redis-restart': 18,
  'redis-stale-snapshot': 18,
  'clock-skew': 20,
  'duplicate-convert': 16,
  'kafka-outage': 17,
  'kafka-outage-beyond-retries': 18,
  'consumer-crash-redelivery': 24,
  'postgres-cut-and-refusal': 18,
};
