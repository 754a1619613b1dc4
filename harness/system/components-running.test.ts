// Unit: which components run, as their abilities say, and which were down at the quiesce's looks;
// restarting every component that can be restarted, all at once, and naming those that cannot.
import { describe, expect, it } from 'vitest';
import { componentsDown, componentsRunning, restartComponents } from './components-running.ts';
import type { SystemComponent } from './system.ts';

const service = (running: boolean) => ({ name: 'x', stop: async () => undefined, isRunning: () => running });

function component(name: string, ability: 'killable' | 'restartable' | 'pausable' | 'none', running = true) {
  const base = { name, kind: name, abilities: [], url: 'http://127.0.0.1:1', record: { pid: 1 } };
  return (ability === 'none' ? base : { ...base, [ability]: service(running) }) as unknown as SystemComponent;
}

describe('components running', () => {
  it('asks each component that can say, and leaves out one that cannot', () => {
    const running = componentsRunning([
      component('api-1', 'killable'),
      component('relay', 'restartable', false),
      component('consumers', 'pausable'),
      component('external', 'none'),
    ]);
    expect([...running]).toEqual([
      ['api-1', true],
      ['relay', false],
      ['consumers', true],
    ]);
  });

  it('lists a component down at either look, with which', () => {
    const start = new Map([
      ['api-1', true],
      ['relay', false],
      ['consumers', false],
    ]);
    const end = new Map([
      ['api-1', false],
      ['relay', true],
      ['consumers', false],
    ]);
    expect(componentsDown(start, end)).toEqual([
      { name: 'api-1', atStart: false, atEnd: true },
      { name: 'relay', atStart: true, atEnd: false },
      { name: 'consumers', atStart: true, atEnd: true },
    ]);
    expect(componentsDown(new Map([['api-1', true]]), new Map([['api-1', true]]))).toEqual([]);
  });

  it('restarts every component that can be, all at once, and names the rest', async () => {
    const events: string[] = [];
    const restartable = (name: string) =>
      ({
        name,
        kind: name,
        restartable: {
          restart: async () => {
            events.push(`${name} stopping`);
            await new Promise((resolve) => setTimeout(resolve, 20));
            events.push(`${name} ready`);
          },
        },
      }) as unknown as SystemComponent;
    const kept = await restartComponents([
      restartable('api-1'),
      component('external', 'none'),
      component('consumers', 'killable'),
      restartable('relay'),
    ]);
    expect(kept).toEqual(['external', 'consumers']);
    // Both began before either was ready again: at once, not one after the other.
    expect(events).toEqual(['api-1 stopping', 'relay stopping', 'api-1 ready', 'relay ready']);
  });
});
