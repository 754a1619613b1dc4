/**
 * The container images of the testcontainers backend. Each kind has a default — the official image
 * a user would pull, pinned in `versions.ts` and overridable with `CPQCHAOS_IMAGE_<KIND>` — and, when
 * that can be neither found in the engine nor pulled, an equivalent built here once on the Debian
 * base: Debian's PostgreSQL and Redis, the Kafka jars and toxiproxy binary the native backend
 * provisions, the Node binary the harness runs on. A built image's tag is a hash of everything it is
 * built from, so it is rebuilt only when an input changes. The system image (the reference CPQ/OMS,
 * `reference-impl/Dockerfile`) is always built here, on the Node image.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { InfraError } from '../../core/errors.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { ensureKafkaRuntime } from '../provision/kafka-jars.ts';
import { ensureGoTool } from '../provision/go-tools.ts';
import { CONTAINER_IMAGES, type ImageKind } from '../versions.ts';
import { ensureBaseImage, imageExists } from './debian-base.ts';
import { touchEngineLease } from './engine.ts';

export type { ImageKind } from '../versions.ts';

/** The image a kind runs from unless it has to be built: `CPQCHAOS_IMAGE_<KIND>`, else the pinned default. */
export function wantedImage(kind: Exclude<ImageKind, 'system'>): string {
  return process.env[`CPQCHAOS_IMAGE_${kind.toUpperCase()}`] ?? CONTAINER_IMAGES[kind];
}

const APT = (packages: string) =>
  `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages} && rm -rf /var/lib/apt/lists/*`;

/** A build recipe: the Dockerfile's text and the files its context holds (name → host path). */
interface Recipe {
  dockerfile: string;
  files: Record<string, string>;
}

/** How to build the equivalent of each kind's official image on `base`. */
async function recipeOf(kind: Exclude<ImageKind, 'system'>, base: string): Promise<Recipe> {
  switch (kind) {
    case 'postgres':
      return { dockerfile: `FROM ${base}\n${APT('postgresql-15')}\n`, files: {} };
    case 'redis':
      return { dockerfile: `FROM ${base}\n${APT('redis-server')}\n`, files: {} };
    case 'kafka':
      return {
        dockerfile: `FROM ${base}\n${APT('openjdk-17-jre-headless')}\nCOPY libs /opt/kafka/libs\n`,
        files: { libs: (await ensureKafkaRuntime()).libs },
      };
    case 'toxiproxy':
      return {
        dockerfile: `FROM ${base}\nCOPY toxiproxy /toxiproxy\n`,
        files: { toxiproxy: await ensureGoTool('toxiproxy') },
      };
    case 'node':
      return { dockerfile: `FROM ${base}\nCOPY node /usr/local/bin/node\n`, files: { node: process.execPath } };
  }
}

/** Hashes a file or a directory tree (names, sizes and modification times: a jar set changes when its files do). */
function fingerprint(hash: crypto.Hash, target: string): void {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    hash.update(`${path.basename(target)}:${stat.size}:${stat.mtimeMs}\n`);
    return;
  }
  for (const entry of fs.readdirSync(target).sort()) fingerprint(hash, path.join(target, entry));
}

/** The tag of a recipe: a hash of its Dockerfile and the files it copies. */
export function recipeTag(kind: ImageKind, dockerfile: string, files: readonly string[]): string {
  const hash = crypto.createHash('sha256').update(dockerfile);
  for (const file of files) fingerprint(hash, file);
  return `cpqchaos/${kind}:${hash.digest('hex').slice(0, 12)}`;
}

/** Builds `tag` from a context of `files` plus the Dockerfile, with the host's network (apt reaches the mirror). */
async function build(docker: Docker, tag: string, recipe: Recipe): Promise<void> {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'cpqchaos-image-'));
  try {
    fs.writeFileSync(path.join(context, 'Dockerfile'), recipe.dockerfile);
    for (const [name, source] of Object.entries(recipe.files))
      fs.cpSync(source, path.join(context, name), { recursive: true, dereference: true });
    const stream = await docker.buildImage(
      { context, src: ['Dockerfile', ...Object.keys(recipe.files)] },
      { t: tag, networkmode: 'host', rm: true, forcerm: true },
    );
    await followBuild(docker, stream, tag);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

/** Waits for a build stream; a build error (which Docker reports inside the stream) rejects with its text. */
export function followBuild(docker: Docker, stream: NodeJS.ReadableStream, tag: string): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (error, output: { error?: string; stream?: string }[]) => {
        const failed = error?.message ?? output.find((o) => o.error)?.error;
        if (!failed) return resolve();
        const tail = output
          .map((o) => o.stream ?? '')
          .join('')
          .trimEnd()
          .split('\n')
          .slice(-6);
        reject(new InfraError(`building ${tag} failed: ${failed}\n${tail.join('\n')}`, 'see the build output above'));
      },
      () => touchEngineLease(), // a long build keeps the private engine from looking idle
    ),
  );
}

/** Pulls `image`; false when no registry answers for it (within `timeoutMs`). */
async function pull(docker: Docker, image: string, timeoutMs = 120_000): Promise<boolean> {
  try {
    const stream = await docker.pull(image);
    await Promise.race([
      new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
      ),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('pull timed out')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The image to run `kind` from: the wanted image if the engine has it or can pull it, else its
 * equivalent built here (once). An image that can be neither is an `InfraError` naming both ways out.
 */
export async function ensureImage(
  docker: Docker,
  kind: Exclude<ImageKind, 'system'>,
  onProgress: (line: string) => void = () => undefined,
): Promise<string> {
  const wanted = wantedImage(kind);
  if (await imageExists(docker, wanted)) return wanted;
  if (await pull(docker, wanted)) return wanted;
  const override = `CPQCHAOS_IMAGE_${kind.toUpperCase()}`;
  // The user's own image is never silently replaced by an equivalent of the default.
  if (process.env[override])
    throw new InfraError(
      `image ${wanted} (${override}) can be neither found on the engine nor pulled`,
      `load it into the engine (docker load, or docker pull where a registry answers), or unset ${override} to build an equivalent here`,
    );
  try {
    const base = await ensureBaseImage(docker, onProgress);
    const recipe = await recipeOf(kind, base);
    const tag = recipeTag(kind, recipe.dockerfile, Object.values(recipe.files));
    if (await imageExists(docker, tag)) return tag;
    onProgress(`building ${tag} (${wanted} cannot be pulled here)`);
    await build(docker, tag, recipe);
    return tag;
  } catch (error) {
    throw new InfraError(
      `image ${wanted} can be neither pulled nor built: ${(error as Error).message}`,
      `make a registry reachable, or set CPQCHAOS_IMAGE_${kind.toUpperCase()} to an image the engine has`,
    );
  }
}

/** What the system image is built from: its Dockerfile, the lockfile, the reference implementation. */
const SYSTEM_INPUTS = ['reference-impl', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The reference CPQ/OMS image, built from `reference-impl/Dockerfile` on the Node image (once per change). */
export async function ensureSystemImage(
  docker: Docker,
  onProgress: (line: string) => void = () => undefined,
): Promise<string> {
  const node = await ensureImage(docker, 'node', onProgress);
  const dockerfile = fs.readFileSync(path.join(PACKAGE_ROOT, 'reference-impl', 'Dockerfile'), 'utf8');
  const tag = recipeTag(
    'system',
    `${dockerfile}\n${node}`,
    SYSTEM_INPUTS.map((f) => path.join(PACKAGE_ROOT, f)),
  );
  if (await imageExists(docker, tag)) return tag;
  onProgress(`building ${tag} (the reference CPQ/OMS)`);
  const stream = await docker.buildImage(
    { context: PACKAGE_ROOT, src: ['node_modules', ...SYSTEM_INPUTS] },
    { t: tag, dockerfile: 'reference-impl/Dockerfile', buildargs: { NODE_IMAGE: node }, networkmode: 'host', rm: true },
  );
  await followBuild(docker, stream, tag);
  return tag;
}
