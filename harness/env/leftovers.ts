/**
 * Finds environments whose owner is gone (a crashed or SIGKILLed run, a deleted state file) and
 * removes them: every recorded process group stopped (every labelled container removed), the data
 * dir deleted. Run by `env up`,
 * `env down` and every programmatic start, so nothing outlives a crash for long.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAlive, stopProcess } from './process.ts';
import { processRecords, readManifest, type EnvironmentManifest, type Owner } from './manifest.ts';
import { runRoot } from './paths.ts';

/** Dirs without a manifest this old are debris from a start that died before writing one. */
const DEBRIS_AGE_MS = 60_000;

/** True while the state file named by `owner` still points at environment `id`. */
function stateFileRefers(owner: Owner, id: string): boolean {
  if (!owner.stateFile) return false;
  try {
    return (JSON.parse(fs.readFileSync(owner.stateFile, 'utf8')) as { id?: string }).id === id;
  } catch {
    return false;
  }
}

/** An environment is orphaned when its starter has exited and no state file refers to it. */
export function isOrphaned(manifest: EnvironmentManifest): boolean {
  if (isAlive(manifest.owner)) return false;
  return !stateFileRefers(manifest.owner, manifest.id);
}

/** Stops every process recorded in `dir` (in parallel) — every container it labelled, for a container one — and deletes `dir`. */
export async function removeEnvironmentDir(dir: string, graceMs = 2000): Promise<void> {
  const manifest = readManifest(dir);
  if (manifest?.containers) {
    const { dockerAt, removeEnvironmentContainers } = await import('./containers/docker-client.ts');
    await removeEnvironmentContainers(dockerAt(manifest.containers.host), manifest.id).catch(() => undefined);
  }
  await Promise.all(processRecords(dir).map((record) => stopProcess(record, graceMs)));
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/** Cleans every orphaned environment under the run root; returns the ids it removed. */
export async function cleanLeftovers(): Promise<string[]> {
  const root = runRoot();
  if (!fs.existsSync(root)) return [];
  const removed: string[] = [];
  for (const entry of fs.readdirSync(root)) {
    if (!entry.startsWith('env-')) continue;
    const dir = path.join(root, entry);
    const manifest = readManifest(dir);
    if (manifest ? !isOrphaned(manifest) : Date.now() - fs.statSync(dir).mtimeMs < DEBRIS_AGE_MS) continue;
    await removeEnvironmentDir(dir);
    removed.push(manifest?.id ?? entry);
  }
  return removed;
}
