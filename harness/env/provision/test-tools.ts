/**
 * Command-line tools the test suite uses besides the services, installed from Debian's packages
 * when missing (as root, under the apt lock): Chromium for the HTML report test, and psql,
 * redis-cli, kcat and curl, which the environment tests drive as a user would. Run by the test
 * set-up itself, so `npm ci && npm test` works on a new machine without `.ci/run`.
 */
import path from 'node:path';
import { which } from '../exec.ts';
import { cacheDir } from '../paths.ts';
import { aptInstall } from './debian.ts';
import { withFileLock } from './lock.ts';

/** Each tool and the Debian package that brings it. */
export const TEST_TOOLS = {
  unit: { chromium: 'chromium' },
  integration: { psql: 'postgresql-client', 'redis-cli': 'redis-tools', kcat: 'kcat', curl: 'curl' },
} as const;

/** Installs the packages of the tools of `suite` that are missing; returns the packages installed. */
export async function ensureTestTools(suite: keyof typeof TEST_TOOLS, log: (line: string) => void): Promise<string[]> {
  const missing = async () => {
    const tools = Object.entries(TEST_TOOLS[suite]) as [string, string][];
    const found = await Promise.all(tools.map(async ([tool]) => (await which(tool)) !== undefined));
    return tools.filter((_, i) => !found[i]).map(([, pkg]) => pkg);
  };
  if ((await missing()).length === 0) return [];
  return withFileLock(path.join(cacheDir(), 'locks', 'apt.lock'), async () => {
    const packages = await missing();
    if (packages.length === 0) return [];
    log(`installing ${packages.join(', ')} for the ${suite} tests (apt-get, once)`);
    await aptInstall(packages);
    return packages;
  });
}
