/**
 * `cpqchaos images build|list`: the container images the testcontainers backend runs. `build` makes
 * sure the engine has each one — found, pulled, or built here from Debian's packages (once; again
 * only when an input changed) — and the system image; `list` says what the engine has. Both start a
 * private Docker engine when no engine of the user's is reachable (root on Debian).
 */
import { EXIT, UsageError } from '../core/errors.ts';
import { dockerAt } from '../env/containers/docker-client.ts';
import { ensureEngine, useEngine } from '../env/containers/engine.ts';
import { ensureImage, ensureSystemImage, wantedImage } from '../env/containers/images.ts';
import { CONTAINER_IMAGES } from '../env/versions.ts';
import { parseFlags } from './shared/args.ts';
import { help, wantsHelp } from './shared/options.ts';

const HELP = `usage: cpqchaos images build|list

  build   make sure the Docker engine has every image the testcontainers backend runs: each service's
          official image (${Object.values(CONTAINER_IMAGES).join(', ')}) — pulled, or
          where no registry answers, an equivalent built here from Debian's packages — and the
          reference CPQ/OMS's own image (reference-impl/Dockerfile)
  list    the images the engine has for cpqchaos

Override an image with CPQCHAOS_IMAGE_<KIND> (POSTGRES, REDIS, KAFKA, TOXIPROXY, NODE).
`;

const KINDS = Object.keys(CONTAINER_IMAGES) as (keyof typeof CONTAINER_IMAGES)[];

export async function imagesCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) return help(HELP);
  const { positionals } = parseFlags('images', argv, {}, true);
  const [sub] = positionals;
  if (sub !== 'build' && sub !== 'list')
    throw new UsageError(`images ${sub ?? ''}: unknown`, 'use images build or images list');
  const say = (line: string) => process.stderr.write(`images: ${line}\n`);
  const engine = await ensureEngine(say);
  useEngine(engine);
  const docker = dockerAt(engine.host);
  say(`engine ${engine.host}${engine.private ? ' (private)' : ''}`);
  if (sub === 'build') {
    const started = performance.now();
    for (const kind of KINDS) process.stdout.write(`${kind.padEnd(10)} ${await ensureImage(docker, kind, say)}\n`);
    process.stdout.write(`${'system'.padEnd(10)} ${await ensureSystemImage(docker, say)}\n`);
    process.stdout.write(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return EXIT.ok;
  }
  const images = await docker.listImages();
  const ours = images.flatMap((i) => i.RepoTags ?? []).filter((tag) => tag.startsWith('cpqchaos/'));
  for (const kind of KINDS) {
    const wanted = wantedImage(kind);
    const has = images.some((i) => (i.RepoTags ?? []).includes(wanted));
    const built = ours.filter((tag) => tag.startsWith(`cpqchaos/${kind}:`));
    process.stdout.write(
      `${kind.padEnd(10)} ${wanted}${has ? '' : ' (absent)'}${built.length ? `; built here: ${built.join(', ')}` : ''}\n`,
    );
  }
  const system = ours.filter((tag) => tag.startsWith('cpqchaos/system:'));
  process.stdout.write(`${'system'.padEnd(10)} ${system.join(', ') || '(not built yet)'}\n`);
  return EXIT.ok;
}
