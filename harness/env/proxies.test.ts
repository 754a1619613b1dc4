// Unit: the proxy topology gives every component its own path to each service it uses.
import { describe, expect, it } from 'vitest';
import { PROXY_TOPOLOGY, proxyName } from './proxies.ts';

describe('PROXY_TOPOLOGY', () => {
  it('has unique names of the form component-service', () => {
    const names = PROXY_TOPOLOGY.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PROXY_TOPOLOGY) expect(p.name).toBe(proxyName(p.component, p.service));
  });

  it('covers the paths faults must be able to cut one at a time', () => {
    const names = PROXY_TOPOLOGY.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['api-redis', 'api-postgres', 'relay-postgres', 'relay-kafka', 'consumers-kafka']),
    );
  });
});
