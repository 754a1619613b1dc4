/**
 * The base image the testcontainers backend builds on when no registry can be reached: a minimal
 * Debian root filesystem made with `debootstrap` from the mirror and suite this machine's own apt
 * sources name (never a mirror written here), imported into the engine as
 * `cpqchaos/debian:<suite>-<hash>`; made once per engine, then found by its name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type Docker from 'dockerode';
import { InfraError } from '../../core/errors.ts';
import { exec, which } from '../exec.ts';
import { cacheDir } from '../paths.ts';
import { aptInstall } from '../provision/debian.ts';
import { withFileLock } from '../provision/lock.ts';

/** A Debian mirror and suite, as apt's sources name them. */
export interface AptSource {
  mirror: string;
  suite: string;
}

/** The first Debian source of apt's configuration text — deb822 (`URIs:`/`Suites:`) or one-line (`deb URI SUITE`). */
export function parseAptSources(text: string): AptSource | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
    const suite = /^Suites:\s*(\S+)/m.exec(stanza)?.[1];
    if (uri && suite && /debian\/?$/.test(uri) && !/security|updates|backports/.test(suite))
      return { mirror: uri, suite };
  }
  for (const line of text.split('\n')) {
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
    if (match && /debian\/?$/.test(match[1] as string) && !/security|updates|backports/.test(match[2] as string))
      return { mirror: match[1] as string, suite: match[2] as string };
  }
  return undefined;
}

/** This machine's Debian source, from /etc/apt/sources.list and sources.list.d. */
export function machineAptSource(root = '/etc/apt'): AptSource {
  const files = [path.join(root, 'sources.list')];
  const dir = path.join(root, 'sources.list.d');
  if (fs.existsSync(dir)) files.push(...fs.readdirSync(dir).map((f) => path.join(dir, f)));
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const source = parseAptSources(fs.readFileSync(file, 'utf8'));
    if (source) return source;
  }
  throw new InfraError(
    'no Debian mirror in this machine’s apt sources to build container images from',
    'make a registry reachable (the official images are then pulled), or add a Debian source to /etc/apt',
  );
}

/** The base image's name for `source`. */
export function baseImageName(source: AptSource): string {
  const hash = crypto.createHash('sha256').update(`${source.mirror} ${source.suite}`).digest('hex').slice(0, 8);
  return `cpqchaos/debian:${source.suite}-${hash}`;
}

/** True when `image` exists in the engine. */
export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Streams a directory as a tar archive (GNU tar keeps owners, modes and links as debootstrap made them). */
function tarOf(dir: string): NodeJS.ReadableStream {
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return tar.stdout;
}

/** The base image, made now if the engine lacks it (debootstrap installed first when missing). */
export async function ensureBaseImage(docker: Docker, onProgress: (line: string) => void): Promise<string> {
  const source = machineAptSource();
  const name = baseImageName(source);
  if (await imageExists(docker, name)) return name;
  return withFileLock(path.join(cacheDir(), 'locks', 'debian-base.lock'), async () => {
    if (await imageExists(docker, name)) return name;
    if (os.userInfo().uid !== 0)
      throw new InfraError(
        'building the Debian base image needs root (debootstrap)',
        'run as root, or make a registry reachable',
      );
    if (!(await which('debootstrap'))) await aptInstall(['debootstrap']);
    const root = fs.mkdtempSync(path.join(cacheDir(), 'debootstrap-'));
    try {
      onProgress(`making a Debian ${source.suite} base image from ${source.mirror} (debootstrap, once)`);
      await exec('debootstrap', ['--variant=minbase', source.suite, root, source.mirror], {
        remedy: `check access to ${source.mirror}`,
      });
      const [repo, tag] = name.split(':') as [string, string];
      const stream = await docker.importImage(tarOf(root) as never, { repo, tag });
      await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
      );
      return name;
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
