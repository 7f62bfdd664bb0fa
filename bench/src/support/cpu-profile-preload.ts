/**
 * Preloaded into child processes (`NODE_OPTIONS=--require …/cpu-profile-preload.js`) when the
 * bench runs with BENCH_CPU_PROF: Node refuses --cpu-prof in NODE_OPTIONS, so this starts V8's
 * sampling profiler through the inspector and writes a .cpuprofile (Chrome DevTools, or
 * speedscope) into BENCH_CPU_PROF_DIR when the process exits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join, relative } from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const label = relative(process.cwd(), process.argv[1] ?? 'node').replace(/[^A-Za-z0-9]+/g, '-');
  process.on('exit', () => {
    // A same-thread inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${label}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
