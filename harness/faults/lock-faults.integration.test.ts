// Integration: postgres-lock-contention really holds its lock — writes to the locked table wait
// while reads of it go on — and its heal releases the lock at once (the writer completes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../core/random.ts';
import { startEnvironment, type Environment } from '../env/environment.ts';
import { queryOnce } from '../env/testing/clients.ts';
import type { FaultContext } from './fault.ts';
import { tableLock } from './lock-faults.ts';

let env: Environment;
let ctx: FaultContext;

beforeAll(async () => {
  env = await startEnvironment();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-faults-'));
  // The schema the reference system migrates: the lock is taken on its quote table.
  await queryOnce(
    env.endpoints.services.postgres.directUrl,
    'create table if not exists quote (quote_id text primary key, revision integer not null)',
  );
  ctx = { env, random: new Random('lock-faults-test'), dir };
});

afterAll(async () => {
  await env?.stop();
});

describe('lock faults', () => {
  it('postgres-lock-contention: writes to the locked table wait while reads go on; the heal releases them', async () => {
    const url = env.endpoints.services.postgres.directUrl;
    const lock = tableLock('quote');
    const writer = new pg.Client({ connectionString: url });
    writer.on('error', () => undefined);
    await writer.connect();
    let written = false;
    try {
      await lock.invoke(ctx, 'start');
      const write = writer.query(`update quote set revision = revision where false`).then(() => (written = true));
      expect(await queryOnce(url, 'select count(*)::int as n from quote')).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(written).toBe(false);
      expect(await lock.invoke(ctx, 'stop')).toEqual({ released: true });
      await write;
      expect(written).toBe(true);
    } finally {
      await lock.teardown?.(ctx);
      await writer.end();
    }
  });
});
