/**
 * The drill's control channel: a small HTTP endpoint on 127.0.0.1 (its URL is `control` in
 * `.cpqchaos/gameday.json`) through which a runbook action asks the drill to act on what only the
 * harness manages — the system's processes. `GET /components` lists them with their abilities and
 * pids; `POST /components/<name>/restart` restarts one (stopped, started on the same port, ready)
 * and answers with its pids before and after. Restarts run one at a time; each is reported (a mark
 * on the drill's timeline). An unknown component is 404, one that cannot restart 409.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireAbility, type StartedSystem } from '../../system/system.ts';

export interface DrillControl {
  url: string;
  close(): Promise<void>;
}

type System = Pick<StartedSystem, 'components' | 'component'>;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Starts the channel over `system`; `report` gets one line per restart done or refused. */
export async function startControl(system: System, report: (line: string) => void): Promise<DrillControl> {
  let queue: Promise<unknown> = Promise.resolve();
  const restart = (name: string) => {
    const component = system.component(name);
    const able = requireAbility(component, 'restart');
    const run = queue.then(async () => {
      const before = component.record.pid;
      const started = performance.now();
      await able.restart();
      const ms = Math.round(performance.now() - started);
      report(`control: restarted ${name} (pid ${before} → ${component.record.pid}, ${(ms / 1000).toFixed(1)} s)`);
      return { component: name, pidBefore: before, pidAfter: component.record.pid, ms };
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://control');
    const match = /^\/components\/([^/]+)\/restart$/.exec(url.pathname);
    if (url.pathname === '/components' && req.method === 'GET')
      return send(
        res,
        200,
        system.components.map((c) => ({ name: c.name, kind: c.kind, pid: c.record.pid, abilities: c.abilities })),
      );
    if (!match) return send(res, 404, { error: `no such control route: ${req.method} ${url.pathname}` });
    if (req.method !== 'POST') return send(res, 405, { error: 'restart with POST' });
    const name = decodeURIComponent(match[1] as string);
    if (!system.components.some((c) => c.name === name))
      return send(res, 404, {
        error: `no component '${name}' (known: ${system.components.map((c) => c.name).join(', ')})`,
      });
    let done: Promise<unknown>;
    try {
      done = restart(name);
    } catch (error) {
      report(`control: refused to restart ${name} — ${(error as Error).message}`);
      return send(res, 409, { error: (error as Error).message });
    }
    done.then(
      (body) => send(res, 200, body),
      (error: unknown) => {
        report(`control: restarting ${name} failed — ${(error as Error).message}`);
        send(res, 500, { error: (error as Error).message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
