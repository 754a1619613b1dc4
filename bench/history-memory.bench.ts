/**
 * `npm run bench:history`: memory of recording a soak-sized history while the run goes — the
 * harness's `HistoryWriter` with its ops kept in memory (every command but `load`) against
 * `retain: false` (a load run: counts only, read back for the checkers when the run is over). Each
 * mode records `--ops N` load-shaped ops (2 million by default) in a child process and prints the
 * heap it holds while recording (after a GC), the peak resident set, and the time to read the ops
 * back. Target (issue 13): the live run's memory does not grow with its history.
 *
 * Flags: --ops N (default 2000000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryWriter } from '../harness/core/history.ts';
import { benchArgs, usageError } from './lib/bench-args.ts';

const values = benchArgs('bench:history', { ops: { type: 'string', default: '2000000' }, mode: { type: 'string' } });
const total = Number(values.ops);
if (!Number.isInteger(total) || total < 1000) {
  usageError('bench:history', '--ops takes a whole number ≥ 1000');
}
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

if (values.mode) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-history-'));
  const writer = new HistoryWriter(path.join(dir, 'history.jsonl'), { retain: values.mode === 'keep' });
  writer.scenario = 'load-soak';
  const base = heapMiB();
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; writer.length < total; i++) {
    const tenant = `t${i % 3}`;
    const value = { tenant, offeringId: 'router', currency: 'EUR' };
    writer.append({ process: `k6-0-${i % 1000}`, type: 'invoke', f: 'read-price', value });
    writer.append({
      process: `k6-0-${i % 1000}`,
      type: 'ok',
      f: 'read-price',
      value: { ...value, unitPriceCents: 10_016, priceListVersion: 1 + (i >> 11), tenantId: tenant },
    });
    if (i % Math.floor(total / 16) === 0) samples.push(heapMiB() - base);
  }
  const recordS = (performance.now() - started) / 1000;
  const during = heapMiB() - base;
  const readStarted = performance.now();
  const read = writer.opsOf('load-soak').length;
  const readS = (performance.now() - readStarted) / 1000;
  writer.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const peak = process.resourceUsage().maxRSS / 2 ** 10;
  process.stdout.write(`${JSON.stringify({ mode: values.mode, recordS, during, samples, readS, read, peak })}\n`);
} else {
  process.stdout.write(
    `| mode | ops | record (s) | heap while recording, by eighths (MiB) | read back (s) | peak RSS (MiB) |\n`,
  );
  process.stdout.write(`| --- | --- | --- | --- | --- | --- |\n`);
  for (const mode of ['keep', 'spill']) {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', process.argv[1] as string, '--mode', mode, '--ops', String(total)],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      process.exit(1);
    }
    const r = JSON.parse(child.stdout) as {
      recordS: number;
      during: number;
      samples: number[];
      readS: number;
      read: number;
      peak: number;
    };
    process.stdout.write(
      `| ${mode === 'keep' ? 'kept in memory' : 'retain: false (load)'} | ${r.read} | ${r.recordS.toFixed(1)} | ${[...r.samples, r.during].map((m) => Math.max(0, m).toFixed(0)).join(' → ')} | ${r.readS.toFixed(1)} | ${r.peak.toFixed(0)} |\n`,
    );
  }
}
