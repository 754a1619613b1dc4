// Unit: when an environment counts as orphaned — its starter is gone and no state file refers to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOrphaned } from './leftovers.ts';
import type { EnvironmentManifest } from './manifest.ts';

const selfStart = () => {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};

const manifest = (owner: EnvironmentManifest['owner']): EnvironmentManifest => ({
  id: 'env-1',
  backend: 'native',
  dir: '/nowhere',
  createdAt: new Date(0).toISOString(),
  owner,
  services: {},
});

describe('isOrphaned', () => {
  it('is false while the owning process lives', () => {
    expect(isOrphaned(manifest({ pid: process.pid, startTime: selfStart() }))).toBe(false);
  });

  it('is true when the owner pid was recycled by another process (start time differs)', () => {
    expect(isOrphaned(manifest({ pid: process.pid, startTime: selfStart() + 1 }))).toBe(true);
  });

  it('is true when the owner is gone and no state file refers to the environment', () => {
    expect(isOrphaned(manifest({ pid: 2 ** 22 + 1, startTime: 1 }))).toBe(true);
  });

  it('is false when the owner is gone but its state file still refers to it (env up)', () => {
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'state-')), 'env.json');
    fs.writeFileSync(stateFile, JSON.stringify({ id: 'env-1' }));
    expect(isOrphaned(manifest({ pid: 2 ** 22 + 1, startTime: 1, stateFile }))).toBe(false);
    fs.writeFileSync(stateFile, JSON.stringify({ id: 'another' }));
    expect(isOrphaned(manifest({ pid: 2 ** 22 + 1, startTime: 1, stateFile }))).toBe(true);
  });
});
