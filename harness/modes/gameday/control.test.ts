// Unit: the drill's control channel over a hand-made system — a restart answers the pids before and
// after and is reported; restarts run one at a time; an unknown component is 404, one that cannot
// restart 409, another route 404 and a GET on restart 405; the listing names every component.
import { afterEach, describe, expect, it } from 'vitest';
import type { SystemComponent } from '../../system/system.ts';
import { startControl, type DrillControl } from './control.ts';

function component(name: string, restartable: boolean, log: string[]): SystemComponent {
  let pid = 100;
  const record = {
    get pid() {
      return pid;
    },
  };
  const able = {
    restart: async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 30));
      pid += 1;
      log.push(`end ${name}`);
    },
  };
  return {
    name,
    kind: name,
    url: '',
    record,
    abilities: restartable ? ['restart'] : [],
    ...(restartable ? { restartable: able } : {}),
  } as unknown as SystemComponent;
}

let control: DrillControl | undefined;
afterEach(async () => {
  await control?.close();
  control = undefined;
});

async function setUp() {
  const log: string[] = [];
  const reports: string[] = [];
  const components = [component('relay', true, log), component('proxy', false, log)];
  const system = {
    components,
    component: (name: string) => components.find((c) => c.name === name) as SystemComponent,
  };
  control = await startControl(system, (line) => reports.push(line));
  const call = async (method: string, route: string) => {
    const response = await fetch(`${control?.url}${route}`, { method });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { log, reports, call };
}

describe('drill control channel', () => {
  it('restart a component and report it, one restart at a time', async () => {
    const { log, reports, call } = await setUp();
    const [a, b] = await Promise.all([
      call('POST', '/components/relay/restart'),
      call('POST', '/components/relay/restart'),
    ]);
    expect(a).toMatchObject({ status: 200, body: { component: 'relay', pidBefore: 100, pidAfter: 101 } });
    expect(b).toMatchObject({ status: 200, body: { pidBefore: 101, pidAfter: 102 } });
    expect(log).toEqual(['start relay', 'end relay', 'start relay', 'end relay']);
    expect(reports[0]).toMatch(/^control: restarted relay \(pid 100 → 101, \d\.\d s\)$/);
  });

  it('refuse what it cannot do, with a status that says why', async () => {
    const { reports, call } = await setUp();
    expect(await call('POST', '/components/billing/restart')).toMatchObject({
      status: 404,
      body: { error: "no component 'billing' (known: relay, proxy)" },
    });
    const refused = await call('POST', '/components/proxy/restart');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/cannot restart/);
    expect(reports).toEqual([expect.stringMatching(/^control: refused to restart proxy/)]);
    expect((await call('GET', '/components/relay/restart')).status).toBe(405);
    expect((await call('POST', '/shutdown')).status).toBe(404);
    expect((await call('GET', '/components')).body).toEqual([
      { name: 'relay', kind: 'relay', pid: 100, abilities: ['restart'] },
      { name: 'proxy', kind: 'proxy', pid: 100, abilities: [] },
    ]);
  });
});
