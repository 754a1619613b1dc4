/**
 * toxiproxy-server and k6, built once with `go install` at pinned versions into the cache, so every
 * later start finds the binary in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InfraError } from '../../core/errors.ts';
import { exec, which } from '../exec.ts';
import { cacheDir } from '../paths.ts';
import { GO_TOOLS } from '../versions.ts';
import { withFileLock } from './lock.ts';

/** A tool named in `GO_TOOLS`. */
export type GoToolName = keyof typeof GO_TOOLS;

/** Path the pinned build of `tool` lives at (whether or not it is built yet). */
export function goToolPath(tool: GoToolName): string {
  const { version, binary } = GO_TOOLS[tool];
  return path.join(cacheDir(), 'go', `${tool}-${version}`, binary);
}

/** The `go` binary, or an `InfraError` saying what `tool` needs it for. */
export async function requireGo(tool: GoToolName): Promise<string> {
  const go = await which('go');
  if (!go) {
    throw new InfraError(
      `the Go toolchain is missing (needed once to build ${tool} ${GO_TOOLS[tool].version})`,
      'install Go 1.22 or newer and put `go` on PATH',
    );
  }
  return go;
}

/** Returns the binary of `tool`, building it with `go install` first if the cache lacks it. */
export async function ensureGoTool(tool: GoToolName): Promise<string> {
  const target = goToolPath(tool);
  if (fs.existsSync(target)) return target;
  return withFileLock(path.join(cacheDir(), 'locks', `go-${tool}.lock`), async () => {
    if (fs.existsSync(target)) return target;
    const go = await requireGo(tool);
    const { module, version, binary, ldflags } = GO_TOOLS[tool];
    const goDir = path.dirname(path.dirname(target));
    fs.mkdirSync(goDir, { recursive: true });
    const staging = fs.mkdtempSync(path.join(goDir, `.${tool}-`));
    try {
      await exec(go, ['install', ...(ldflags ? [`-ldflags=${ldflags}`] : []), `${module}@${version}`], {
        env: { GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
        remedy: `check access to the Go module proxy, then retry; the build is: go install ${module}@${version}`,
      });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(staging, binary), target);
      return target;
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });
}
