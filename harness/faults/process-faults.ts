/**
 * Process faults: kill -9 then start again (same port, same data — for Redis with persistence off,
 * empty), and pause (SIGSTOP) then resume. They target an ability, not a class: Redis, Kafka,
 * PostgreSQL or a component of the system under test alike.
 */
import { UsageError } from '../core/errors.ts';
import type { Killable, Pausable } from '../env/abilities.ts';
import type { ProcessRecord } from '../env/process.ts';
import type { CommandRecord } from '../system/manifest/shell-command.ts';
import { requireAbility } from '../system/system.ts';
import { allOf, type Fault, type FaultContext } from './fault.ts';
import { proxyDisable } from './network-faults.ts';

type Select<T> = (ctx: FaultContext) => T;
/** What a kill fault uses of its target: an ability plus the current process, for the record. */
type Ran = { readonly record: Pick<ProcessRecord, 'pid'>; readonly lastCommand?: CommandRecord | undefined };
type KillTarget = Pick<Killable, 'kill' | 'start' | 'isRunning'> & Ran;
type PauseTarget = Pick<Pausable, 'pause' | 'resume'> & Ran;

/** The shell command an ability ran, when the target's abilities are commands (recorded with the op). */
const ran = (target: Ran) => (target.lastCommand ? { command: target.lastCommand } : {});

/** `<target>-kill`: SIGKILL on start; started again (and ready) on stop. */
export function killFault(target: string, select: Select<KillTarget>): Fault {
  return {
    name: `${target}-kill`,
    target,
    async invoke(ctx, action) {
      const service = select(ctx);
      if (action === 'start') {
        const pid = service.record.pid;
        await service.kill();
        return { killedPid: pid, ...ran(service) };
      }
      const wasRunning = service.isRunning();
      await service.start();
      return { pid: service.record.pid, restarted: !wasRunning, ...ran(service) };
    },
  };
}

/** `<target>-pause`: SIGSTOP on start (connections stay open, nothing answers); SIGCONT on stop. */
export function pauseFault(target: string, select: Select<PauseTarget>): Fault {
  return {
    name: `${target}-pause`,
    target,
    async invoke(ctx, action) {
      const service = select(ctx);
      if (action === 'start') await service.pause();
      else await service.resume();
      return { pid: service.record.pid, ...ran(service) };
    },
  };
}

/** Redis killed and restarted empty. */
export const redisKill = killFault('redis', (ctx) => ctx.env.redis);
/** Redis frozen. */
export const redisPause = pauseFault('redis', (ctx) => ctx.env.redis);
/** PostgreSQL killed -9 and started again (crash recovery, same data). */
export const postgresKill = killFault('postgres', (ctx) => ctx.env.postgres);
/** PostgreSQL frozen: connections open, no query answers. */
export const postgresPause = pauseFault('postgres', (ctx) => ctx.env.postgres);
/** The Kafka broker killed -9 and started again (same port, its log kept). */
export const kafkaKill = killFault('kafka', (ctx) => ctx.env.kafka);
/** The Kafka broker frozen. */
export const kafkaPause = pauseFault('kafka', (ctx) => ctx.env.kafka);

/** The system's component `name`; a usage error when there is no system or no such component. */
export function componentOf(ctx: FaultContext, name: string) {
  if (!ctx.system) throw new UsageError(`a fault on component ${name} needs a system under test`);
  return ctx.system.component(name);
}

/** A component of the system under test (e.g. `invalidation`, `relay`) killed and restarted. */
export const componentKill = (name: string): Fault =>
  killFault(name, (ctx) => {
    const component = componentOf(ctx, name);
    const able = requireAbility(component, 'kill');
    return {
      kill: () => able.kill(),
      start: () => able.start(),
      isRunning: () => able.isRunning(),
      get record() {
        return component.record;
      },
      get lastCommand() {
        return component.lastCommand;
      },
    };
  });
/** A component of the system under test frozen and thawed. */
export const componentPause = (name: string): Fault =>
  pauseFault(name, (ctx) => {
    const component = componentOf(ctx, name);
    const able = requireAbility(component, 'pause');
    return {
      pause: () => able.pause(),
      resume: () => able.resume(),
      get record() {
        return component.record;
      },
      get lastCommand() {
        return component.lastCommand;
      },
    };
  });

/**
 * `stale-cache-window`: caches cannot learn of publishes — the invalidation consumer is frozen and
 * the API instances are cut off from Kafka (no per-instance eviction events) — so cached version
 * pointers stay where they were while PostgreSQL moves on. Healed by thawing and reconnecting.
 */
export const staleCacheWindow: Fault = allOf('stale-cache-window', 'invalidation+api-kafka', [
  componentPause('invalidation'),
  proxyDisable('api-kafka'),
]);
