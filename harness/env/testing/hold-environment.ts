/**
 * Test helper process: starts an environment, prints `{id, dir, pids, watchdog}` as one JSON line (the
 * watchdog's pid too), then waits to
 * be signalled — so tests can interrupt (SIGINT) or crash (SIGKILL) an environment's owner.
 */
import { startEnvironment } from '../environment.ts';

const env = await startEnvironment();
const pids = env.services().map((service) => service.record.pid);
process.stdout.write(`${JSON.stringify({ id: env.id, dir: env.dir, pids, watchdog: env.watchdog?.pid })}\n`);
setInterval(() => undefined, 60_000);
