// Two test projects: `unit` (pure code, parallel) and `integration` (real PostgreSQL, Redis, Kafka
// and Toxiproxy started as native processes; one file at a time so two cores are not oversubscribed).
// Each project's global set-up provisions what its tests need (Chromium; psql, kcat…; the services).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          globalSetup: ['harness/env/testing/global-setup.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          globalSetup: ['harness/env/testing/global-setup.ts'],
          exclude: ['node_modules/**'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
