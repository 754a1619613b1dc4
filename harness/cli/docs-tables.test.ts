// Unit: the README's catalog tables are the registry's — a scenario added, retagged or given other
// checkers without `npm run docs:tables` fails here — and the splice replaces only what is marked.
import { describe, expect, it } from 'vitest';
import { DOC_FILES, docTables, expectedDoc, scenarioTable, spliceTables, type CatalogRow } from './docs-tables.ts';

const row = (name: string, tags: string[]): CatalogRow => ({
  name,
  family: 'cache',
  tags,
  faults: ['redis-outage'],
  checkers: ['bounded-staleness'],
  requires: [],
  purpose: 'a | b',
  timeLimitS: 10,
});

describe('catalog tables', () => {
  it('list the scenarios of a tag with their faults, checkers and purpose', () => {
    const table = scenarioTable([row('a', ['gate']), row('b', ['nightly'])], 'gate');
    expect(table.split('\n')).toEqual([
      '| scenario | family | faults | checkers | what it proves |',
      '| --- | --- | --- | --- | --- |',
      '| `a` | cache | redis-outage | `bounded-staleness` | a \\| b |',
    ]);
  });

  it('replace only the marked sections', () => {
    const text = 'before\n<!-- catalog:gate -->\nold\n<!-- /catalog:gate -->\nafter\n';
    expect(spliceTables(text, { gate: 'NEW', nightly: 'unused' })).toBe(
      'before\n<!-- catalog:gate -->\n\nNEW\n\n<!-- /catalog:gate -->\nafter\n',
    );
  });

  it('are up to date in every doc file (npm run docs:tables rewrites them)', async () => {
    for (const file of DOC_FILES) {
      const { current, expected } = await expectedDoc(file);
      for (const name of Object.keys(docTables()))
        expect(current, `${file}: ${name}`).toContain(`<!-- catalog:${name} -->`);
      expect(current, `${file} differs from the registry: run npm run docs:tables`).toBe(expected);
    }
  });
});
