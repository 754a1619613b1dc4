// Unit: the layer rule of eslint.config.js really fails a wrong import — core reaching up, the
// reference implementation reaching into the harness, checkers reaching into I/O — and lets the
// allowed ones through, so `npm run lint` in CI enforces docs/architecture.md's layers; and no file
// of the harness or the scenarios reaches itself through its imports (type-only ones included).
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'cpqchaos/layers').map((m) => m.message);
}

describe('cpqchaos/layers', () => {
  it('fails core importing anything else of the harness', async () => {
    const errors = await layerErrors(
      'harness/core/x.ts',
      "export { startEnvironment } from '../env/environment.ts';\n",
    );
    expect(errors).toEqual([
      'harness/core may not import harness/env/environment.ts: the model only: it imports nothing else of the harness',
    ]);
  });

  it('fails the reference implementation importing the harness or a scenario', async () => {
    const source =
      "import { op } from '../../harness/core/op.ts';\nimport { s } from '../../scenarios/index.ts';\nexport { op, s };\n";
    expect(await layerErrors('reference-impl/app/x.ts', source)).toHaveLength(2);
  });

  it('fails a checker importing the environment, and a lower layer importing the runner', async () => {
    expect(await layerErrors('harness/checkers/x.ts', "export * from '../env/redis.ts';\n")).toHaveLength(1);
    expect(await layerErrors('harness/workload/x.ts', "export * from '../runner/run.ts';\n")).toHaveLength(1);
    expect(await layerErrors('harness/faults/x.ts', "export * from '../../scenarios/index.ts';\n")).toHaveLength(1);
  });

  it('lets allowed imports through', async () => {
    expect(
      await layerErrors('harness/checkers/x.ts', "export * from '../core/op.ts';\nexport * from './publishes.ts';\n"),
    ).toEqual([]);
    expect(await layerErrors('harness/runner/x.ts', "export * from '../workload/generators.ts';\n")).toEqual([]);
    expect(await layerErrors('harness/cli/x.ts', "export * from '../../scenarios/index.ts';\n")).toEqual([]);
    expect(
      await layerErrors('harness/system/reference-system.ts', "export * from '../../reference-impl/app/bugs.ts';\n"),
    ).toEqual([]);
  });

  it('puts the modes above the runner and below the scenarios and the CLI', async () => {
    expect(await layerErrors('harness/modes/load/x.ts', "export * from '../../runner/run.ts';\n")).toEqual([]);
    expect(await layerErrors('harness/runner/x.ts', "export * from '../modes/load/load-plan.ts';\n")).toHaveLength(1);
    expect(await layerErrors('harness/report/x.ts', "export * from '../modes/sections.ts';\n")).toHaveLength(1);
    expect(await layerErrors('harness/modes/x.ts', "export * from '../cli/shared/execute.ts';\n")).toHaveLength(1);
  });

  it('keeps the reference system adapter the only harness file that reads reference-impl', async () => {
    expect(
      await layerErrors('harness/system/other.ts', "export * from '../../reference-impl/app/bugs.ts';\n"),
    ).toHaveLength(1);
  });
});

/** Every .ts file under `dirs`, with the files its relative imports and re-exports name. */
function importGraph(dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const specifier = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const dir of dirs)
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const full = path.join(dir, file);
      const text = fs.readFileSync(full, 'utf8');
      graph.set(
        full,
        [...text.matchAll(specifier)].map((m) => path.join(path.dirname(full), m[1] as string)),
      );
    }
  return graph;
}

/** The first cycle found, as the files around it; empty when there is none. */
function firstCycle(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] => {
    if (state.get(file) === 'done') return [];
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle.length) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return [];
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle.length) return cycle;
  }
  return [];
}

describe('imports', () => {
  it('form no cycle in the harness and the scenarios, type-only imports included', () => {
    expect(firstCycle(importGraph(['harness', 'scenarios']))).toEqual([]);
  });

  it('would name a cycle', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['b.ts']],
    ]);
    expect(firstCycle(graph)).toEqual(['b.ts', 'c.ts', 'b.ts']);
  });
});
