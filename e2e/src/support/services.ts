import { ServiceProcess } from '@agentos/test-kit';

export interface SystemEnv {
  readonly supervisor: Record<string, string>;
  readonly io: Record<string, string>;
  readonly logic: Record<string, string>;
}

/**
 * Starts the three services as processes: the supervisor first (it creates the namespace's
 * topics), then both workers together. Each started process is pushed to `started` at once,
 * so the caller's cleanup stops it even when a later one fails to start.
 */
export async function startServices(env: SystemEnv, started: ServiceProcess[]): Promise<void> {
  const supervisor = new ServiceProcess('supervisor', env.supervisor);
  started.push(supervisor);
  await supervisor.ready();
  const workers = [new ServiceProcess('worker-io', env.io), new ServiceProcess('worker-logic', env.logic)];
  started.push(...workers);
  await Promise.all(workers.map((worker) => worker.ready()));
}
