// Unit: the pure parts of the testcontainers backend — apt sources read in both formats (the mirror
// comes from the machine, never from the code), base image names, built images tagged by what they
// are built from (same inputs, same tag; any change, a new one), and --backend's values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { resolveBackend } from '../backend.ts';
import { baseImageName, machineAptSource, parseAptSources } from './debian-base.ts';
import { recipeTag, wantedImage } from './images.ts';

describe('apt sources', () => {
  it('reads the Debian mirror and suite from deb822 and one-line sources, skipping security and updates', () => {
    const deb822 =
      'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n';
    expect(parseAptSources(deb822)).toEqual({ mirror: 'http://deb.debian.org/debian', suite: 'bookworm' });
    const security = 'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n';
    expect(parseAptSources(security)).toBeUndefined();
    const oneLine = '# comment\ndeb [arch=amd64] http://mirror.example/debian trixie main\n';
    expect(parseAptSources(oneLine)).toEqual({ mirror: 'http://mirror.example/debian', suite: 'trixie' });
    expect(parseAptSources('deb https://deb.nodesource.com/node_20.x nodistro main\n')).toBeUndefined();
  });

  it('finds this kind of machine’s source under an apt root, and names the base image after it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-'));
    fs.mkdirSync(path.join(root, 'sources.list.d'));
    fs.writeFileSync(
      path.join(root, 'sources.list.d', 'debian.sources'),
      'URIs: http://m.example/debian\nSuites: bookworm\n',
    );
    const source = machineAptSource(root);
    expect(source).toEqual({ mirror: 'http://m.example/debian', suite: 'bookworm' });
    expect(baseImageName(source)).toMatch(/^cpqchaos\/debian:bookworm-[0-9a-f]{8}$/);
    expect(baseImageName({ ...source, mirror: 'http://other/debian' })).not.toBe(baseImageName(source));
    expect(() => machineAptSource(fs.mkdtempSync(path.join(os.tmpdir(), 'apt-')))).toThrow(/no Debian mirror/);
  });
});

describe('images', () => {
  it('tags a built image by its Dockerfile and the files it copies', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-'));
    const file = path.join(dir, 'toxiproxy');
    fs.writeFileSync(file, 'binary v1');
    const tag = recipeTag('toxiproxy', 'FROM base\nCOPY toxiproxy /toxiproxy\n', [file]);
    expect(tag).toMatch(/^cpqchaos\/toxiproxy:[0-9a-f]{12}$/);
    expect(recipeTag('toxiproxy', 'FROM base\nCOPY toxiproxy /toxiproxy\n', [file])).toBe(tag);
    expect(recipeTag('toxiproxy', 'FROM other\nCOPY toxiproxy /toxiproxy\n', [file])).not.toBe(tag);
    fs.writeFileSync(file, 'binary v2, longer');
    expect(recipeTag('toxiproxy', 'FROM base\nCOPY toxiproxy /toxiproxy\n', [file])).not.toBe(tag);
  });

  it('runs the pinned official images unless CPQCHAOS_IMAGE_<KIND> says otherwise', () => {
    expect(wantedImage('kafka')).toMatch(/^apache\/kafka:3\.9\.1$/);
    process.env.CPQCHAOS_IMAGE_REDIS = 'my-registry/redis:7';
    try {
      expect(wantedImage('redis')).toBe('my-registry/redis:7');
    } finally {
      delete process.env.CPQCHAOS_IMAGE_REDIS;
    }
  });
});

describe('--backend', () => {
  it('takes native and testcontainers as they are, and refuses anything else with a usage error', async () => {
    expect(await resolveBackend('native')).toBe('native');
    expect(await resolveBackend('testcontainers')).toBe('testcontainers');
    await expect(resolveBackend('kubernetes')).rejects.toThrow(UsageError);
    await expect(resolveBackend('kubernetes')).rejects.toThrow("unknown backend 'kubernetes'");
  });

  it('resolves auto to testcontainers only when the user’s own engine answers', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${path.join(os.tmpdir(), 'no-such-docker.sock')}`;
    try {
      expect(await resolveBackend('auto')).toBe('native');
      expect(await resolveBackend(undefined)).toBe('native');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});
