/**
 * Failpoint faults: a crash at the worst moment. On start a named failpoint of a component is
 * armed (checked against the names the component knows: an unknown one is a usage error, never a
 * silent no-op); the component kills itself when its code reaches that point. On stop (the heal)
 * the failpoint is disarmed if it never fired, and a component that crashed is started again.
 * The history records whether it fired and what was restarted.
 */
import type { FailpointSpec } from '../env/abilities.ts';
import { armFailpoint, requireAbility, requireFailpoint } from '../system/system.ts';
import type { Fault } from './fault.ts';
import { componentOf } from './process-faults.ts';

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
      const crashed = !process.isRunning();
      if (!crashed)
        await requireAbility(target, 'failpoints')
          .disarm(failpoint)
          .catch(() => undefined);
      // It may have crashed between the check and the disarm: look again.
      const down = !process.isRunning();
      if (down) await process.start();
      // A component restarted by a shell command: what ran, for the record.
      const command = down && target.lastCommand ? { command: target.lastCommand } : {};
      return { fired: down, restarted: down, pid: target.record.pid, ...command };
    },
  };
}
