/**
 * `kafka-outage`: the relay loses Kafka while orders and quotes keep coming — its requests no
 * longer reach the broker (a timeout toxic on the relay→Kafka direction: nothing gets through,
 * connections close after 1 s; answers to what already arrived still return, so the batch in
 * flight at the cut completes or fails, and the next one is claimed during the outage) — and, a few
 * seconds into it, with a batch claimed and its send failing, the relay is killed -9; it is
 * started again once Kafka is back. (Disabling the proxy instead closed the connection before the
 * broker's answer to a batch it already had, and the relay could spend the whole outage retrying
 * that batch: the self-check then had nothing claimed during the outage to lose.) Every event committed to the outbox must
 * still reach its topic (a relay that marks rows published before the broker has them loses them
 * here), and every order's billing must happen once, within a bounded drain after the heal.
 */
import { proxyToxic } from '../harness/faults/network-faults.ts';
import { componentKill } from '../harness/faults/process-faults.ts';
import { faultPackage } from '../harness/faults/schedule.ts';
import type { Scenario } from '../harness/runner/scenario.ts';
import { messagingScenario } from './messaging-base.ts';

export const kafkaOutage: Scenario = {
  ...messagingScenario,
  name: 'kafka-outage',
  purpose:
    'events committed while the relay cannot reach Kafka, and the relay crashing then, all reach their topic and apply once',
  tags: ['gate', 'messaging'],
  faultNames: ['kafka-blackhole (relay→kafka)', 'relay-kill'],
  requires: [{ component: 'relay', abilities: ['kill'] }],
  faults: (ctx) => {
    // One outage of 6–8 s starting 1–2 s in; the relay dies 2.5–3.5 s into it and returns 0.5 s after it.
    const random = ctx.random.fork('faults');
    const start = random.int(1000, 2000);
    const end = Math.min(ctx.timeLimitMs - 1000, start + random.int(6000, 8000));
    const killAt = start + random.int(2500, 3500);
    return [
      faultPackage(
        proxyToxic('relay-kafka', 'timeout', { timeout: 1000 }, { streams: ['upstream'], name: 'kafka-blackhole' }),
        [
          { atMs: start, action: 'start' },
          { atMs: end, action: 'stop' },
        ],
      ),
      faultPackage(componentKill('relay'), [
        { atMs: Math.min(killAt, end - 500), action: 'start' },
        { atMs: end + 500, action: 'stop' },
      ]),
    ];
  },
};
