// Unit: a running game day's live file and marks — a mark with no drill running is a usage error;
// a mark reaches the drill's marks file; marks are read incrementally, a partial last line waiting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { addMark, liveFile, readLive, readMarks, removeLive, writeLive } from './live.ts';

const dirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gameday-live-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const live = (cwd: string, pid = process.pid) => ({
  pid,
  plan: 'kafka-unavailable',
  runDir: cwd,
  marks: path.join(cwd, 'marks.jsonl'),
  apiUrls: [],
  tenants: [],
  postgresUrl: '',
  redisUrl: '',
  control: '',
});

describe('live game day', () => {
  it('refuses a mark when no game day runs here, or its process is gone', () => {
    const cwd = tmp();
    expect(() => addMark('triaged', 'operator', cwd)).toThrow(UsageError);
    expect(() => addMark('triaged', 'operator', cwd)).toThrow('no game day is running here');
    writeLive(live(cwd, 2 ** 22 + 12345), cwd); // no such pid
    expect(readLive(cwd)).toBeUndefined();
    expect(() => addMark('triaged', 'operator', cwd)).toThrow(UsageError);
  });

  it('appends marks to the running drill and reads them incrementally', () => {
    const cwd = tmp();
    writeLive(live(cwd), cwd);
    addMark('  triaged: relay down ', 'operator', cwd);
    const first = readMarks(path.join(cwd, 'marks.jsonl'), 0);
    expect(first.marks.map((m) => [m.text, m.by])).toEqual([['triaged: relay down', 'operator']]);
    fs.appendFileSync(
      path.join(cwd, 'marks.jsonl'),
      'not json\n{"at": 5, "text": "impact: late", "by": "action"}\n{"at": 6, "te',
    );
    const next = readMarks(path.join(cwd, 'marks.jsonl'), first.offset);
    expect(next.marks.map((m) => m.text)).toEqual(['impact: late']);
    expect(readMarks(path.join(cwd, 'marks.jsonl'), next.offset).marks).toEqual([]);
    expect(() => addMark('   ', 'operator', cwd)).toThrow('a mark needs some text');
    removeLive(cwd);
    expect(fs.existsSync(liveFile(cwd))).toBe(false);
  });
});
