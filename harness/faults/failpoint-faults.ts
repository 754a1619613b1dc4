/**
 * Failpoint faults: a crash at the worst moment. On start a named failpoint of a component is
 * armed (checked against the names the component knows: an unknown one is a usage error, never a
 * silent no-op); the component kills itself when its code reaches that point. On stop (the heal)
 * the failpoint is disarmed if it never fired, and a component that crashed is started again.
 * Only a disarm the component answered proves a live process holds nothing armed: one that went
 * unanswered means it is dying of the failpoint this instant (a heal comes just as the backlog its
 * dependencies' heals let through reaches the failpoint) or cannot be told, so it is killed if it
 * lingers and started afresh — a new process has nothing armed. The history records whether it
 * fired, what was restarted, and a disarm that went unanswered.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { messageOf } from '../core/errors.ts';
import type { FailpointSpec, HasFailpoints, Killable } from '../env/abilities.ts';
import { armFailpoint, requireAbility, requireFailpoint } from '../system/system.ts';
import type { Fault } from './fault.ts';
import { componentOf } from './process-faults.ts';

/** How often a disarm is tried (100 ms apart) before the process is taken as dying or unreachable. */
const DISARM_TRIES = 3;

/** Disarms `failpoint` while `process` runs; undefined once answered, else why it never was. */
async function disarmAnswered(
  failpoints: Pick<HasFailpoints, 'disarm'>,
  process: Pick<Killable, 'isRunning'>,
  failpoint: string,
): Promise<string | undefined> {
  let why = 'the process was gone';
  for (let attempt = 0; attempt < DISARM_TRIES; attempt++) {
    // Look after the pause, not before it: a process dying of the failpoint is gone by then.
    if (attempt > 0) await delay(100);
    if (!process.isRunning()) break;
    try {
      await failpoints.disarm(failpoint);
      return undefined;
    } catch (error) {
      why = messageOf(error);
    }
  }
  return why;
}

/**
 * Heals a failpoint of `process`: disarmed if it runs and answers, else (crashed, dying, or
 * unreachable while armed) killed if still there and started again. Returns what happened.
 */
export async function healFailpoint(
  process: Pick<Killable, 'isRunning' | 'kill' | 'start'>,
  failpoints: Pick<HasFailpoints, 'disarm'>,
  failpoint: string,
): Promise<{ fired: boolean; restarted: boolean; disarmUnanswered?: string }> {
  const crashed = !process.isRunning();
  const unanswered = crashed ? undefined : await disarmAnswered(failpoints, process, failpoint);
  if (!crashed && unanswered === undefined) return { fired: false, restarted: false };
  // Gone by now (a dying process is, after the tries): it fired. Still there: it cannot be told.
  const fired = crashed || !process.isRunning();
  if (!fired) await process.kill();
  await process.start();
  return {
    fired,
    restarted: true,
    ...(unanswered !== undefined ? { disarmUnanswered: unanswered } : {}),
  };
}

/** `failpoint-crash`: `failpoint` of `component` armed to crash (once by default); restarted on heal. */
export function failpointCrash(component: string, failpoint: string, spec: Omit<FailpointSpec, 'action'> = {}): Fault {
  return {
    name: `failpoint-crash`,
    target: `${component}:${failpoint}${spec.consumer ? `(${spec.consumer})` : ''}`,
    async setup(ctx) {
      // Fail the scenario's set-up, not its workload, on a component that cannot do this.
      const target = componentOf(ctx, component);
      requireAbility(target, 'kill');
      requireFailpoint(target, failpoint);
    },
    async invoke(ctx, action) {
      const target = componentOf(ctx, component);
      const process = requireAbility(target, 'kill');
      if (action === 'start') {
        await armFailpoint(target, failpoint, { ...spec, action: 'crash' });
        return { armed: failpoint, pid: target.record.pid };
      }
      const healed = await healFailpoint(process, requireAbility(target, 'failpoints'), failpoint);
      // A component restarted by a shell command: what ran, for the record.
      const command = healed.restarted && target.lastCommand ? { command: target.lastCommand } : {};
      return { ...healed, pid: target.record.pid, ...command };
    },
  };
}
