#!/usr/bin/env node
// Safe action: asks the running drill, through its control channel, to restart one of the system's
// components (default the relay): stopped, started again on the same port, ready. The harness owns
// the processes, so the drill does the restart and puts it on its timeline.
import { argv, echo } from 'zx';
import { drill, mark } from './lib.mjs';

const live = drill();
const name = String(argv._[0] ?? 'relay');
const response = await fetch(`${live.control}/components/${encodeURIComponent(name)}/restart`, {
  method: 'POST',
  signal: AbortSignal.timeout(55_000),
});
const body = await response.json();
if (response.status !== 200) {
  echo(`restart ${name}: refused (${response.status}) — ${body.error}`);
  process.exit(response.status === 404 ? 64 : 1);
}
echo(`restarted ${name}: pid ${body.pidBefore} → ${body.pidAfter} in ${(body.ms / 1000).toFixed(1)} s`);
mark(live, `action restart-component ${name}: pid ${body.pidBefore} → ${body.pidAfter}`);
