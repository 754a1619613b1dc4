/**
 * Native child processes the environment owns: spawn detached into their own process group, record
 * pid + kernel start time (so a recycled pid is never mistaken for ours), signal the whole group,
 * and wait until every member is really gone.
 *
 * Must not: signal any process it cannot prove it started (pid, start time and process group all
 * have to match the record); leave a group behind after `stopProcess` returns.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { InfraError } from '../core/errors.ts';

/** Everything needed to (re)start a process — JSON-serialisable, stored in the manifest. */
export interface ProcessSpec {
  /** Service name, e.g. `postgres`. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** Extra environment variables on top of the parent's. */
  env?: Record<string, string>;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  /** stdout and stderr are appended here. */
  logFile: string;
  /** The graceful-stop signal (PostgreSQL: SIGINT = fast shutdown). */
  stopSignal: NodeJS.Signals;
  /** Rewritten with the `ProcessRecord` at every spawn, so a crashed owner can be cleaned up. */
  pidFile: string;
}

/** Where a service's process writes its output and its pid file. */
export type ProcessFiles = Pick<ProcessSpec, 'logFile' | 'pidFile'>;

/** A started process: its spec plus the identity of the running instance. */
export interface ProcessRecord {
  spec: ProcessSpec;
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks since boot when the process started. */
  startTime: number;
}

const children = new Map<number, ChildProcess>();
/** The service name of each process spawned here that is still running (its process group's leader). */
const names = new Map<number, string>();
/** How each process this harness spawned ended: its exit code, or null when a signal ended it. */
const exits = new Map<number, Promise<number | null>>();

/** Resolves with the exit code of a process spawned here (null: ended by a signal); undefined if not ours. */
export function exitOf(record: Pick<ProcessRecord, 'pid'>): Promise<number | null> | undefined {
  return exits.get(record.pid);
}

/** Spawns `spec` detached (own session and process group), logs to its file, returns its record. */
export async function spawnProcess(spec: ProcessSpec): Promise<ProcessRecord> {
  const log = fs.openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new InfraError(
            `cannot start ${spec.name} (${spec.command}): ${error.code ?? error.message}`,
            'check that it is installed; `npx cpqchaos env provision` installs what the environment needs',
          ),
        ),
      );
    });
    const pid = child.pid;
    if (pid === undefined) throw new InfraError(`cannot start ${spec.name}: no pid`);
    children.set(pid, child);
    names.set(pid, spec.name);
    exits.set(pid, new Promise((resolve) => child.once('exit', (code) => resolve(code))));
    child.once('exit', () => {
      children.delete(pid);
      names.delete(pid);
    });
    child.unref();
    const record: ProcessRecord = { spec, pid, startTime: readStartTime(pid) ?? 0 };
    writePidFile(record);
    return record;
  } finally {
    fs.closeSync(log);
  }
}

/** The running processes spawned here: name and pid, which is also their process group's id. */
export function ownProcessGroups(): { name: string; pid: number }[] {
  return [...names].map(([pid, name]) => ({ name, pid }));
}

/** Writes `record` to its pid file atomically. */
function writePidFile(record: ProcessRecord): void {
  const temp = `${record.spec.pidFile}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(record));
  fs.renameSync(temp, record.spec.pidFile);
}

/** Reads a pid file written by `spawnProcess`; undefined if missing or unreadable. */
export function readPidFile(file: string): ProcessRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  startTime: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: Number(fields[19]) };
}

function readStartTime(pid: number): number | undefined {
  return readStat(pid)?.startTime;
}

/** True while the recorded process itself (not a zombie, not a recycled pid) is alive. */
export function isAlive(record: Pick<ProcessRecord, 'pid' | 'startTime'>): boolean {
  const stat = readStat(record.pid);
  if (!stat || stat.state === 'Z') return false;
  return record.startTime === 0 || stat.startTime === record.startTime;
}

/** Live (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/** True if the recorded process still leads its group, or it is gone but its group lingers. */
function ownsGroup(record: ProcessRecord): boolean {
  if (isAlive(record)) return readStat(record.pid)?.pgrp === record.pid;
  // The leader is gone: its group id cannot be reused while any member lives, so members are ours.
  return readStat(record.pid) === undefined || readStat(record.pid)?.state === 'Z';
}

/** Sends `signal` to the whole process group of `record`, if it is provably ours. */
export function signalGroup(record: ProcessRecord, signal: NodeJS.Signals): void {
  if (!ownsGroup(record)) return;
  try {
    process.kill(-record.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Every live descendant of `pid` (children, their children, …), found through /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.state !== 'Z') children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = children.get(queue.shift() as number) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/**
 * Sends `signal` to the group of `record` and to every descendant that left it. PostgreSQL's
 * backends call setsid(): a SIGSTOP to the postmaster's group alone freezes no running query.
 */
export function signalTree(record: ProcessRecord, signal: NodeJS.Signals): void {
  if (!ownsGroup(record)) return;
  signalGroup(record, signal);
  for (const pid of descendants(record.pid)) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no member of the group is alive; false on timeout. */
export async function waitGroupGone(record: ProcessRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!ownsGroup(record) || groupMembers(record.pid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

/**
 * Stops the process group: the spec's graceful signal, then SIGKILL after `graceMs`, then waits
 * until every member is gone. Throws only if the group survives SIGKILL.
 */
export async function stopProcess(record: ProcessRecord, graceMs = 3000): Promise<void> {
  if (!ownsGroup(record) || groupMembers(record.pid).length === 0) return;
  signalGroup(record, 'SIGCONT'); // a paused group cannot act on SIGTERM
  signalGroup(record, record.spec.stopSignal);
  if (await waitGroupGone(record, graceMs)) return;
  await killProcess(record);
}

/** SIGKILLs the whole group and waits until it is gone. */
export async function killProcess(record: ProcessRecord): Promise<void> {
  signalGroup(record, 'SIGKILL');
  if (!(await waitGroupGone(record, 5000))) {
    throw new InfraError(`process group ${record.pid} (${record.spec.name}) survived SIGKILL`);
  }
}

/** Last `lines` lines of a log file, for error messages. */
export function logTail(file: string, lines = 8): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
