#!/usr/bin/env node
// Safe action: puts one published outbox event back to pending, so the relay publishes it again —
// for an event a consumer reports missing. Consumers deduplicate by event id. Usage: <eventId>.
import { argv, echo } from 'zx';
import pg from 'pg';
import { drill, mark } from './lib.mjs';

const live = drill();
const eventId = String(argv._[0] ?? '');
if (!/^[0-9a-f-]{36}$/i.test(eventId)) {
  echo('usage: replay-outbox-event.mjs <eventId> (a UUID from the outbox_event table)');
  process.exit(64);
}
const client = new pg.Client({ connectionString: live.postgresUrl });
await client.connect();
try {
  const { rowCount } = await client.query(
    `update outbox_event set status = 'pending', claimed_by = null, claimed_at = null where event_id = $1`,
    [eventId],
  );
  echo(rowCount ? `event ${eventId} will be published again` : `no outbox event ${eventId}`);
  mark(live, `action replay-outbox-event ${eventId}: ${rowCount ? 'queued' : 'not found'}`);
  process.exit(rowCount ? 0 : 1);
} finally {
  await client.end();
}
