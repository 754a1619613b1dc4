/**
 * Headless Chromium (Debian's `chromium` package) for report tests: renders a local file to a
 * screenshot and dumps its DOM, with every network and background feature off.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--enable-logging=stderr',
  '--v=0',
];

/** The Chromium binary, or undefined when it is not installed. */
export function chromiumBinary(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
}

function chromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const binary = chromiumBinary();
  if (!binary) return Promise.reject(new Error('chromium is not installed (apt-get install chromium)'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-chromium-'));
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...FLAGS, `--user-data-dir=${profile}`, ...args],
      { timeout: 60_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        fs.rmSync(profile, { recursive: true, force: true });
        if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** Renders `file` and returns the DOM as Chromium built it, plus its log. */
export function dumpDom(file: string): Promise<{ dom: string; log: string }> {
  return chromium(['--dump-dom', `file://${file}`]).then(({ stdout, stderr }) => ({ dom: stdout, log: stderr }));
}

/** Renders `file` into a PNG screenshot at `out`; returns Chromium's log. */
export async function screenshot(file: string, out: string, size = '1100,2400'): Promise<string> {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const { stderr } = await chromium([`--screenshot=${out}`, `--window-size=${size}`, `file://${file}`]);
  return stderr;
}
