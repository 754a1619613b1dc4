/**
 * `cpqchaos env up|down|status|provision`: the environment from the command line (contract
 * sections 1–2). `up` returns while the services keep running; `down` stops them and removes their
 * data; both first clean environments left behind by crashed runs.
 */
import path from 'node:path';
import { environmentUp, serviceStates } from '../env/attach.ts';
import { resolveBackend } from '../env/backend.ts';
import type { EnvironmentEndpoints } from '../env/endpoints.ts';
import { startEnvironment } from '../env/environment.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import { cleanLeftovers, removeEnvironmentDir } from '../env/leftovers.ts';
import { readManifest } from '../env/manifest.ts';
import { envStateFile } from '../env/paths.ts';
import { provisionAll } from '../env/provision/index.ts';
import { readEnvState, removeEnvState, writeEnvState } from '../env/state-file.ts';
import { parseFlags } from './shared/args.ts';

const HELP = `usage: cpqchaos env <command>

  up [--json] [--backend auto|native|testcontainers]
                                                  provision (first time) and start PostgreSQL, Redis,
                                                  Kafka and Toxiproxy — processes, or containers on a
                                                  Docker engine; print the endpoints and write them to
                                                  .cpqchaos/env.json; return while they run
  down [--all]                                    stop everything 'env up' started, remove its data;
                                                  --all also stops the private Docker engine
  status [--json]                                 which services are up, with their endpoints
  provision                                       install/build everything once (incl. k6) into the cache
`;

/** The endpoints as a short human-readable table. */
function describe(endpoints: EnvironmentEndpoints): string {
  const { postgres, redis, kafka, toxiproxy } = endpoints.services;
  return [
    `environment ${endpoints.id} (${endpoints.backend})`,
    `  postgres   ${postgres.url}   direct ${postgres.directUrl}`,
    `  redis      ${redis.url}   direct ${redis.directUrl}`,
    `  kafka      ${kafka.brokers.join(',')}   direct ${kafka.directBrokers.join(',')}`,
    `  toxiproxy  ${toxiproxy.url}   proxies: ${endpoints.proxies.join(', ')}`,
    `  written to ${path.relative(process.cwd(), envStateFile()) || envStateFile()}`,
  ].join('\n');
}

async function up(argv: string[]): Promise<number> {
  const { values } = parseFlags('env up', argv, {
    json: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
  });
  const backend = await resolveBackend(values.backend as string);
  await cleanLeftovers();
  const existing = readEnvState();
  if (existing) {
    if (await environmentUp(existing.dir)) {
      process.stderr.write(`env up: already up (environment ${existing.id})\n`);
      process.stdout.write(values.json ? `${JSON.stringify(existing, null, 2)}\n` : `${describe(existing)}\n`);
      return EXIT.ok;
    }
    process.stderr.write(`env up: environment ${existing.id} is partly down; replacing it\n`);
    await removeEnvironmentDir(existing.dir);
    removeEnvState();
  }
  const started = Date.now();
  const env = await startEnvironment({
    backend,
    stateFile: envStateFile(),
    onProgress: (message) => process.stderr.write(`env up: ${message}\n`),
  });
  writeEnvState(env.endpoints);
  env.detach();
  process.stderr.write(
    `env up: ready in ${((Date.now() - started) / 1000).toFixed(1)} s; stop with: npx cpqchaos env down\n`,
  );
  process.stdout.write(values.json ? `${JSON.stringify(env.endpoints, null, 2)}\n` : `${describe(env.endpoints)}\n`);
  return EXIT.ok;
}

async function down(argv: string[]): Promise<number> {
  const { values } = parseFlags('env down', argv, { all: { type: 'boolean', default: false } });
  const existing = readEnvState();
  if (existing) {
    const started = Date.now();
    await removeEnvironmentDir(existing.dir);
    removeEnvState();
    process.stdout.write(`environment ${existing.id} stopped in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const leftovers = await cleanLeftovers();
  if (leftovers.length > 0) process.stdout.write(`cleaned leftover environments: ${leftovers.join(', ')}\n`);
  if (!existing && leftovers.length === 0) process.stdout.write('no environment was up\n');
  if (values.all) {
    const { stopPrivateEngine } = await import('../env/containers/engine.ts');
    if (await stopPrivateEngine()) process.stdout.write('private Docker engine stopped\n');
  }
  return EXIT.ok;
}

async function status(argv: string[]): Promise<number> {
  const { values } = parseFlags('env status', argv, { json: { type: 'boolean', default: false } });
  const existing = readEnvState();
  const services = existing && readManifest(existing.dir) ? await serviceStates(existing.dir) : undefined;
  const report = {
    up: services !== undefined && Object.values(services).every((service) => service.up),
    ...(existing ? { id: existing.id, backend: existing.backend, dir: existing.dir } : {}),
    services: services ?? {},
    ...(existing ? { endpoints: existing } : {}),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (!existing) {
    process.stdout.write('no environment is up (start one with: npx cpqchaos env up)\n');
  } else {
    const lines = Object.entries(report.services).map(
      ([name, service]) =>
        `  ${name.padEnd(10)} ${service.up ? 'up  ' : 'DOWN'} ${service.container ? `container ${service.container} ` : ''}${service.pid ? `pid ${service.pid}` : ''}`,
    );
    process.stdout.write(`${describe(existing)}\n${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}

async function provision(argv: string[]): Promise<number> {
  parseFlags('env provision', argv, {});
  const started = Date.now();
  const tools = await provisionAll();
  process.stdout.write(
    [
      `postgres   ${tools.postgresBin}`,
      `redis      ${tools.redisServer}`,
      `kafka      ${tools.kafka.libs}`,
      `toxiproxy  ${tools.toxiproxyServer}`,
      `k6         ${tools.k6}`,
      `provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ].join('\n') + '\n',
  );
  return EXIT.ok;
}

/** Runs `cpqchaos env …`; returns the exit code. */
export async function envCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  switch (sub) {
    case 'up':
      return up(rest);
    case 'down':
      return down(rest);
    case 'status':
      return status(rest);
    case 'provision':
      return provision(rest);
    default:
      throw new UsageError(`unknown env command '${sub}'`, 'use one of: up, down, status, provision');
  }
}
