/**
 * `check-system`'s read probes: each authoritative read the checkers use, run once over the tenant
 * the contract probes wrote — what it returned (rows, counts) or the error its SQL or connection
 * gave. A read that fails is a checker that cannot judge.
 */
import type { AuthoritativeReads } from '../system.ts';

export interface ReadProbe {
  read: string;
  ok: boolean;
  /** What came back, in a few words, or the error. */
  result: string;
  ms: number;
}

const count = (value: unknown): string => {
  if (Array.isArray(value)) return `${value.length} row${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value).slice(0, 120);
};

/** Runs every read of `reads` over `tenant`. */
export async function probeReads(reads: AuthoritativeReads, tenant: string): Promise<ReadProbe[]> {
  const tenants = [tenant];
  const all: [string, () => Promise<unknown>, (value: never) => string][] = [
    ['quotes', () => reads.quotes(tenants), count],
    ['orders', () => reads.orders(tenants), count],
    ['footprint', () => reads.footprint(tenants), count],
    ['pendingOutbox', () => reads.pendingOutbox(tenants), count],
    ['undelivered', () => reads.undelivered(tenants), count],
    [
      'ledger',
      () => reads.ledger(tenants),
      (l: { entries: unknown[]; projections?: unknown[] }) =>
        `${l.entries.length} events${l.projections ? `, ${l.projections.length} projections compared` : ''}`,
    ],
    [
      'projectionVersions',
      () => reads.projectionVersions(tenants),
      (v: Record<string, unknown>) => `${Object.keys(v).length} projections`,
    ],
    ['sourceLoads(offering)', () => reads.sourceLoads('offering'), count],
    ['sourceLoads(price)', () => reads.sourceLoads('price'), count],
    [
      'versionPointers',
      () => reads.versionPointers(['catalog', 'pricing', 'policy'].map((d) => `cpq:${tenant}:${d}:active-version`)),
      (v: (number | null)[]) => v.map((x) => x ?? 'absent').join(', '),
    ],
  ];
  const probes: ReadProbe[] = [];
  for (const [read, run, describe] of all) {
    const started = performance.now();
    try {
      const value = await run();
      probes.push({ read, ok: true, result: describe(value as never), ms: Math.round(performance.now() - started) });
    } catch (error) {
      probes.push({
        read,
        ok: false,
        result: (error as Error).message.split('\n')[0] ?? '',
        ms: Math.round(performance.now() - started),
      });
    }
  }
  return probes;
}
