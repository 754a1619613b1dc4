// Lint set-up: typescript-eslint's recommended rules on every TypeScript file, no `any` at module
// boundaries, no file over 300 lines, and the layers of docs/architecture.md enforced by the local rule
// `cpqchaos/layers`: a folder imports only the folders below it (LAYERS), so a wrong import fails
// `npm run lint` in CI. k6 scripts (plain JavaScript run by k6, not Node) are linted as scripts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Each layer and the layers it may import, bottom up. A file's layer is the first entry whose
 * folder holds it; imports inside one layer are always allowed. Packages (non-relative imports)
 * are not layers and are not restricted here.
 */
const BUILDING_BLOCKS = [
  'harness/core',
  'harness/env',
  'harness/system',
  'harness/checkers',
  'harness/faults',
  'harness/workload',
];

export const LAYERS = [
  { layer: 'harness/core', may: [], why: 'the model only: it imports nothing else of the harness' },
  { layer: 'harness/env', may: ['harness/core'] },
  {
    layer: 'harness/system',
    may: ['harness/core', 'harness/env'],
    // The reference system's adapter reads its planted-bug and failpoint names and its budgets
    // where they are defined.
    files: {
      'harness/system/reference-system.ts': [
        'reference-impl/app/bugs.ts',
        'reference-impl/app/failpoints.ts',
        'reference-impl/app/metrics.ts',
        'reference-impl/budgets.ts',
      ],
    },
    // Tests of the seam drive the reference system with the harness's own faults and workload.
    tests: ['harness/faults', 'harness/workload'],
  },
  { layer: 'harness/checkers', may: ['harness/core'], why: 'checkers are pure functions of the history' },
  { layer: 'harness/faults', may: ['harness/core', 'harness/env', 'harness/system'] },
  {
    layer: 'harness/workload',
    may: ['harness/core', 'harness/env', 'harness/system', 'harness/checkers', 'harness/faults'],
  },
  { layer: 'harness/report', may: ['harness/core', 'harness/checkers'] },
  { layer: 'harness/runner', may: [...BUILDING_BLOCKS, 'harness/report'] },
  {
    layer: 'harness/modes',
    may: [...BUILDING_BLOCKS, 'harness/report', 'harness/runner'],
    why: 'a mode (explore, load, gameday) drives runs: it sits on the runner and reports, below the scenarios and the CLI',
  },
  // The gate replays the counterexamples explore recorded (modes/explore/failure-db.ts).
  { layer: 'scenarios', may: [...BUILDING_BLOCKS, 'harness/runner', 'harness/modes'] },
  { layer: 'harness/cli', may: ['harness', 'scenarios'], also: ['harness/cli.ts'] },
  { layer: 'reference-impl', may: [], why: 'the system under test is a leaf: it imports nothing of the harness' },
];

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const inside = (file, folder) => file === folder || file.startsWith(`${folder}/`);
const layerOf = (file) => LAYERS.find((l) => inside(file, l.layer) || (l.also ?? []).includes(file));
const isTest = (file) => /\.test\.ts$/.test(file) || file.includes('/testing/');

/** The `cpqchaos/layers` rule: reports a relative import that crosses into a layer not allowed. */
const layersRule = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{from}} may not import {{to}}: {{why}}' } },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const own = layerOf(file);
    if (!own) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(ROOT, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      if (inside(target, own.layer)) return;
      const allowed = [...own.may, ...(isTest(file) ? (own.tests ?? []) : []), ...((own.files ?? {})[file] ?? [])];
      if (allowed.some((folder) => inside(target, folder))) return;
      const why = own.why ?? `${own.layer} imports only ${own.may.join(', ') || 'itself'}`;
      context.report({ node, messageId: 'layer', data: { from: own.layer, to: target, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', '.cpqchaos/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { cpqchaos: { rules: { layers: layersRule } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 300 }],
      'cpqchaos/layers': 'error',
    },
  },
  {
    // k6 scripts run inside k6, which provides __ENV and the k6/* modules.
    files: ['k6/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
  {
    // bin/ and the game days' runbook actions (zx scripts) run on Node.
    files: ['bin/**/*.mjs', 'scenarios/gamedays/actions/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' },
    },
  },
);
