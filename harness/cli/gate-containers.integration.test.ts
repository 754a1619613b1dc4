// Integration: the gate's self-check under the testcontainers backend. The same targeted runs as the
// native self-check (gate.integration.test.ts), for one planted bug of each family — cache and
// messaging — with services and every component of the system as containers on a Docker engine
// (the user's, or the private one provisioned here: docker.io, a debootstrapped base, images built
// from Debian packages). While a run goes, the engine shows every service and component as a
// container carrying the run's label; after it, none is left.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { dockerAt, ENV_LABEL } from '../env/containers/docker-client.ts';
import { ensureEngine } from '../env/containers/engine.ts';
import { runCli } from '../env/testing/clients.ts';

interface Summary {
  valid: boolean | 'unknown';
  bugs: string[];
  scenarios: { name: string; checkers: { name: string; valid: boolean | 'unknown' }[] }[];
}

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-containers-'));
const env = { CPQCHAOS_RUN_ROOT: path.join(cwd, 'envs') };
const SEED = String(process.env.CPQCHAOS_GATE_SEED ?? 20261124);
let docker: Docker;

/** Labelled containers on the engine: service label → count, sampled every second while `during` runs. */
async function sampleContainers<T>(during: Promise<T>): Promise<{ result: T; seen: Set<string> }> {
  const seen = new Set<string>();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const list = await docker.listContainers({ filters: { label: [ENV_LABEL] } }).catch(() => []);
      for (const c of list) seen.add(c.Labels['cpqchaos.service'] ?? c.Names[0] ?? c.Id);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const result = await during.finally(() => (done = true));
  await sampler;
  return { result, seen };
}

/** `cpqchaos run <args…> --backend testcontainers` as a user runs it; its code, summary and run.json. */
async function runInContainers(args: string[]) {
  const { result, seen } = await sampleContainers(
    runCli(['run', ...args, '--backend', 'testcontainers', '--seed', SEED, '--out', 'reports'], cwd, env),
  );
  const latest = path.join(cwd, 'reports/latest');
  const summary = JSON.parse(fs.readFileSync(path.join(latest, 'summary.json'), 'utf8')) as Summary;
  const runJson = JSON.parse(fs.readFileSync(path.join(latest, 'run.json'), 'utf8')) as {
    backend: string;
    images: Record<string, string>;
  };
  const leftover = await docker.listContainers({ all: true, filters: { label: [ENV_LABEL] } });
  const output = `${result.stdout}\n${result.stderr.split('\n').slice(-25).join('\n')}`;
  return { code: result.code, summary, runJson, seen, leftover, output };
}

const failing = (summary: Summary) =>
  summary.scenarios.flatMap((s) => s.checkers.filter((c) => c.valid === false).map((c) => c.name));

describe('gate self-check under testcontainers', () => {
  beforeAll(async () => {
    docker = dockerAt((await ensureEngine()).host);
  }, 300_000);

  it('passes on the correct system, every service and component a container, none left after', async () => {
    const { code, summary, runJson, seen, leftover, output } = await runInContainers([
      'stale-price-submit',
      'consumer-crash-redelivery',
    ]);
    expect(failing(summary), output).toEqual([]);
    expect(code, output).toBe(0);
    expect(runJson.backend).toBe('testcontainers');
    expect(Object.keys(runJson.images).sort()).toEqual(['kafka', 'postgres', 'redis', 'system', 'toxiproxy']);
    for (const name of [
      'postgres',
      'redis',
      'kafka',
      'toxiproxy',
      'api-1',
      'api-2',
      'relay',
      'consumers',
      'invalidation',
    ])
      expect([...seen], `container ${name} while the run went`).toContainEqual(name);
    expect(leftover.map((c) => c.Names[0])).toEqual([]);
  }, 900_000);

  it('catches submit-trusts-cache (cache family) with no-stale-submit', async () => {
    const { code, summary, leftover, output } = await runInContainers([
      'stale-price-submit',
      '--bugs',
      'submit-trusts-cache',
    ]);
    expect(summary.bugs).toEqual(['submit-trusts-cache']);
    expect(failing(summary), output).toContain('no-stale-submit');
    expect(code, output).toBe(1);
    expect(leftover).toEqual([]);
  }, 600_000);

  it('catches consumer-no-dedupe (messaging family) with effects-exactly-once', async () => {
    const { code, summary, leftover, output } = await runInContainers([
      'consumer-crash-redelivery',
      '--bugs',
      'consumer-no-dedupe',
    ]);
    expect(summary.bugs).toEqual(['consumer-no-dedupe']);
    expect(failing(summary), output).toContain('effects-exactly-once');
    expect(code, output).toBe(1);
    expect(leftover).toEqual([]);
  }, 600_000);

  it('stops with exit 255 naming an image that can be neither found nor pulled, and both ways out', async () => {
    const result = await runCli(['run', 'redis-outage', '--backend', 'testcontainers'], cwd, {
      ...env,
      CPQCHAOS_IMAGE_REDIS: 'cpqchaos/no-such-redis:0',
    });
    expect(result.code, result.stderr).toBe(255);
    expect(result.stderr).toContain('image cpqchaos/no-such-redis:0 (CPQCHAOS_IMAGE_REDIS)');
    expect(result.stderr).toContain('unset CPQCHAOS_IMAGE_REDIS');
    expect(await docker.listContainers({ all: true, filters: { label: [ENV_LABEL] } })).toEqual([]);
  }, 300_000);
});
