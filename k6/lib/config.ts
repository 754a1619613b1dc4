/**
 * A load run's configuration, from the `-e` variables `cpqchaos load` passes: the API instances,
 * the run's tenants (seeded by the harness with distinguishable data), the offerings they share,
 * this k6 instance's name (its VUs record as `k6-<instance>-<vu>`), think time, and the profile's
 * size (VUs, duration, arrival rate).
 */

const list = (name: string, fallback: string): string[] =>
  (__ENV[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const number = (name: string, fallback: number): number => {
  const raw = __ENV[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return value;
};

export const config = {
  apiUrls: list('API_URLS', 'http://127.0.0.1:8080'),
  tenants: list('TENANTS', 'load-t0'),
  offerings: list('OFFERINGS', 'router,switch,firewall,license,support'),
  currencies: list('CURRENCIES', 'EUR,USD'),
  instance: __ENV.INSTANCE ?? '0',
  /** Mean pause between a user's steps (ms); each pause is drawn from half to one and a half of it. */
  thinkMs: number('THINK_MS', 1000),
  vus: Math.max(1, Math.round(number('VUS', 10))),
  /** Seconds the profile runs at its target (ramps come on top). */
  durationS: Math.max(1, Math.round(number('DURATION_S', 30))),
  /** Seconds of the ramp up (the ramp down is half of it); the harness sizes it with the span it schedules faults on. */
  rampS: Math.max(1, Math.round(number('RAMP_S', 5))),
  /** Share of converts retried under the same key. */
  retryShare: Math.min(1, number('RETRY_SHARE', 0.2)),
  /** Target arrival rate (iterations per second) of the arrival-rate profiles. */
  rate: Math.max(1, Math.round(number('RATE', 50))),
  /** Client timeout per request (ms), as the harness's own clients use. */
  timeoutMs: number('TIMEOUT_MS', 5000),
};
