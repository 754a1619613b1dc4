/**
 * PostgreSQL, Redis and libfaketime from Debian's packages: find them, or install the packages
 * with apt-get when running as root; otherwise say exactly what to install.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { InfraError } from '../../core/errors.ts';
import { exec, which } from '../exec.ts';
import { VERSIONS } from '../versions.ts';
import { cacheDir } from '../paths.ts';
import { withFileLock } from './lock.ts';

/** Where the PostgreSQL and Redis server binaries are, and libfaketime. */
export interface DebianBinaries {
  /** Directory holding `postgres` and `initdb`. */
  postgresBin: string;
  redisServer: string;
  /** The preloadable library that moves one process's wall clock (a component's `clock` ability). */
  faketimeLib: string;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The pinned major's bin dir if installed, else the highest installed major's, else undefined. */
export function findPostgresBin(): string | undefined {
  const pinned = path.join(PG_ROOT, String(VERSIONS.postgresMajor), 'bin');
  if (fs.existsSync(path.join(pinned, 'postgres'))) return pinned;
  if (!fs.existsSync(PG_ROOT)) return undefined;
  const majors = fs
    .readdirSync(PG_ROOT)
    .filter((entry) => fs.existsSync(path.join(PG_ROOT, entry, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? path.join(PG_ROOT, majors[0], 'bin') : undefined;
}

async function findRedisServer(): Promise<string | undefined> {
  return (
    (await which('redis-server')) ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined)
  );
}

/** libfaketime's library, from Debian's `libfaketime` package (any architecture), or undefined. */
export function findFaketimeLib(): string | undefined {
  const lib = '/usr/lib';
  if (!fs.existsSync(lib)) return undefined;
  return fs
    .readdirSync(lib)
    .map((arch) => path.join(lib, arch, 'faketime', 'libfaketime.so.1'))
    .find((candidate) => fs.existsSync(candidate));
}

async function locate(): Promise<Partial<DebianBinaries>> {
  return { postgresBin: findPostgresBin(), redisServer: await findRedisServer(), faketimeLib: findFaketimeLib() };
}

/** The packages of what `found` lacks. */
function missingPackages(found: Partial<DebianBinaries>): string[] {
  const [postgres, redis, faketime] = VERSIONS.aptPackages;
  return [
    ...(found.postgresBin ? [] : [postgres]),
    ...(found.redisServer ? [] : [redis]),
    ...(found.faketimeLib ? [] : [faketime]),
  ];
}

/** Finds the binaries, installing the Debian packages first when they are missing. */
export async function ensureDebianBinaries(): Promise<DebianBinaries> {
  let found = await locate();
  if (missingPackages(found).length > 0) {
    await withFileLock(path.join(cacheDir(), 'locks', 'apt.lock'), async () => {
      found = await locate();
      const missing = missingPackages(found);
      if (missing.length === 0) return;
      await aptInstall(missing);
      found = await locate();
    });
  }
  const missing = missingPackages(found);
  if (missing.length > 0) {
    throw new InfraError(
      `apt-get finished but ${missing.join(', ')} is still missing`,
      `install it by hand: apt-get install ${missing.join(' ')}`,
    );
  }
  return found as DebianBinaries;
}

/** `apt-get update && apt-get install -y PACKAGES` as root, or a clear error saying what to run. */
export async function aptInstall(packages: string[]): Promise<void> {
  const line = `apt-get install ${packages.join(' ')}`;
  if (os.userInfo().uid !== 0) {
    throw new InfraError(`missing Debian packages ${packages.join(', ')}`, `install them first: sudo ${line}`);
  }
  if (!(await which('apt-get'))) {
    throw new InfraError(
      `missing ${packages.join(', ')} and no apt-get on this machine`,
      'install PostgreSQL and Redis server binaries with your package manager, or use --backend testcontainers where Docker runs',
    );
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const remedy = `check access to Debian's package mirrors, then run: ${line}`;
  await exec('apt-get', ['update'], { env, remedy });
  await exec('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, remedy });
}
