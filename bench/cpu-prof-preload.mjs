// Preloaded by `bench:ref --profile` (NODE_OPTIONS=--import, since Node 20 refuses --cpu-prof there):
// profiles this process from start until it is told to stop (SIGTERM/SIGINT) or exits, and writes a
// .cpuprofile into CPQ_CPU_PROF_DIR, as `node --cpu-prof` would. Writing on the signal rather than
// only at exit matters for a busy API: its graceful stop can outlast the supervisor's grace period,
// and a SIGKILLed process never reaches 'exit'.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import process from 'node:process';

const dir = process.env.CPQ_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // Same-thread inspector sessions answer synchronously, so this completes before the caller returns.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  // Registered before the application's own handlers, so it runs first; theirs still run after it.
  // A process with no handler of its own must still die of the signal, as it would unprofiled.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const onSignal = () => {
      write();
      if (process.listenerCount(signal) > 1) return;
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  process.on('exit', write);
}
