// Unit: readiness fails fast with a diagnosis when the process dies, and names a port clash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InfraError } from '../core/errors.ts';
import type { ProcessRecord } from './process.ts';
import { PortClashError, waitReady } from './readiness.ts';

const deadRecord = (log: string): ProcessRecord => {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ready-')), 'svc.log');
  fs.writeFileSync(logFile, log);
  return {
    spec: {
      name: 'redis',
      command: 'x',
      args: [],
      cwd: '/',
      logFile,
      pidFile: `${logFile}.pid`,
      stopSignal: 'SIGTERM',
    },
    pid: 2 ** 22 + 7,
    startTime: 1,
  };
};

describe('waitReady', () => {
  it('reports a port clash found in the log in one line with a remedy', async () => {
    const error = await waitReady(
      deadRecord(
        '# Warning: Could not create server TCP listening socket 127.0.0.1:6379: bind: Address already in use\n',
      ),
      async () => undefined,
      1000,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortClashError);
    expect((error as InfraError).message).toBe('redis exited during start: a port it needs is already in use');
    expect((error as InfraError).remedy).toContain('run the command again');
  });

  it('quotes the log tail for any other early exit', async () => {
    const error = await waitReady(deadRecord('FATAL: something else\n'), async () => undefined, 1000).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InfraError);
    expect(error).not.toBeInstanceOf(PortClashError);
    expect((error as InfraError).message).toContain('FATAL: something else');
  });
});
