/** Self time per function from hand-written V8 profiles. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processOf, profileReport, selfTimes, type CpuProfile } from './cpu-profile.ts';

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1) },
    { id: 2, callFrame: frame('parse', 'file:///repo/reference-impl/domain/validation.ts', 131) },
    { id: 3, callFrame: frame('', 'file:///repo/reference-impl/api-main.ts', 9) },
    { id: 4, callFrame: frame('(garbage collector)', '', -1) },
  ],
  // parse caught three times (3 ms), the anonymous entry once (1 ms), GC once (0.5 ms).
  samples: [2, 2, 3, 2, 4, 1],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 500],
};

describe('selfTimes', () => {
  it('sums the gap after each sample into the function it caught, largest first', () => {
    const times = selfTimes(profile);
    expect(times.map((t) => [t.what, t.ms])).toEqual([
      ['parse (validation.ts:132)', 3],
      ['(anonymous) (api-main.ts:10)', 1],
      ['(garbage collector)', 0.5],
    ]);
    expect(times[0]?.share).toBeCloseTo(3 / 4.5);
  });

  it('judges an empty profile as no time at all', () => {
    expect(selfTimes({ nodes: [], samples: [], timeDeltas: [] })).toEqual([]);
  });
});

describe('processOf', () => {
  it('names the process by the first entry file its frames mention', () => {
    expect(processOf(profile, ['relay/main.ts', 'api-main.ts'])).toBe('api-main.ts');
    expect(processOf(profile, ['consumers/main.ts'])).toBe('unknown');
  });
});

describe('profileReport', () => {
  it('prints each profile under its process with its top functions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-'));
    fs.writeFileSync(path.join(dir, 'CPU.1.cpuprofile'), JSON.stringify(profile));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a profile');
    const lines = profileReport(dir, ['api-main.ts'], 1);
    expect(lines).toEqual([
      'api-main.ts (CPU.1.cpuprofile): 5 ms sampled',
      '   66.7%        3 ms  parse (validation.ts:132)',
    ]);
  });

  it('has nothing to say about a directory with no profiles', () => {
    expect(profileReport(path.join(os.tmpdir(), 'no-such-profiles'), ['api-main.ts'])).toEqual([]);
  });
});
