/**
 * An environment's identity: its id (start time and a random suffix, sortable) and its owner — this
 * process, by pid and kernel start time, and for `env up` the state file that keeps it alive after.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Owner } from './manifest.ts';

/** A new environment id, e.g. `20261204101500-3fa2c1`. */
export function environmentId(): string {
  return `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${crypto.randomBytes(3).toString('hex')}`;
}

/** This process's start time (field 22 of /proc/self/stat). */
function ownStartTime(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** This process as an owner, with the state file that refers to the environment when it outlives us. */
export function ownerOf(stateFile?: string): Owner {
  return { pid: process.pid, startTime: ownStartTime(), ...(stateFile ? { stateFile } : {}) };
}
