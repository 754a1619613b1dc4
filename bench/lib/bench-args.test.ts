// Unit: a bench's flags — known ones parsed, an unknown flag, a missing value, a stray argument or a
// value out of range refused with one line naming the bench and exit 64 (never a stack trace).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchArgs, wholeNumber } from './bench-args.ts';

const OPTIONS = { vus: { type: 'string', default: '32' }, profile: { type: 'string' } } as const;

/** Runs `fn`; resolves with the exit code it asked for and what it wrote to stderr. */
function refusal(fn: () => unknown): { code: unknown; said: string } {
  let said = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((said += String(chunk)), true));
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw Object.assign(new Error('exit'), { code });
  });
  try {
    fn();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, said };
  }
  return { code: undefined, said };
}

afterEach(() => vi.restoreAllMocks());

describe('benchArgs', () => {
  it('parses the flags it was given, with their defaults', () => {
    expect(benchArgs('bench:t', OPTIONS, ['--profile', '/tmp/p'])).toEqual({ vus: '32', profile: '/tmp/p' });
  });

  it.each([
    [['--quotes', '5'], /bench:t: Unknown option '--quotes' \(its flags: --vus, --profile\)/],
    [['--profile'], /bench:t: Option '--profile <value>' argument missing/],
    [['extra'], /bench:t: Unexpected argument 'extra'/],
  ])('refuses %j with exit 64 and one line', (argv, message) => {
    const { code, said } = refusal(() => benchArgs('bench:t', OPTIONS, argv));
    expect(code).toBe(64);
    expect(said).toMatch(message);
    expect(said.trim().split('\n')).toHaveLength(1);
  });
});

describe('wholeNumber', () => {
  it('takes a whole number at or above its minimum', () => {
    expect(wholeNumber('bench:t', '--vus', '16', 1)).toBe(16);
    expect(wholeNumber('bench:t', '--seed', '0', 0)).toBe(0);
  });

  it.each([['0'], ['1.5'], ['x'], [''], [undefined]])('refuses %j for a minimum of 1', (value) => {
    const { code, said } = refusal(() => wholeNumber('bench:t', '--vus', value, 1));
    expect(code).toBe(64);
    expect(said).toMatch(/^bench:t: --vus must be a whole number from 1 to \d+, got '/);
  });
});
