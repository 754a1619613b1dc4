/**
 * Vitest global set-up, per test project: provisions what the suite needs before any test runs —
 * the unit suite its Chromium, the integration suite psql, redis-cli, kcat, curl and the services
 * themselves (PostgreSQL and Redis from Debian, Kafka jars, toxiproxy-server; cached after the
 * first run) and k6 for the load tests — the way `gate` and `load` provision them, so `npm ci && npm test` alone works on a new
 * machine. Fast when everything is already there.
 */
import type { TestProject } from 'vitest/node';
import { provisionAll } from '../provision/index.ts';
import { ensureTestTools } from '../provision/test-tools.ts';

const log = (line: string) => process.stderr.write(`test set-up: ${line}\n`);

export default async function setup(project: TestProject): Promise<void> {
  const suite = project.name === 'integration' ? 'integration' : 'unit';
  await ensureTestTools(suite, log);
  if (suite === 'integration') {
    const started = Date.now();
    await provisionAll();
    if (Date.now() - started > 2000)
      log(`services and k6 provisioned in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
