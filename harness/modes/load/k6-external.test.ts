// Unit: k6 that runs elsewhere — the pods' variables written for a ConfigMap, pods found by their
// console file, every pod's lines merged into one history until each wrote its summary; and the
// k6-operator TestRun in k6/operator writes exactly the files the harness follows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../core/history.ts';
import { PACKAGE_ROOT } from '../../env/paths.ts';
import { CONSOLE_FILE, ENV_FILE, followK6Dir, SUMMARY_FILE, waitForPods, writeK6Env } from './k6-external.ts';
import { K6_PREFIX } from './k6-history.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'k6-external-'));

describe('external k6 (k6-operator pods)', () => {
  it('get their variables as KEY=VALUE lines', () => {
    const dir = path.join(tmp(), 'shared');
    const file = writeK6Env(dir, { TENANTS: 't0,t1', VUS: '40' });
    expect(file).toBe(path.join(dir, ENV_FILE));
    expect(fs.readFileSync(file, 'utf8')).toBe('TENANTS=t0,t1\nVUS=40\n');
  });

  it('are merged into one history, each pod until its summary', async () => {
    const dir = tmp();
    const history = new HistoryWriter(path.join(dir, 'history.jsonl'));
    const signal = new AbortController().signal;
    expect(await waitForPods(dir, 300, signal)).toBe(false);
    for (const name of ['pod-a', 'pod-b']) {
      fs.mkdirSync(path.join(dir, name));
      const value = { tenant: 't0', offeringId: 'router' };
      const line = (type: string, more = {}) =>
        `${K6_PREFIX}${JSON.stringify({ t: history.epochMs + 10, p: `k6-${name}-1`, type, f: 'read-offering', value, ...more })}\n`;
      fs.writeFileSync(path.join(dir, name, CONSOLE_FILE), line('invoke') + line('done', { status: 200, body: {} }));
    }
    expect(await waitForPods(dir, 1000, signal)).toBe(true);
    fs.writeFileSync(path.join(dir, 'pod-a', SUMMARY_FILE), '{"metrics":{}}');
    fs.writeFileSync(path.join(dir, 'pod-b', SUMMARY_FILE), '{"metrics":{}}');
    const runs = await followK6Dir(history, dir, { expected: 2, timeoutMs: 5000, signal });
    expect(runs.map((r) => r.requests)).toEqual([1, 1]);
    expect(new Set(history.history.map((op) => op.process))).toEqual(new Set(['k6-pod-a-1', 'k6-pod-b-1']));
    history.close();
  });

  it('write, as the TestRun manifest has them, the files the harness follows', () => {
    const manifest = fs.readFileSync(path.join(PACKAGE_ROOT, 'k6/operator/testrun.yaml'), 'utf8');
    expect(manifest).toContain(`--console-output=/results/${CONSOLE_FILE}`);
    expect(manifest).toContain(`--summary-export=/results/${SUMMARY_FILE}`);
    expect(manifest).toContain('--log-format=raw');
    expect(manifest).toMatch(/subPathExpr: \$\(POD_NAME\)/);
    expect(manifest).toMatch(/- name: INSTANCE\n\s+value: \$\(POD_NAME\)/);
  });
});
