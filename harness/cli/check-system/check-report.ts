/**
 * What `check-system` prints: the contract probes, the reads, the abilities (live, when the system
 * ran) and the table of what the system can be judged on, with what each thing it cannot run misses.
 */
import type { AbilityProbe } from '../../system/check/ability-probes.ts';
import type { EndpointProbe } from '../../system/check/endpoint-probes.ts';
import type { ReadProbe } from '../../system/check/read-probes.ts';
import type { LiveResults, Runnable } from './runnable.ts';

/** The JSON `check-system` writes. */
export interface SystemCheck {
  system: string;
  source?: string;
  seconds: number;
  live?: LiveResults;
  runnable: Runnable[];
  /** Every gate scenario can run. */
  gateRuns: boolean;
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const pad = (text: string, width: number) => text.padEnd(width);

function endpointLines(probes: readonly EndpointProbe[]): string[] {
  const width = Math.max(...probes.map((p) => `${p.endpoint} ${p.request}`.length));
  return probes.map(
    (p) =>
      `  ${mark(p.ok)} ${pad(`${p.endpoint} ${p.request}`, width)}  ${p.ok ? p.got : `${p.got} (contract: ${p.expected})`}`,
  );
}

function readLines(probes: readonly ReadProbe[]): string[] {
  return probes.map((p) => `  ${mark(p.ok)} ${pad(p.read, 22)} ${p.result} (${p.ms} ms)`);
}

function abilityLines(probes: readonly AbilityProbe[]): string[] {
  return probes.map((p) => `  ${mark(p.ok)} ${pad(p.component, 14)} ${pad(p.ability, 10)} ${p.detail} (${p.ms} ms)`);
}

function runnableLines(runnable: readonly Runnable[]): string[] {
  const width = Math.max(...runnable.map((r) => r.name.length));
  return runnable.flatMap((r) => [
    `  ${mark(r.runs)} ${pad(r.kind, 11)} ${pad(r.name, width)}  ${r.tags.join(',')}`,
    ...r.missing.map((m) => `      misses: ${m}`),
    ...(r.without ?? []).map((w) => `      runs without ${w}`),
  ]);
}

/** The terminal report. */
export function checkText(check: SystemCheck): string {
  const lines = [`check-system: ${check.system}${check.source ? ` (${check.source})` : ''}`];
  if (check.live) {
    const failed = (xs: { ok: boolean }[]) => xs.filter((x) => !x.ok).length;
    lines.push(
      '',
      `contract endpoints (${failed(check.live.endpoints)} differ):`,
      ...endpointLines(check.live.endpoints),
    );
    lines.push('', `authoritative reads (${failed(check.live.reads)} failed):`, ...readLines(check.live.reads));
    lines.push(
      '',
      `abilities, each tried and healed (${failed(check.live.abilities)} failed):`,
      ...abilityLines(check.live.abilities),
    );
  }
  const runs = check.runnable.filter((r) => r.runs).length;
  lines.push('', `what it can be judged on (${runs} of ${check.runnable.length}):`, ...runnableLines(check.runnable));
  lines.push(
    '',
    `${check.gateRuns ? 'every gate scenario can run' : 'some gate scenarios cannot run'} · ${check.seconds.toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
