/**
 * Every child process the bench started, so none outlives it: stopped politely by the
 * scenario that started it, killed here if the bench exits or is interrupted first.
 */
const live = new Map<number, string>();
let installed = false;

function killAll(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, killing ${live.size} child process(es)`);
      killAll();
      process.exit(130);
    });
  }
}

export function trackChild(pid: number | undefined, name: string): void {
  if (pid === undefined) return;
  install();
  live.set(pid, name);
}

export function untrackChild(pid: number | undefined): void {
  if (pid !== undefined) live.delete(pid);
}
