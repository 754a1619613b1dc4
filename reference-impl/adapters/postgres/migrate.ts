/**
 * Applies the SQL migrations in `migrations/` once each, under an advisory lock so N instances
 * starting together migrate once. Also sets the unique order key to match the planted bugs: the
 * one schema-level switch (`convert-not-idempotent` runs without the key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { inTransaction } from './pool.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_ID = 0x637071; // "cpq"

/** Applies pending migrations; with `uniqueOrderKey` false the unique order key is dropped. */
export async function migrate(pool: pg.Pool, options: { uniqueOrderKey: boolean }): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
    await client.query(
      'create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())',
    );
    const applied = new Set(
      (await client.query<{ name: string }>('select name from schema_migration')).rows.map((r) => r.name),
    );
    const pending = fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.sql') && !applied.has(f))
      .sort();
    for (const file of pending) {
      await client.query(fs.readFileSync(path.join(DIR, file), 'utf8'));
      await client.query('insert into schema_migration (name) values ($1)', [file]);
    }
    if (options.uniqueOrderKey) {
      await client.query(
        'create unique index if not exists customer_order_source_key on customer_order (tenant_id, source_quote_id, source_quote_revision)',
      );
    } else {
      await client.query('drop index if exists customer_order_source_key');
    }
    return pending;
  });
}
