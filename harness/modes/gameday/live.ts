/**
 * What a running game day shares with other terminals: `.cpqchaos/gameday.json` says which drill
 * runs (its pid, run directory, API and database URLs — what the runbook's action scripts use), and
 * `<run dir>/marks.jsonl` collects operator marks (`cpqchaos gameday mark "…"`, a line typed in the
 * drill's own terminal, an action script run by hand), read by the drill on every tick.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { stateDir } from '../../env/paths.ts';

export interface LiveGameday {
  pid: number;
  plan: string;
  runDir: string;
  marks: string;
  apiUrls: string[];
  tenants: string[];
  postgresUrl: string;
  redisUrl: string;
  /** The drill's control channel (control.ts): restarts of the system's components. */
  control: string;
}

export interface LiveMark {
  /** Epoch ms. */
  at: number;
  text: string;
  by: string;
}

export const liveFile = (cwd?: string) => path.join(stateDir(cwd), 'gameday.json');

export function writeLive(live: LiveGameday, cwd?: string): void {
  fs.mkdirSync(stateDir(cwd), { recursive: true });
  fs.writeFileSync(liveFile(cwd), `${JSON.stringify(live, null, 2)}\n`);
}

/** Removes the live file if it is this process's. */
export function removeLive(cwd?: string): void {
  const live = readLive(cwd);
  if (live?.pid === process.pid) fs.rmSync(liveFile(cwd), { force: true });
}

/** The running game day, if its process is alive. */
export function readLive(cwd?: string): LiveGameday | undefined {
  try {
    const live = JSON.parse(fs.readFileSync(liveFile(cwd), 'utf8')) as LiveGameday;
    process.kill(live.pid, 0);
    return live;
  } catch {
    return undefined;
  }
}

/** Appends a mark to the running game day; a usage error when none runs. */
export function addMark(text: string, by = 'operator', cwd?: string): LiveGameday {
  const live = readLive(cwd);
  if (!live)
    throw new UsageError(
      'no game day is running here',
      `start one with npx cpqchaos gameday <plan> (from ${cwd ?? process.cwd()})`,
    );
  if (text.trim() === '') throw new UsageError('a mark needs some text, like "triaged: relay down"');
  appendMark(live.marks, text, by);
  return live;
}

/** Appends one mark to a drill's marks file (read by the drill on its next tick). */
export function appendMark(file: string, text: string, by: string): void {
  const mark: LiveMark = { at: Date.now(), text: text.trim().slice(0, 500), by };
  fs.appendFileSync(file, `${JSON.stringify(mark)}\n`);
}

/** Reads marks past `offset` bytes; returns them and the new offset (a partial last line waits). */
export function readMarks(file: string, offset: number): { marks: LiveMark[]; offset: number } {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { marks: [], offset };
  }
  const end = text.lastIndexOf('\n') + 1;
  const marks: LiveMark[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (!line) continue;
    try {
      const m = JSON.parse(line) as LiveMark;
      if (typeof m.text === 'string' && typeof m.at === 'number')
        marks.push({ at: m.at, text: m.text, by: String(m.by ?? 'operator') });
    } catch {
      // a line that is not a mark is skipped
    }
  }
  return { marks, offset: offset + Buffer.byteLength(text.slice(0, end)) };
}
