// Unit: the run-reconcile action against a stand-in reconcile endpoint — it asks again while the
// consumers drain and passes once nothing is left; findings still there after --wait fail it,
// printed one per line.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from './actions.ts';
import type { LiveGameday } from './live.ts';
import type { GamedayPlan } from './plan-types.ts';

const GAMEDAY_DIR = path.resolve('scenarios/gamedays');
const drift = { kind: 'projection-drift', entity: 'quote:q1', expected: { state: 'ACCEPTED' }, actual: null };
let calls = 0;
let drainAfter = 2;
const server = http.createServer((req, res) => {
  calls++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ findings: calls <= drainAfter ? [drift] : [] }));
});
let live: LiveGameday;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-action-'));
  live = {
    pid: process.pid,
    plan: 'p',
    runDir: dir,
    marks: path.join(dir, 'marks.jsonl'),
    apiUrls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}`],
    tenants: ['t0'],
    postgresUrl: '',
    redisUrl: '',
    control: '',
  };
});
afterAll(() => server.close());

const plan = (args?: string[]) =>
  ({
    file: path.join(GAMEDAY_DIR, 'any.yaml'),
    runbook: {
      safeActions: [{ name: 'run-reconcile', script: 'actions/run-reconcile.mjs', ...(args ? { args } : {}) }],
      unsafeActions: [],
    },
  }) as unknown as GamedayPlan;

describe('run-reconcile', () => {
  it('asks again while the consumers drain, and passes once no finding is left', async () => {
    calls = 0;
    drainAfter = 2;
    const run = await runAction(plan(), 'run-reconcile', live, 0);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/asking again in 2 s/);
    expect(run.output).toMatch(/reconcile: 0 finding\(s\) over 1 tenant\(s\) after [2-6] s/);
    expect(calls).toBe(3);
  }, 20_000);

  it('fails with the findings still there after --wait', async () => {
    calls = 0;
    drainAfter = Infinity;
    const run = await runAction(plan(['10', '--wait', '1']), 'run-reconcile', live, 0);
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(/t0: projection-drift quote:q1 expected \{"state":"ACCEPTED"\}, actual null/);
    expect(run.output).toMatch(/reconcile: 1 finding\(s\) over 1 tenant\(s\)/);
  }, 20_000);
});
