/**
 * The watchdog process (see watchdog.ts): waits for its owner's pipe to close. `release` on the
 * pipe means the owner cleaned up itself: exit. End-of-file without it means the owner died: carry
 * out the plan, log what was done, exit. It never acts on anything its plan does not name.
 */
import fs from 'node:fs';
import { signalTree, stopProcess } from './process.ts';
import { recordsIn, type WatchdogPlan } from './watchdog.ts';

const plan = JSON.parse(process.argv[2] ?? '{}') as WatchdogPlan;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} watchdog ${plan.label}: ${line}\n`);

async function ownerDied(): Promise<void> {
  const started = Date.now();
  log('owner gone without releasing: cleaning up');
  for (const dir of plan.resume ?? []) for (const record of recordsIn(dir)) signalTree(record, 'SIGCONT');
  if (plan.toxiproxyUrl) {
    await fetch(`${plan.toxiproxyUrl}/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) })
      .then(() => log('toxiproxy reset: every proxy enabled, every toxic removed'))
      .catch((error: unknown) => log(`toxiproxy reset failed: ${(error as Error).message}`));
  }
  if (plan.containers) {
    const { dockerAt, removeEnvironmentContainers, unpauseEnvironmentContainers } =
      await import('./containers/docker-client.ts');
    const docker = dockerAt(plan.containers.host);
    await (
      plan.containers.thaw
        ? unpauseEnvironmentContainers(docker, plan.containers.env).then((n) => log(`unpaused ${n} containers`))
        : removeEnvironmentContainers(docker, plan.containers.env, plan.containers.role).then((names) =>
            log(`removed containers ${names.join(', ') || 'none'}`),
          )
    ).catch((error: unknown) => log(`containers not cleaned: ${(error as Error).message}`));
  }
  const records = (plan.stop ?? []).flatMap(recordsIn);
  await Promise.allSettled(records.map((record) => stopProcess(record, 1500)));
  for (const dir of plan.remove ?? []) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (error) {
      log(`could not remove ${dir}: ${(error as Error).message}`);
    }
  }
  log(`stopped ${records.map((r) => r.spec.name).join(', ') || 'nothing'} in ${Date.now() - started} ms`);
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  input += chunk;
});
process.stdin.on('end', () => {
  if (input.includes('release')) process.exit(0);
  void ownerDied().finally(() => process.exit(0));
});
process.on('SIGINT', () => undefined); // only the pipe decides
process.on('SIGHUP', () => undefined);
