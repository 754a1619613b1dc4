// Unit: bad flags become UsageErrors (exit 64) that name the flag and what is allowed.
import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../core/errors.ts';
import { oneOf, parseFlags } from './args.ts';

describe('parseFlags', () => {
  it('parses known flags', () => {
    const { values } = parseFlags('env up', ['--json', '--backend', 'native'], {
      json: { type: 'boolean' },
      backend: { type: 'string' },
    });
    expect(values).toEqual({ json: true, backend: 'native' });
  });

  it('rejects unknown flags, missing values and stray positionals with exit 64', () => {
    for (const argv of [['--nope'], ['--backend'], ['extra']]) {
      let caught: unknown;
      try {
        parseFlags('env up', argv, { backend: { type: 'string' } });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as UsageError).exitCode).toBe(EXIT.usage);
      expect((caught as UsageError).oneLine()).toMatch(/^env up: .* — see `npx cpqchaos env up --help`$/);
    }
  });
});

describe('oneOf', () => {
  it('accepts an allowed value and names the allowed ones otherwise', () => {
    expect(oneOf('--backend', 'native', ['native', 'testcontainers'])).toBe('native');
    expect(() => oneOf('--backend', 'podman', ['native', 'testcontainers'])).toThrow("unknown --backend 'podman'");
  });
});
