#!/usr/bin/env node
// Safe action: GET /ops/reconcile for every tenant of the drill (read-only). Prints each finding;
// exits 1 when there are findings older than the given age (default 10 s), 0 when there are none.
import { argv, echo } from 'zx';
import { drill, mark } from './lib.mjs';

const live = drill();
const olderThanSec = Number(argv._[0] ?? 10);
let findings = 0;
for (const tenant of live.tenants) {
  const response = await fetch(`${live.apiUrls[0]}/v1/tenants/${tenant}/ops/reconcile?olderThanSec=${olderThanSec}`);
  const body = await response.json();
  for (const f of body.findings ?? [])
    echo(`${tenant}: ${f.kind} ${f.entity} expected ${JSON.stringify(f.expected)}, actual ${JSON.stringify(f.actual)}`);
  findings += (body.findings ?? []).length;
}
echo(`reconcile: ${findings} finding(s) over ${live.tenants.length} tenant(s)`);
mark(live, `action run-reconcile: ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
