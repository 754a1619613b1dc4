// Unit: system manifests — the example describing the reference CPQ/OMS declares exactly what the
// built-in reference system declares (components per instance count, abilities, bugs, failpoints,
// promises), every kind of mistake is one usage error line naming the file and field, templates
// expand only known variables, and `--system` loads manifests and modules and refuses anything else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { loadSystem } from '../load-system.ts';
import { referenceSystem } from '../reference-system.ts';
import { expectedManifestSchemaFile, MANIFEST_SCHEMA_FILE } from './manifest-json-schema.ts';
import { parseManifest } from './manifest-read.ts';
import { expand, unknownVariables } from './template.ts';

const EXAMPLE = path.resolve('examples/reference-system.yaml');

const API = `
name: mine
components:
  - name: api
    kind: api
    perInstance: true
    command: ['\${node}', 'server.js']
    env: { PORT: '\${port}', DB: '\${postgres.url}' }
    url: http://127.0.0.1:\${port}
`;

/** The usage error `text` gets, as its message lines. */
function problems(text: string): string[] {
  try {
    parseManifest(text, 'm.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the manifest was accepted');
}

describe('the example manifest of the reference system', () => {
  it('declares what the built-in reference system declares', async () => {
    const system = await loadSystem(EXAMPLE);
    for (const instances of [1, 2, 3]) expect(system.plan(instances)).toEqual(referenceSystem.plan(instances));
    expect([...system.bugs].sort()).toEqual([...referenceSystem.bugs].sort());
    expect([...system.failpoints].sort()).toEqual([...referenceSystem.failpoints].sort());
    expect(system.promises).toEqual(referenceSystem.promises);
    expect(system.metrics.filter((m) => !referenceSystem.metrics.includes(m))).toEqual([]);
    expect(system.source).toBe(EXAMPLE);
  });
});

describe('the example of the reference system already running in containers', () => {
  it('declares the same components, with abilities by command', async () => {
    const docker = path.resolve('examples/reference-in-docker.yaml');
    const system = await loadSystem(docker);
    expect(system.plan(2)).toEqual(referenceSystem.plan(2));
    expect(system.promises).toEqual(referenceSystem.promises);
    const script = path.resolve('examples/reference-in-docker.sh');
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(docker, 'utf8')).toContain('kill: ./reference-in-docker.sh kill api-1');
  });
});

describe('the manifests’ JSON Schema', () => {
  it('is the one the schema writes (npm run schemas), names the example and passes it, and flags mistakes', async () => {
    expect(fs.readFileSync(MANIFEST_SCHEMA_FILE, 'utf8'), 'run npm run schemas').toBe(
      await expectedManifestSchemaFile(),
    );
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
      JSON.parse(fs.readFileSync(MANIFEST_SCHEMA_FILE, 'utf8')) as object,
    );
    const text = fs.readFileSync(EXAMPLE, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./system.schema.json');
    const example = parseYaml(text, { merge: true }) as Record<string, unknown>;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...example, colour: 'red' })).toBe(false);
    expect(validate({ ...example, components: [{ name: 'api', kind: 'api' }] })).toBe(false);
    expect(validate({ ...example, promises: { stalenessBudgetMs: 'soon' } })).toBe(false);
  });
});

describe('a manifest with a mistake', () => {
  it('is accepted when right, with defaults', () => {
    const m = parseManifest(API, 'm.yaml');
    expect(m.components[0]?.name).toBe('api');
    expect(m.bugs).toEqual([]);
    expect(m.reads).toEqual({});
  });

  it.each([
    [
      API.replace('${postgres.url}', '${postgress.url}'),
      'm.yaml: components[0].env.DB: unknown variable ${postgress.url}',
    ],
    [API.replace('kind: api', 'kind: relay'), 'm.yaml: components[0].perInstance: is for components of kind api'],
    [`${API}  - name: api\n    kind: relay\n    url: x\n`, 'm.yaml: components[1].name: api is listed twice'],
    [API.replace('    url:', '    colour: red\n    url:'), 'm.yaml: components[0].colour: Unrecognized key: "colour"'],
    [
      API.replace('perInstance: true', 'readyTimeout: soon'),
      'm.yaml: components[0].readyTimeout: must be a duration like 500ms, 30s, 5m or 2h',
    ],
    [
      API.replace('perInstance: true', "failpointAdmin: 'http://x/fp'"),
      'm.yaml: components[0].failpointAdmin: must contain {name}',
    ],
    ['name: x\ncomponents: []\n', 'm.yaml: components: must list at least one component'],
    ['components: []\n', 'm.yaml: name: is required'],
  ])('%#: one line names the field', (text, line) => {
    expect(problems(text)).toContain(line);
  });

  it('says what a component the harness does not start cannot have', () => {
    const external = `
name: theirs
components:
  - name: api-1
    kind: api
    url: http://10.0.0.5:8080
    clock: true
    ready: { log: started }
    abilities: { kill: 'docker kill api-1', pause: 'docker pause api-1' }
`;
    expect(problems(external)).toEqual([
      'm.yaml: components[0].clock: needs a command (a running component moves its clock by abilities.clock)',
      'm.yaml: components[0].ready: a log line needs a command (the harness reads its output)',
      'm.yaml: components[0].abilities: pause needs resume',
      'm.yaml: components[0].abilities: kill needs start or restart (how it comes back)',
    ]);
  });

  it('is refused when not a mapping, not YAML, or without an API', () => {
    expect(problems('- a\n- b\n')).toEqual(['m.yaml: a system manifest must be a mapping']);
    expect(problems('name: [unclosed\n')[0]).toMatch(/^m\.yaml: not valid YAML or JSON: /);
    expect(problems('name: x\ncomponents:\n  - { name: relay, kind: relay, url: x }\n')).toEqual([
      'm.yaml: components: needs at least one component of kind api',
    ]);
  });
});

describe('templates', () => {
  it('expand known variables and name unknown ones', () => {
    expect(expand('http://127.0.0.1:${port}/x', { port: '8080' })).toBe('http://127.0.0.1:8080/x');
    expect(unknownVariables('${port} ${nope} ${kafka.brokers}')).toEqual(['nope']);
    expect(() => expand('${instance}', { port: '1' })).toThrow('${instance} has no value for this component');
  });
});

describe('--system', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'system-'));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('loads a module that exports a system, and forwards its methods', async () => {
    const f = file(
      'mine.mjs',
      `class Mine { name = 'mine'; promises = {}; bugs = ['b']; failpoints = []; metrics = [];
         plan(n) { return [{ name: 'api-' + n, kind: 'api', abilities: [] }]; }
         start() { throw new Error('not here'); } }
       export const system = new Mine();`,
    );
    const system = await loadSystem(f);
    expect(system.name).toBe('mine');
    expect(system.plan(2)).toEqual([{ name: 'api-2', kind: 'api', abilities: [] }]);
    expect(system.source).toBe(f);
  });

  it.each([
    ['missing.yaml', undefined, /no such file/],
    ['system.toml', 'a = 1', /neither a manifest nor a module/],
    ['empty.mjs', 'export const x = 1;', /exports no system under test/],
    ['broken.mjs', 'export const = ;', /the module did not load/],
  ])('refuses %s', async (name, text, message) => {
    const f = text === undefined ? path.join(dir, name) : file(name, text);
    await expect(loadSystem(f)).rejects.toThrow(message);
    await expect(loadSystem(f)).rejects.toBeInstanceOf(UsageError);
  });
});
