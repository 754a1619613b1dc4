// Unit: a hot-key stampede among scenarios run at once takes an ordinary turn per request for its
// publish and warm-up, and a turn alone for its measurement only — the source-load counts and the slowed burst
// (explore --at-once: a warm-up stretched by another sequence's fault held every sequence for 20 s).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinalState } from '../core/final-state.ts';
import { HistoryWriter } from '../core/history.ts';
import { CpqClient } from '../system/cpq-client.ts';
import type { WorkloadContext } from './context.ts';
import { Operations } from './operations.ts';
import { hotKeyBurst } from './stampede.ts';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = req.url?.endsWith('/catalog/publish')
      ? { catalogVersion: 2 }
      : { offeringId: 'router', name: 'Router', catalogVersion: 2 };
    req.resume();
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** A context whose turns and source counts are logged; `loads` answers the counts. */
function contextLogging(log: string[], loads: () => Promise<number>) {
  const history = new HistoryWriter(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-')), 'history.jsonl'));
  let alone = false;
  const finalState: FinalState = { parameters: {}, observations: {} };
  const ctx: WorkloadContext = {
    tenants: ['ta'],
    apiUrls: [base, base],
    state: new Map(),
    history,
    finalState,
    ops: (process: number | string) =>
      new Operations(history, process, (t) => new CpqClient(base, t, 2000), undefined, ctx.turn),
    turn: async <T>(isAlone: boolean, work: () => Promise<T>) => {
      if (alone) return work(); // held already: the burst's reads inside the measurement
      log.push(isAlone ? 'turn alone' : 'turn');
      alone = isAlone;
      try {
        return await work();
      } finally {
        alone = false;
        if (isAlone) log.push('turn alone ended');
      }
    },
    reads: {
      sourceLoads: async () => {
        log.push(alone ? 'count, alone' : 'count, NOT alone');
        return loads();
      },
    },
    inject: async (_fault: unknown, action: string) => {
      log.push(`${action} slow source${alone ? ', alone' : ', NOT alone'}`);
    },
  } as unknown as WorkloadContext;
  return { ctx, finalState };
}

describe('hotKeyBurst among scenarios at once', () => {
  it('measures alone, and publishes and warms up in ordinary turns', async () => {
    const log: string[] = [];
    let counted = 0;
    const { ctx, finalState } = contextLogging(log, async () => (counted += 2));
    await hotKeyBurst(ctx, { tenant: 'ta', requests: 4, slowSourceMs: 1 });
    expect(log).toEqual([
      'turn', // the publish: each request its own ordinary turn
      'turn', // warm-up, instance 0: answers with the new version at once
      'turn', // warm-up, instance 1 (the burst's 4 reads run inside the turn alone)
      'turn alone',
      'count, alone',
      'start slow source, alone',
      'stop slow source, alone',
      'count, alone',
      'turn alone ended',
    ]);
    expect(finalState.observations.stampedes).toMatchObject([
      { key: 'ta:catalog:support', version: 2, loads: 2, requests: 4, okRequests: 4 },
    ]);
  });

  it('gives its turn alone back when a count hangs (PostgreSQL paused by another sequence), and measures nothing', async () => {
    const log: string[] = [];
    const { ctx, finalState } = contextLogging(log, () => new Promise<number>(() => undefined));
    await expect(hotKeyBurst(ctx, { tenant: 'ta', requests: 4, slowSourceMs: 1, measureMs: 50 })).rejects.toThrow(
      'the stampede measurement did not finish within 0.05 s',
    );
    expect(log.slice(-3)).toEqual(['turn alone', 'count, alone', 'turn alone ended']);
    expect(finalState.observations.stampedes).toBeUndefined();
  });

  it("gives its turn alone back at the first count's own bound, well before the measurement's", async () => {
    const log: string[] = [];
    const { ctx, finalState } = contextLogging(log, () => new Promise<number>(() => undefined));
    // The measurement's own bound (20 s by default) is not what ended it.
    await expect(hotKeyBurst(ctx, { tenant: 'ta', requests: 4, slowSourceMs: 1, countMs: 50 })).rejects.toThrow(
      "the stampede's first count did not finish within 0.05 s",
    );
    expect(log.slice(-3)).toEqual(['turn alone', 'count, alone', 'turn alone ended']);
    expect(finalState.observations.stampedes).toBeUndefined();
  });

  it('gives its turn back at once, without counting, while an earlier count on the same source is unanswered; measures again once it answers', async () => {
    const log: string[] = [];
    let answer: (n: number) => void = () => undefined;
    const frozen = new Promise<number>((resolve) => (answer = resolve));
    let counts = 0;
    const { ctx, finalState } = contextLogging(log, () => (++counts === 1 ? frozen : Promise.resolve(counts)));
    await expect(hotKeyBurst(ctx, { tenant: 'ta', requests: 2, slowSourceMs: 1, countMs: 50 })).rejects.toThrow(
      "the stampede's first count did not finish within 0.05 s",
    );
    const started = performance.now();
    await expect(hotKeyBurst(ctx, { tenant: 'ta', requests: 2, slowSourceMs: 1, countMs: 5000 })).rejects.toThrow(
      "the source has not answered an earlier stampede's count yet",
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(log.slice(-2)).toEqual(['turn alone', 'turn alone ended']); // no count: given back at once
    expect(counts).toBe(1);
    answer(7); // the source runs again
    await new Promise((resolve) => setTimeout(resolve, 10));
    await hotKeyBurst(ctx, { tenant: 'ta', requests: 2, slowSourceMs: 1, countMs: 5000 });
    expect(counts).toBe(3);
    expect(finalState.observations.stampedes).toHaveLength(1);
  });
});
