#!/usr/bin/env node
// The `cpqchaos` binary: registers tsx's loader so the TypeScript sources run as they are (no build
// step between a clone and a run), then hands over to harness/cli.ts.
import { setTimeout } from 'node:timers';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
// Everything is done and reported. Something left open (a client still reconnecting, a timer) must
// not keep the command from ending: after 5 s, name it and exit with the verdict's code.
setTimeout(() => {
  process.stderr.write(
    `cpqchaos: left open after the end, exiting anyway: ${process.getActiveResourcesInfo().join(', ')}\n`,
  );
  process.exit(process.exitCode);
}, 5000).unref();
