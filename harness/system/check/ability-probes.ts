/**
 * `check-system`'s ability probes: every ability each component declares, tried once and healed —
 * kill then start, restart, pause then resume, each failpoint armed then disarmed, the clock moved a
 * minute ahead then back — with how long it took (the component ready again) or why it failed.
 * Components are tried side by side; one component's abilities one after another.
 */
import type { AbilityName, StartedSystem, SystemComponent } from '../system.ts';

export interface AbilityProbe {
  component: string;
  ability: AbilityName;
  ok: boolean;
  ms: number;
  detail: string;
}

type Trial = [AbilityName, string, () => Promise<unknown>];

function trialsOf(c: SystemComponent): Trial[] {
  const trials: Trial[] = [];
  // The last ability command this trial ran, if it ran one (not an earlier trial's).
  const commandSince = (before: unknown) =>
    c.lastCommand && c.lastCommand !== before ? `\`${c.lastCommand.command}\` exit ${c.lastCommand.exitCode}` : '';
  if (c.killable) {
    const k = c.killable;
    trials.push(['kill', 'killed and started again', async () => (await k.kill(), await k.start())]);
  }
  if (c.restartable) {
    const r = c.restartable;
    trials.push(['restart', 'restarted', () => r.restart()]);
  }
  if (c.pausable) {
    const p = c.pausable;
    trials.push(['pause', 'paused and resumed', async () => (await p.pause(), await p.resume())]);
  }
  const f = c.failpointable;
  if (f)
    for (const name of f.failpoints)
      trials.push([
        'failpoints',
        `${name} armed and disarmed`,
        async () => (await f.arm(name, { action: 'crash', times: 1 }), await f.disarm(name)),
      ]);
  const clock = c.clockable;
  if (clock)
    trials.push([
      'clock',
      'a minute ahead and back',
      async () => (await clock.setClockOffset(60_000), await clock.setClockOffset(0)),
    ]);
  return trials.map(([ability, what, run]) => {
    const tried = async () => {
      const before = c.lastCommand;
      await run();
      return commandSince(before);
    };
    return [ability, what, tried] as Trial;
  });
}

/** Tries every ability of every component of `system`; resolves with one probe per try. */
export async function probeAbilities(system: StartedSystem): Promise<AbilityProbe[]> {
  const perComponent = await Promise.all(
    system.components.map(async (c) => {
      const probes: AbilityProbe[] = [];
      for (const [ability, what, run] of trialsOf(c)) {
        const started = performance.now();
        try {
          const ran = await run();
          probes.push({
            component: c.name,
            ability,
            ok: true,
            ms: Math.round(performance.now() - started),
            detail: [what, ran].filter(Boolean).join(': '),
          });
        } catch (error) {
          probes.push({
            component: c.name,
            ability,
            ok: false,
            ms: Math.round(performance.now() - started),
            detail: (error as Error).message.split('\n')[0] ?? '',
          });
        }
      }
      return probes;
    }),
  );
  return perComponent.flat();
}
