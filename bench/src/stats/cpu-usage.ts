import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** CPU time so far: the whole machine (every core) and some processes, in milliseconds. */
export interface CpuSnapshot {
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
  readonly processes: ReadonlyMap<string, number | undefined>;
}

/** Where CPU went between two snapshots. */
export interface CpuUsage {
  readonly cores: number;
  /** Busy share of all cores, 0..100. */
  readonly machineBusyPercent: number;
  readonly machineBusyMs: number;
  /** CPU ms per named process (undefined where it could not be read). */
  readonly processes: ReadonlyMap<string, number | undefined>;
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process from /proc (Linux), in ms; undefined elsewhere or once it exited. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** `pids`: name -> pid; `self` is always this process. */
export function cpuSnapshot(pids: Readonly<Record<string, number | undefined>>): CpuSnapshot {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const used = times.user + times.nice + times.sys + times.irq;
    busy += used;
    total += used + times.idle;
  }
  const processes = new Map<string, number | undefined>();
  const self = process.cpuUsage();
  processes.set('bench driver (this process)', (self.user + self.system) / 1000);
  for (const [name, pid] of Object.entries(pids)) processes.set(name, pid === undefined ? undefined : processCpuMs(pid));
  return { machineBusyMs: busy, machineTotalMs: total, processes };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const busy = after.machineBusyMs - before.machineBusyMs;
  const total = after.machineTotalMs - before.machineTotalMs;
  const processes = new Map<string, number | undefined>();
  for (const [name, end] of after.processes) {
    const start = before.processes.get(name);
    processes.set(name, end === undefined || start === undefined ? undefined : end - start);
  }
  return { cores: cpus().length, machineBusyPercent: total > 0 ? (100 * busy) / total : Number.NaN, machineBusyMs: busy, processes };
}
