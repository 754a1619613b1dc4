/**
 * `npm run bench:sigkill`: kills `cpqchaos run` with SIGKILL at a seeded moment of its life —
 * environment start, system start, setup, workload with faults, quiesce — and counts, 15 s later,
 * every process that run left: any process whose environment carries the try's own
 * `CPQCHAOS_RUN_ROOT` (every service, component and watchdog inherits it), so nothing spawned
 * mid-kill escapes the count. Under `--backend testcontainers` it also counts every container and
 * network on the engine carrying the `cpqchaos.env` label (one try at a time: all of them are the
 * try's). Prints one row per try and the totals. Target: 0 left, every try.
 *
 * Flags: --tries N (default 20), --seed S (default 1), --backend native|testcontainers (default native).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Random } from '../harness/core/random.ts';
import { dockerAt, ENV_LABEL } from '../harness/env/containers/docker-client.ts';
import { ensureEngine } from '../harness/env/containers/engine.ts';
import { benchArgs, usageError, wholeNumber } from './lib/bench-args.ts';

const values = benchArgs('bench:sigkill', {
  tries: { type: 'string', default: '20' },
  seed: { type: 'string', default: '1' },
  backend: { type: 'string', default: 'native' },
});
const backend = values.backend as string;
if (backend !== 'native' && backend !== 'testcontainers') {
  usageError('bench:sigkill', '--backend takes native or testcontainers');
}
const tries = wholeNumber('bench:sigkill', '--tries', values.tries, 1);
const random = new Random(wholeNumber('bench:sigkill', '--seed', values.seed, 0));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Labelled containers and networks on the engine (none for the native backend). */
const docker =
  backend === 'testcontainers'
    ? dockerAt((await ensureEngine((line) => process.stdout.write(`${line}\n`))).host)
    : undefined;
async function containersLeft(): Promise<string[]> {
  if (!docker) return [];
  const filters = { label: [ENV_LABEL] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => `network ${n.Name}`)];
}

/** Pids of processes whose environment holds `marker`. */
function processesWith(marker: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const rows: { phase: string; atS: number; leftAt15s: number; goneAfterS: number }[] = [];
// Containers take longer to start than processes: kill across a longer life so every phase is hit.
const killWindowMs = backend === 'testcontainers' ? 45_000 : 24_000;
for (let i = 0; i < tries; i++) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-sigkill-'));
  fs.chmodSync(cwd, 0o755);
  const runRoot = path.join(cwd, 'envs');
  const marker = `CPQCHAOS_RUN_ROOT=${runRoot}`;
  const atMs = random.int(500, killWindowMs);
  const child = spawn(
    process.execPath,
    [
      'bin/cpqchaos.mjs',
      'run',
      'invalidation-lag',
      '--seed',
      String(i),
      '--time-limit',
      '12',
      '--out',
      path.join(cwd, 'out'),
      '--backend',
      backend,
    ],
    { env: { ...process.env, CPQCHAOS_RUN_ROOT: runRoot }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise((r) => child.once('close', r));
  await Promise.race([sleep(atMs), exited]);
  const phase =
    (
      output.match(/(starting the [^·\n]+|· (setup|workload|heal|quiesce|final reads))/g) ?? ['before any output']
    ).pop() ?? '';
  child.kill('SIGKILL');
  await exited;
  const killed = Date.now();
  let goneAfterS = NaN;
  while (Date.now() - killed < 15_000) {
    if (processesWith(marker).length === 0 && (await containersLeft()).length === 0) {
      goneAfterS = (Date.now() - killed) / 1000;
      break;
    }
    await sleep(100);
  }
  const left = processesWith(marker);
  const leftContainers = await containersLeft();
  rows.push({
    phase: phase.replace('· ', ''),
    atS: atMs / 1000,
    leftAt15s: left.length + leftContainers.length,
    goneAfterS,
  });
  process.stdout.write(
    `try ${String(i + 1).padStart(2)}  killed at ${(atMs / 1000).toFixed(1).padStart(5)} s  ${rows.at(-1)?.phase.padEnd(34)}  left after 15 s: ${left.length} process(es), ${leftContainers.length} container(s)/network(s)${leftContainers.length ? ` (${leftContainers.join(', ')})` : ''}  all gone after ${Number.isNaN(goneAfterS) ? '–' : `${goneAfterS.toFixed(1)} s`}\n`,
  );
  for (const pid of left) process.kill(pid, 'SIGKILL'); // clean up for the next try (ours: marked)
  if (docker && leftContainers.length) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [ENV_LABEL] } }))
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    for (const n of await docker.listNetworks({ filters: { label: [ENV_LABEL] } }))
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
  }
}
const clean = rows.filter((r) => r.leftAt15s === 0).length;
const gone = rows.map((r) => r.goneAfterS).filter((s) => !Number.isNaN(s));
process.stdout.write(
  `\n${clean}/${rows.length} tries (${backend}) left nothing 15 s after SIGKILL; slowest clean-up ${Math.max(...gone).toFixed(1)} s, median ${gone.sort((a, b) => a - b)[Math.floor(gone.length / 2)]?.toFixed(1)} s\n`,
);
process.exit(clean === rows.length ? 0 : 1);
