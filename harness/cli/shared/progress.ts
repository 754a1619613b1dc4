/**
 * The progress line while a run goes: scenario, step, elapsed, ops so far, faults in effect. On a
 * terminal it is redrawn in place every second; elsewhere (CI logs) a line is printed every 10 s
 * and whenever the scenario or step changes. Scenarios are numbered, out of `total` when it is known.
 */
import type { Progress } from '../../runner/run-types.ts';

export function progressPrinter(label: string, total: number | undefined, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let lastKey = '';
  let lastPrinted = 0;
  let index = 0;
  const seen = new Set<string>();
  return {
    update(p: Progress): void {
      if (p.scenario !== '-' && !seen.has(p.scenario)) {
        seen.add(p.scenario);
        index = seen.size;
      }
      const where =
        p.scenario === '-' ? p.step : `[${index}${total === undefined ? '' : `/${total}`}] ${p.scenario} · ${p.step}`;
      const line = `${label} ${where} · ${(p.elapsedMs / 1000).toFixed(0)} s · ${p.ops} ops${p.detail ? ` · ${p.detail}` : ''} · faults: ${p.faults.join(', ') || 'none'}`;
      const key = `${p.scenario}/${p.step}`;
      if (tty) stream.write(`\r\x1b[2K${line}`);
      else if (key !== lastKey || Date.now() - lastPrinted >= 10_000) {
        stream.write(`${line}\n`);
        lastPrinted = Date.now();
      }
      lastKey = key;
    },
    done(): void {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
