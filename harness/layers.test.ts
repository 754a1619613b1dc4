// Unit: the layer rule of eslint.config.js really fails a wrong import — core reaching up, the
// reference implementation reaching into the harness, checkers reaching into I/O — and lets the
// allowed ones through, so `npm run lint` in CI enforces docs/architecture.md's layers.
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

  it('keeps the reference system adapter the only harness file that reads reference-impl', async () => {
    expect(
      await layerErrors('harness/system/other.ts', "export * from '../../reference-impl/app/bugs.ts';\n"),
    ).toHaveLength(1);
  });
});
