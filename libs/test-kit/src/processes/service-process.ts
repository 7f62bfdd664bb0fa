import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from '../kafka/provision-broker';
import { waitFor } from '../wait/wait-for';

// Found upwards, so this also works when loaded from dist/ (the bench), not only from source (Jest).
const REPO = findRepoRoot(__dirname) ?? join(__dirname, '..', '..', '..', '..');

export type ServiceName = 'supervisor' | 'worker-io' | 'worker-logic';

/**
 * One AgentOS service as its own OS process, started from the build output (dist/), as it
 * runs in production. Its output is kept for assertions and for the failure message.
 */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private output = '';
  private exitCode: number | null | undefined;
  private exitSignal: NodeJS.Signals | null = null;

  constructor(
    readonly name: ServiceName,
    /** The environment it was started with (PATH and NODE_ENV aside), for `respawn`. */
    readonly env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [join(REPO, 'dist', 'services', name, 'src', 'main.js')], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
  }

  get log(): string {
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True once the process has exited, whatever the cause. */
  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** How it ended: its exit code, or the signal that killed it; undefined while it runs. */
  get exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitCode === undefined ? undefined : { code: this.exitCode, signal: this.exitSignal };
  }

  /** Resolves once Nest reports the microservice listening (its subscriptions have joined their groups). */
  async ready(timeoutMs = 60_000): Promise<this> {
    // Ends the wait as soon as the process exits, too: a crash at start-up is reported at once.
    const outcome = await waitFor(
      () => (this.exitCode !== undefined ? 'exited' : this.output.includes('Nest microservice successfully started') && 'started'),
      { timeoutMs, description: `${this.name} to start` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} output ---\n${this.output.slice(-5_000)}`);
    });
    if (outcome === 'exited') {
      throw new Error(`${this.name} exited with ${this.exitCode} before it started:\n${this.output.slice(-5_000)}`);
    }
    return this;
  }

  /** SIGTERM, then waits for the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.exitCode === undefined) {
      this.child.kill('SIGTERM');
      await waitFor(() => this.exitCode !== undefined, { timeoutMs, description: `${this.name} to exit` }).catch(() => {
        this.child.kill('SIGKILL');
      });
    }
    return this.exitCode ?? null;
  }

  /**
   * Sends `signal` (default SIGKILL: a crash, no draining, no commits, no leaving groups) and
   * waits until the process is gone. Returns how it ended; a no-op on a process already gone.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exitCode === undefined) {
      this.child.kill(signal);
      await waitFor(() => this.exitCode !== undefined, { timeoutMs, description: `${this.name} (pid ${this.pid}) to die of ${signal}` });
    }
    return this.exitStatus!;
  }

  /** A new process of the same service with the same environment, plus `overrides` (e.g. a new WORKER_ID). */
  respawn(overrides: Record<string, string> = {}): ServiceProcess {
    return new ServiceProcess(this.name, { ...this.env, ...overrides });
  }
}
