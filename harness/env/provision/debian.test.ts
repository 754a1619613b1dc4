// Unit: a failing apt-get becomes one InfraError quoting apt's own words and saying what to do. A
// fake apt-get on PATH stands in for the real one, so the machine's packages are never touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InfraError } from '../../core/errors.ts';
import { aptInstall } from './debian.ts';

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('aptInstall', () => {
  it('turns an apt-get failure (or a non-root user) into a clear InfraError', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-apt-'));
    fs.writeFileSync(
      path.join(bin, 'apt-get'),
      '#!/bin/sh\n[ "$1" = update ] && exit 0\necho "E: Unable to locate package no-such-package" >&2\nexit 100\n',
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}:${savedPath}`;
    const error = await aptInstall(['no-such-package']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfraError);
    if (os.userInfo().uid === 0) {
      expect((error as InfraError).message).toContain('E: Unable to locate package no-such-package');
      expect((error as InfraError).message).toContain('exit 100');
      expect((error as InfraError).remedy).toContain('apt-get install no-such-package');
    } else {
      expect((error as InfraError).remedy).toBe('install them first: sudo apt-get install no-such-package');
    }
  });
});
