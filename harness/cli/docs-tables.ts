/**
 * The catalog tables of the README (and the docs), generated from what `cpqchaos list --json` lists,
 * so prose and code cannot disagree: each table sits between `<!-- catalog:NAME -->` and
 * `<!-- /catalog:NAME -->` markers. `npm run docs:tables` rewrites them; a test fails when the
 * files differ from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { SCENARIOS } from '../../scenarios/index.ts';
import type { Scenario } from '../runner/scenario.ts';

/** One row of `cpqchaos list --json`. */
export interface CatalogRow {
  name: string;
  family: string;
  tags: string[];
  faults: string[];
  checkers: string[];
  requires: string[];
  purpose: string;
  timeLimitS: number;
}

/** The catalog row of a scenario (what `list` prints). */
export function catalogRow(s: Scenario): CatalogRow {
  return {
    name: s.name,
    family: s.family,
    tags: [...s.tags],
    faults: [...s.faultNames],
    checkers: s.checkers.map((c) => c.name),
    requires: s.requires.map((r) => `${r.component}: ${r.abilities.join(', ')}`),
    purpose: s.purpose,
    timeLimitS: s.timeLimitS,
  };
}

const code = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(', ') || '–';
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** A markdown table of the scenarios tagged `tag`: name, family, faults, checkers, purpose. */
export function scenarioTable(rows: readonly CatalogRow[], tag: string): string {
  const lines = [
    '| scenario | family | faults | checkers | what it proves |',
    '| --- | --- | --- | --- | --- |',
    ...rows
      .filter((r) => r.tags.includes(tag))
      .map(
        (r) =>
          `| \`${r.name}\` | ${r.family} | ${cell(r.faults.join(', ') || '–')} | ${code(r.checkers)} | ${cell(r.purpose)} |`,
      ),
  ];
  return lines.join('\n');
}

/** Every generated table, by marker name. */
export function docTables(rows: readonly CatalogRow[] = SCENARIOS.map(catalogRow)): Record<string, string> {
  return { gate: scenarioTable(rows, 'gate'), nightly: scenarioTable(rows, 'nightly') };
}

/** `text` with each marked section's body replaced by its table; names without markers are left out. */
export function spliceTables(text: string, tables: Readonly<Record<string, string>>): string {
  return Object.entries(tables).reduce((out, [name, table]) => {
    const open = `<!-- catalog:${name} -->`;
    const close = `<!-- /catalog:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start === -1 || end < start) return out;
    return `${out.slice(0, start + open.length)}\n\n${table}\n\n${out.slice(end)}`;
  }, text);
}

/** The files that carry catalog tables. */
export const DOC_FILES = ['README.md'];

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `file` (under `root`) as it should read: its tables from the registry, formatted as the repository formats markdown. */
export async function expectedDoc(file: string, root = ROOT): Promise<{ current: string; expected: string }> {
  const full = path.join(root, file);
  const current = fs.readFileSync(full, 'utf8');
  const options = (await prettier.resolveConfig(full)) ?? {};
  const expected = await prettier.format(spliceTables(current, docTables()), { ...options, filepath: full });
  return { current, expected };
}

/** Rewrites the tables of every doc file from the registry; returns the files that changed. */
export async function writeDocTables(root = ROOT): Promise<string[]> {
  const changed: string[] = [];
  for (const file of DOC_FILES) {
    const { current, expected } = await expectedDoc(file, root);
    if (current === expected) continue;
    fs.writeFileSync(path.join(root, file), expected);
    changed.push(file);
  }
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const changed = await writeDocTables();
  process.stdout.write(
    changed.length ? `rewrote the catalog tables of ${changed.join(', ')}\n` : 'catalog tables up to date\n',
  );
}
