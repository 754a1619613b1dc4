/**
 * A system under test described by a manifest (manifest-schema.ts): what it declares before start
 * (components per API instance count, abilities, bugs, failpoints, promises, metrics), and a start
 * that launches the components that have a command (in parallel, each a process group under the
 * run's watchdog, ready by URL or log line), attaches to those that are already running (abilities
 * by shell commands), and reads the authoritative state with the contract's SQL or the manifest's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InfraError } from '../../core/errors.ts';
import type { Component } from '../../env/proxies.ts';
import { PACKAGE_ROOT } from '../../env/paths.ts';
import { allocatePorts } from '../../env/ports.ts';
import { findFaketimeLib } from '../../env/provision/debian.ts';
import { startWatchdog } from '../../env/watchdog.ts';
import { defaultFailpointAdmin, movableClockEnv } from '../component-abilities.ts';
import { ContractReads } from '../contract-reads.ts';
import { RunningSystem, type HeldComponent } from '../running-system.ts';
import type { AbilityName, ComponentPlan, StartOptions, SystemUnderTest } from '../system.ts';
import { CommandComponent } from './command-component.ts';
import { ExternalComponent } from './external-component.ts';
import type { Manifest, ManifestComponent } from './manifest-schema.ts';
import { expand } from './template.ts';

const READY_TIMEOUT_MS = 90_000;
const COMMAND_TIMEOUT_MS = 60_000;

/** One component as it will run: its manifest entry, its name and (per instance) its number. */
interface Planned extends ComponentPlan {
  entry: ManifestComponent;
  instance?: number;
}

function abilitiesOf(c: ManifestComponent): AbilityName[] {
  const failpoints = c.failpoints?.length ? (['failpoints'] as const) : [];
  if (c.command) return ['kill', 'restart', 'pause', ...failpoints, ...(c.clock ? (['clock'] as const) : [])];
  const a = c.abilities ?? {};
  return [
    ...(a.kill ? (['kill'] as const) : []),
    ...(a.restart ? (['restart'] as const) : []),
    ...(a.pause ? (['pause'] as const) : []),
    ...failpoints,
    ...(a.clock ? (['clock'] as const) : []),
  ];
}

/** The components with `instances` API instances: perInstance entries repeated as `<name>-i`. */
function planOf(manifest: Manifest, instances: number): Planned[] {
  return manifest.components.flatMap((entry) => {
    const abilities = abilitiesOf(entry);
    if (!entry.perInstance) return [{ name: entry.name, kind: entry.kind, abilities, entry }];
    return Array.from({ length: instances }, (_, i) => ({
      name: `${entry.name}-${i + 1}`,
      kind: entry.kind,
      abilities,
      entry,
      instance: i + 1,
    }));
  });
}

/** The template values of one component (template.ts); `url` added once it is expanded. */
function valuesOf(planned: Planned, options: StartOptions, dir: string, port: number | undefined) {
  const { services, paths } = options.endpoints;
  const via: Component =
    planned.entry.paths ?? (['api', 'relay', 'consumers'].includes(planned.kind) ? (planned.kind as Component) : 'api');
  const own = paths[via];
  const values: Record<string, string> = {
    name: planned.name,
    dir,
    root: PACKAGE_ROOT,
    node: process.execPath,
    logLevel: options.logLevel ?? 'info',
    bugs: options.bugs.join(','),
    failpoints: options.failpoints ? 'on' : 'off',
    'postgres.url': own.postgres ?? services.postgres.url,
    'postgres.directUrl': services.postgres.directUrl,
    'redis.url': own.redis ?? services.redis.url,
    'redis.directUrl': services.redis.directUrl,
    'kafka.brokers': (own.kafka ?? services.kafka.brokers).join(','),
    'kafka.directBrokers': services.kafka.directBrokers.join(','),
    'toxiproxy.url': services.toxiproxy.url,
    ...(port !== undefined ? { port: String(port) } : {}),
    ...(planned.instance !== undefined ? { instance: String(planned.instance) } : {}),
  };
  values.url = expand(planned.entry.url, values);
  return values;
}

/** Starts (or attaches to) one component. */
async function startOne(
  planned: Planned,
  values: Record<string, string>,
  options: StartOptions,
  dir: string,
  faketimeLib: string | undefined,
): Promise<HeldComponent> {
  const e = planned.entry;
  const x = (text: string) => expand(text, values);
  const url = values.url as string;
  const common = {
    metricsUrl: e.metricsUrl ? x(e.metricsUrl) : `${url}/metrics`,
    failpointAdmin: e.failpointAdmin ? x(e.failpointAdmin) : defaultFailpointAdmin(url),
    readyTimeoutMs: e.readyTimeout ?? READY_TIMEOUT_MS,
  };
  const failpoints = options.failpoints ? (e.failpoints ?? []) : [];
  if (!e.command) {
    const external = new ExternalComponent(planned.name, planned.kind, url, failpoints, {
      ...common,
      commands: e.abilities ?? {},
      cwd: dir,
      commandTimeoutMs: e.abilityTimeout ?? COMMAND_TIMEOUT_MS,
      readyUrl: e.ready && 'http' in e.ready ? x(e.ready.http) : `${url}/healthz`,
    });
    await external.waitUntilReady(options.signal);
    external.watch();
    return external;
  }
  const [command, ...args] = e.command.map(x);
  const clockFile = faketimeLib && e.clock ? path.join(options.dir, 'clock', `${planned.name}.faketime`) : undefined;
  const ready = !e.ready ? { http: `${url}/healthz` } : 'http' in e.ready ? { http: x(e.ready.http) } : e.ready;
  return CommandComponent.start(
    {
      name: planned.name,
      command: command as string,
      args,
      cwd: path.resolve(dir, e.cwd ? x(e.cwd) : '.'),
      env: {
        ...options.extraEnv,
        ...Object.fromEntries(Object.entries(e.env ?? {}).map(([k, v]) => [k, x(v)])),
        ...(faketimeLib && clockFile ? movableClockEnv(faketimeLib, clockFile) : {}),
      },
      logFile: path.join(options.dir, 'logs', `${planned.name}.log`),
      pidFile: path.join(options.dir, 'pids', `${planned.name}.json`),
      stopSignal: 'SIGTERM',
    },
    { kind: planned.kind, url, failpoints, endpoints: { ...common, ready } },
    { ...(options.signal ? { signal: options.signal } : {}), ...(clockFile ? { clockFile } : {}) },
  );
}

/** Starts every component (in parallel), waits until all are ready; stops those it started on failure. */
async function startManifest(manifest: Manifest, dir: string, options: StartOptions): Promise<RunningSystem> {
  const plan = planOf(manifest, options.instances);
  for (const sub of ['logs', 'pids', 'clock']) fs.mkdirSync(path.join(options.dir, sub), { recursive: true });
  const wantsClock = options.clock && plan.some((p) => p.entry.clock);
  const faketimeLib = wantsClock ? findFaketimeLib() : undefined;
  if (wantsClock && !faketimeLib)
    throw new InfraError(
      'a scenario moves a component clock, and libfaketime is not installed',
      'run `npx cpqchaos env provision` as root, or apt-get install libfaketime',
    );
  const ports = await allocatePorts(plan.length);
  const watchdog = startWatchdog({
    label: manifest.name,
    stop: [path.join(options.dir, 'pids')],
    logFile: path.join(options.dir, 'logs', 'watchdog.log'),
  });
  const results = await Promise.allSettled(
    plan.map((planned, i) =>
      startOne(
        planned,
        valuesOf(planned, options, dir, planned.entry.command ? ports[i] : undefined),
        options,
        dir,
        faketimeLib,
      ),
    ),
  );
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const reads = new ContractReads(
    options.endpoints,
    manifest.reads.sourceStatements,
    manifest.reads.delivery,
    manifest.reads,
  );
  if (failed) {
    await Promise.all(started.map((c) => c.stop({ graceMs: 2000 })));
    await reads.close();
    watchdog.release();
    const error = failed.reason as Error;
    throw error instanceof InfraError ? error : new InfraError(`${manifest.name} did not start: ${error.message}`);
  }
  return new RunningSystem(manifest.name, started, [...options.bugs], reads, watchdog);
}

/** The system `manifest` (read from a file in `dir`) describes, before it starts. */
export function manifestSystem(manifest: Manifest, dir: string): SystemUnderTest {
  return {
    name: manifest.name,
    promises: manifest.promises,
    bugs: manifest.bugs,
    failpoints: [...new Set(manifest.components.flatMap((c) => c.failpoints ?? []))],
    metrics: manifest.metrics,
    plan: (instances) => planOf(manifest, instances).map(({ name, kind, abilities }) => ({ name, kind, abilities })),
    start: (options) => startManifest(manifest, dir, options),
  };
}
