#!/usr/bin/env node
// Safe action: GET /ops/reconcile for every tenant of the drill (read-only), the runbook's
// verification. Right after a recovery the consumers are still draining what queued up during the
// fault, so it asks again every 2 s for up to `--wait` seconds (default 30) until there are no
// findings older than the given age (default 10 s). Prints the findings left; exits 1 when some
// remain after the wait, 0 when there are none.
import { argv, echo, sleep } from 'zx';
import { drill, mark } from './lib.mjs';

const live = drill();
const olderThanSec = Number(argv._[0] ?? 10);
const waitMs = Number(argv.wait ?? 30) * 1000;

/** Every tenant's findings now. */
async function reconcile() {
  const all = [];
  for (const tenant of live.tenants) {
    const response = await fetch(`${live.apiUrls[0]}/v1/tenants/${tenant}/ops/reconcile?olderThanSec=${olderThanSec}`);
    const body = await response.json();
    all.push(...(body.findings ?? []).map((f) => ({ tenant, ...f })));
  }
  return all;
}

const started = Date.now();
let findings = await reconcile();
while (findings.length > 0 && Date.now() - started < waitMs) {
  echo(`reconcile: ${findings.length} finding(s), asking again in 2 s (the consumers may still be draining)`);
  await sleep(2000);
  findings = await reconcile();
}
for (const f of findings)
  echo(`${f.tenant}: ${f.kind} ${f.entity} expected ${JSON.stringify(f.expected)}, actual ${JSON.stringify(f.actual)}`);
const waited = ((Date.now() - started) / 1000).toFixed(0);
echo(`reconcile: ${findings.length} finding(s) over ${live.tenants.length} tenant(s) after ${waited} s`);
mark(live, `action run-reconcile: ${findings.length} finding(s)`);
process.exit(findings.length === 0 ? 0 : 1);
