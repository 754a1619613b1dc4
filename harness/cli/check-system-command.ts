/**
 * `cpqchaos check-system [FILE]`: what a system (a manifest or module, default the reference
 * CPQ/OMS) can be judged on. It starts the system against an environment (the one `env up` left,
 * or its own), probes every contract endpoint with a valid and an invalid request, runs each
 * authoritative read once, tries every ability of every component and heals it, and prints — and
 * writes as JSON — the table of scenarios, drills and exploration families it can run, with what
 * each other one misses. `--static` skips starting anything. Exit 0 when every gate scenario can
 * run, 1 otherwise.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { resolveBackend } from '../env/backend.ts';
import { startEnvironment } from '../env/environment.ts';
import { stateDir } from '../env/paths.ts';
import { probeAbilities } from '../system/check/ability-probes.ts';
import { probeEndpoints } from '../system/check/endpoint-probes.ts';
import { probeReads } from '../system/check/read-probes.ts';
import type { StartedSystem, SystemUnderTest } from '../system/system.ts';
import { checkText, type SystemCheck } from './check-system/check-report.ts';
import { whatCanRun, type LiveResults } from './check-system/runnable.ts';
import { parseFlags } from './shared/args.ts';
import { help, integer, wantsHelp } from './shared/options.ts';
import { attachRunningEnvironment, systemFrom } from './shared/system.ts';

const HELP = `usage: cpqchaos check-system [FILE] [--instances N] [--static] [--json] [--out FILE] [--backend B]

What a system can be judged on. FILE is a manifest (.yaml, .json) or a module (.ts, .js) exporting a
SystemUnderTest (default: the built-in reference CPQ/OMS; docs/your-system.md). Starts it against
the environment 'env up' left (or its own), probes every contract endpoint with a valid and an
invalid request, runs each authoritative read once, tries every ability of every component (and
heals it), then lists every scenario, drill and exploration family it can run and what each other
one misses. Exit 0 when every gate scenario can run, 1 otherwise.

  --instances N   API instances to start, 1–16 (default 2)
  --static        only what the system declares: start nothing
  --json          print the JSON instead of the table
  --out FILE      where the JSON goes (default .cpqchaos/check-system.json)
  --backend B     auto (default), native or testcontainers, for an environment of its own
`;

/** Waits (up to 30 s) until the probes' events are delivered; a system that never settles is probed as it is. */
async function settled(system: StartedSystem, tenant: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if ((await system.reads.undelivered([tenant]).catch(() => 0)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts `system`, probes it, stops it; the environment too when it started one. */
async function tryLive(system: SystemUnderTest, instances: number, backend: string): Promise<LiveResults> {
  const say = (line: string) => process.stderr.write(`check-system: ${line}\n`);
  const attached = await attachRunningEnvironment();
  say(attached ? 'using the environment env up started' : 'starting an environment');
  const env = attached ?? (await startEnvironment({ backend: await resolveBackend(backend) }));
  let started: StartedSystem | undefined;
  try {
    say(`starting the ${system.name}`);
    const clock = system.plan(instances).some((c) => c.abilities.includes('clock'));
    started = await system.start({
      endpoints: env.endpoints,
      bugs: [],
      instances,
      failpoints: true,
      clock,
      dir: path.join(stateDir(), 'check-system', randomUUID().slice(0, 8)),
      logLevel: 'warn',
    });
    const tenant = `check-${randomUUID().slice(0, 8)}`;
    const api = started.apiUrls[0];
    if (!api) throw new UsageError(`the ${system.name} started no API instance`);
    say('probing the contract endpoints');
    const described = started.describe();
    const components = described.components.map((c, i) => ({
      name: c.name,
      url: c.url,
      metricsUrl: described.metrics[i] ?? `${c.url}/metrics`,
    }));
    const endpoints = await probeEndpoints(api, tenant, components);
    say('running each authoritative read');
    const reads = await probeReads(started.reads, tenant);
    // Armed failpoints must not meet the probes' own events on their way: let them be delivered first.
    await settled(started, tenant);
    say('trying every ability of every component');
    const abilities = await probeAbilities(started);
    return { endpoints, reads, abilities };
  } finally {
    await started?.stop().catch(() => undefined);
    if (!attached) await env.stop().catch(() => undefined);
  }
}

export async function checkSystemCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { values, positionals } = parseFlags(
    'check-system',
    argv,
    {
      instances: { type: 'string' },
      static: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
    },
    true,
  );
  if (positionals.length > 1) throw new UsageError(`check-system takes one system file, got ${positionals.join(' ')}`);
  const started = performance.now();
  const system = await systemFrom(positionals[0]);
  const instances = integer('--instances', values.instances as string | undefined, 1, 16) ?? 2;
  const live = values.static ? undefined : await tryLive(system, instances, values.backend as string);
  const runnable = whatCanRun(system, live);
  const check: SystemCheck = {
    system: system.name,
    ...(system.source ? { source: system.source } : {}),
    seconds: (performance.now() - started) / 1000,
    ...(live ? { live } : {}),
    runnable,
    gateRuns: runnable.filter((r) => r.tags.includes('gate')).every((r) => r.runs),
  };
  const out = path.resolve((values.out as string | undefined) ?? path.join(stateDir(), 'check-system.json'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(check, null, 2)}\n`);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(check, null, 2)}\n`
      : `${checkText(check)}JSON: ${path.relative(process.cwd(), out)}\n`,
  );
  return check.gateRuns ? 0 : 1;
}
