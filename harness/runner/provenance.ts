/** The code and tool versions a run used, recorded in `run.json`. */
import { execFileSync } from 'node:child_process';
import { VERSIONS } from '../env/versions.ts';

export function provenance(): Record<string, unknown> {
  let gitSha: string | undefined;
  try {
    gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    gitSha = undefined;
  }
  return { gitSha: gitSha ?? null, node: process.version, versions: VERSIONS };
}
