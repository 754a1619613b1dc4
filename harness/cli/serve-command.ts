/**
 * `cpqchaos serve [--bugs a,b] [--instances N] [--failpoints] [--backend B]`: runs the system under test (the
 * reference CPQ/OMS) against the running environment in the foreground. Once every component answers it writes
 * `.cpqchaos/system.json` and prints a line starting `ready`; SIGINT/SIGTERM stop every component.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXIT, InfraError, UsageError } from '../core/errors.ts';
import { parseBackendChoice } from '../env/backend.ts';
import { stateDir } from '../env/paths.ts';
import { readEnvState } from '../env/state-file.ts';
import { parseBugs } from '../system/system.ts';
import { attachRunningEnvironment, SYSTEM, SYSTEM_HELP, systemFrom, systemStateFile } from './shared/system.ts';
import { parseFlags } from './shared/args.ts';

const HELP = `usage: cpqchaos serve [--bugs a,b] [--instances N] [--failpoints] [--backend B] [--system FILE]

Runs the reference CPQ/OMS (N API instances, the outbox relay, the consumers) — or the system
--system describes — against the environment 'env up' started, until SIGINT/SIGTERM. Writes
.cpqchaos/system.json when ready.

  --bugs a,b      planted bugs to switch on: ${SYSTEM.bugs.join(', ')}
  --instances N   API instances, 1–16 (default 2)
  --failpoints    enable the loopback failpoint admin routes
  --backend B     auto (default: the environment's), native (processes) or testcontainers
                  (containers); it must match the backend of the environment 'env up' started
${SYSTEM_HELP}
`;

export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const { values } = parseFlags('serve', argv, {
    bugs: { type: 'string' },
    instances: { type: 'string', default: '2' },
    failpoints: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'auto' },
    system: { type: 'string' },
  });
  const backendChoice = parseBackendChoice(values.backend as string);
  const sut = await systemFrom(values.system as string | undefined);
  const bugs = parseBugs(sut, values.bugs as string | undefined);
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16)
    throw new UsageError(`--instances must be a whole number from 1 to 16, got '${values.instances}'`);
  const env = await attachRunningEnvironment();
  const endpoints = readEnvState();
  if (!env || !endpoints) throw new InfraError('no environment is up', 'start one first: npx cpqchaos env up');
  if (backendChoice !== 'auto' && backendChoice !== endpoints.backend)
    throw new UsageError(
      `the running environment uses the ${endpoints.backend} backend, not ${backendChoice}`,
      `start one with: npx cpqchaos env down && npx cpqchaos env up --backend ${backendChoice}`,
    );

  const started = Date.now();
  process.stderr.write(
    `serve: starting the ${sut.name}: ${instances} API instance(s) and its other components as ${endpoints.backend === 'testcontainers' ? 'containers' : 'processes'}${bugs.length ? ` with bugs ${bugs.join(',')}` : ''}\n`,
  );
  const system = await sut.start({
    endpoints,
    bugs,
    instances,
    failpoints: values.failpoints as boolean,
    dir: path.join(stateDir(), 'system'),
  });
  const description = system.describe();
  fs.writeFileSync(systemStateFile(), `${JSON.stringify(description, null, 2)}\n`);
  process.stdout.write(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s api=${description.api.join(',')} metrics=${description.metrics.join(',')} bugs=${bugs.join(',') || 'none'}\n`,
  );

  // Signal listeners do not keep the event loop alive (the children are unref'd): hold it open.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  clearInterval(keepAlive);
  process.stderr.write(`serve: ${signal}; stopping\n`);
  await system.stop();
  fs.rmSync(systemStateFile(), { force: true });
  return EXIT.ok;
}
