/**
 * `--system <file>`: the system under test a user describes — a manifest (`.yaml`, `.yml`, `.json`,
 * read through its schema) or a TypeScript/JavaScript module exporting a `SystemUnderTest` as
 * `system` or as its default export, for what a manifest cannot say. Anything else, a missing file
 * or a module without one is a usage error (exit 64) before anything starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { readManifest } from './manifest/manifest-read.ts';
import { manifestSystem } from './manifest/manifest-system.ts';
import type { SystemUnderTest } from './system.ts';

const MANIFEST = ['.yaml', '.yml', '.json'];
const MODULE = ['.ts', '.mts', '.js', '.mjs'];

/** Whether `value` has what the harness calls on a system under test. */
function isSystem(value: unknown): value is SystemUnderTest {
  const s = value as Partial<SystemUnderTest> | undefined;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.name === 'string' &&
    typeof s.plan === 'function' &&
    typeof s.start === 'function' &&
    Array.isArray(s.bugs) &&
    Array.isArray(s.failpoints) &&
    typeof s.promises === 'object'
  );
}

/** The system `file` describes (a path relative to the working directory). */
export async function loadSystem(file: string): Promise<SystemUnderTest> {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new UsageError(`--system ${file}: no such file`);
  const ext = path.extname(absolute).toLowerCase();
  if (MANIFEST.includes(ext))
    return { ...manifestSystem(readManifest(file), path.dirname(absolute)), source: absolute };
  if (!MODULE.includes(ext))
    throw new UsageError(
      `--system ${file}: neither a manifest nor a module`,
      `a manifest is ${MANIFEST.join(', ')}; a module is ${MODULE.join(', ')}`,
    );
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--system ${file}: the module did not load: ${(error as Error).message.split('\n')[0]}`);
  }
  const system = [loaded.system, loaded.default].find(isSystem);
  if (!system)
    throw new UsageError(
      `--system ${file}: exports no system under test`,
      'export `system` (or a default) with name, promises, bugs, failpoints, metrics, plan() and start()',
    );
  // Forwarded, not spread: a class instance's methods live on its prototype.
  return {
    name: system.name,
    promises: system.promises,
    bugs: system.bugs,
    failpoints: system.failpoints,
    metrics: system.metrics ?? [],
    plan: (instances) => system.plan(instances),
    start: (options) => system.start(options),
    source: absolute,
  };
}
