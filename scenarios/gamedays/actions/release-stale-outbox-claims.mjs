#!/usr/bin/env node
// Safe action: outbox rows a dead relay claimed and never marked go back to pending after the given
// age (default 10 s), so a live relay publishes them (consumers deduplicate by event id).
import { argv, echo } from 'zx';
import pg from 'pg';
import { drill, mark } from './lib.mjs';

const live = drill();
const olderThanSec = Number(argv._[0] ?? 10);
const client = new pg.Client({ connectionString: live.postgresUrl });
await client.connect();
try {
  const { rowCount } = await client.query(
    `update outbox_event set status = 'pending', claimed_by = null, claimed_at = null
      where status = 'claimed' and claimed_at < now() - make_interval(secs => $1)`,
    [olderThanSec],
  );
  echo(`released ${rowCount} stale outbox claim(s) older than ${olderThanSec} s`);
  mark(live, `action release-stale-outbox-claims: ${rowCount} row(s)`);
} finally {
  await client.end();
}
