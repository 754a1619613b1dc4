// Preloaded by `bench:ref --profile` (NODE_OPTIONS=--import, since Node 20 refuses --cpu-prof there):
// profiles this process from start to exit with the inspector and writes a .cpuprofile into
// CPQ_CPU_PROF_DIR, as `node --cpu-prof` would.
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
  process.on('exit', () => {
    // Same-thread inspector sessions answer synchronously, so this completes before the process ends.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
