// Unit (real browser): the HTML report opened in headless Chromium renders without errors — the
// DOM has the verdict, the tables and every chart, the log has no console error or blocked
// request — and a screenshot is kept at reports/test-output/report.png.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportHtml } from './html.ts';
import { dumpDom, screenshot } from './testing/chromium.ts';
import { sampleRun } from './testing/sample-run.ts';

const SHOT = path.resolve('reports/test-output/report.png');

describe('index.html in headless Chromium', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-html-'));
  const file = path.join(dir, 'index.html');
  const { outcome, history } = sampleRun(dir);
  fs.writeFileSync(file, reportHtml(outcome, history));

  it('renders the verdict, tables and charts without errors', async () => {
    const { dom, log } = await dumpDom(file);
    expect(dom).toContain('<div class="verdict FAIL" id="verdict">FAIL</div>');
    expect(dom).toContain('<table class="verdicts">');
    expect(dom.match(/<svg class="(timeline|latency|throughput)"/g)).toHaveLength(6);
    expect(dom).toContain('stale-submit ×1');
    expect(log).not.toMatch(/Uncaught|Refused to|ERR_|CONSOLE\(\d+\).*error/i);
  }, 90_000);

  it('takes a screenshot', async () => {
    fs.rmSync(SHOT, { force: true });
    await screenshot(file, SHOT);
    const png = fs.readFileSync(SHOT);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    console.log(`screenshot: ${SHOT}`);
  }, 90_000);
});
