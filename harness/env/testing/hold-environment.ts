/**
 * Test helper process: starts an environment, prints `{dir, pids}` as one JSON line, then waits to
 * be signalled — so tests can interrupt (SIGINT) or crash (SIGKILL) an environment's owner.
 */
import { startEnvironment } from '../environment.ts';

const env = await startEnvironment();
const pids = env.services().map((service) => service.record.pid);
process.stdout.write(`${JSON.stringify({ id: env.id, dir: env.dir, pids })}\n`);
setInterval(() => undefined, 60_000);
