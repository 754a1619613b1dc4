/**
 * Whether the system's components still run once every fault has healed. A component that died on
 * its own (a poison event, an unhandled rejection) or that a heal did not bring back shows up later
 * only as its effects missing — projections behind, events unapplied — which reads like a bug of
 * the system's logic. Looked at as the quiesce begins and as it ends, it is named instead. And a
 * component can be given a fresh process when what a run left in it must not decide the next one.
 */
import type { ComponentDown } from '../core/final-state.ts';
import type { SystemComponent } from './system.ts';

/**
 * Whether each component runs, as its own abilities say (`kill`, `restart` or `pause` each answer
 * it); a component with none of them cannot say and is left out.
 */
export function componentsRunning(components: readonly SystemComponent[]): Map<string, boolean> {
  const running = new Map<string, boolean>();
  for (const component of components) {
    const service = component.killable ?? component.restartable ?? component.pausable;
    if (service) running.set(component.name, service.isRunning());
  }
  return running;
}

/** The components not running at either look (`atStart`, `atEnd`), in the order of the first look. */
export function componentsDown(atStart: Map<string, boolean>, atEnd: Map<string, boolean>): ComponentDown[] {
  const names = [...new Set([...atStart.keys(), ...atEnd.keys()])];
  return names
    .map((name) => ({ name, atStart: atStart.get(name) === false, atEnd: atEnd.get(name) === false }))
    .filter((c) => c.atStart || c.atEnd);
}

/**
 * Restarts every component that can be restarted, all at once (each waits until it is ready again),
 * so what a run left inside their processes — a leaked pool, a wedged consumer — is gone; returns the
 * names of those that cannot be restarted, which keep whatever they hold.
 */
export async function restartComponents(components: readonly SystemComponent[]): Promise<string[]> {
  await Promise.all(components.flatMap((c) => (c.restartable ? [c.restartable.restart()] : [])));
  return components.filter((c) => !c.restartable).map((c) => c.name);
}
