#!/usr/bin/env node
// The `cpqchaos` binary: registers tsx's loader so the TypeScript sources run as they are (no build
// step between a clone and a run), then hands over to harness/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
