import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@agentos/test-kit';
import { trackChild, untrackChild } from '../support/child-processes';

/** What the echo worker prints once its consumer holds partitions. */
export const ECHO_READY = 'ECHO_READY';

export interface EchoWorkerSettings {
  readonly brokers: readonly string[];
  readonly requestTopic: string;
  readonly replyTopic: string;
  readonly groupId: string;
  readonly replyBytes: number;
  /** Extra environment (the CPU profiler preload, BENCH_CPU_PROF). */
  readonly env?: Record<string, string>;
}

/** The raw baseline's echo worker (echo-worker.ts, from dist/) as a child process. */
export class EchoProcess {
  private readonly child: ChildProcess;
  private output = '';
  private exitCode: number | null | undefined;

  constructor(settings: EchoWorkerSettings) {
    this.child = spawn(process.execPath, [join(__dirname, 'echo-worker.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ECHO_BROKERS: settings.brokers.join(','),
        ECHO_REQUEST_TOPIC: settings.requestTopic,
        ECHO_REPLY_TOPIC: settings.replyTopic,
        ECHO_GROUP: settings.groupId,
        ECHO_REPLY_BYTES: String(settings.replyBytes),
        ...settings.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(this.child.pid, 'echo-worker');
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('exit', (code) => {
      this.exitCode = code;
      untrackChild(this.child.pid);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async ready(timeoutMs: number): Promise<void> {
    await waitFor(
      () => {
        if (this.exitCode !== undefined) throw new Error(`echo worker exited with ${this.exitCode}: ${this.output}`);
        return this.output.includes(ECHO_READY);
      },
      { timeoutMs, description: 'the echo worker to join its group' },
    );
  }

  /** Throws if the worker died (a failed produce exits it). */
  assertAlive(): void {
    if (this.exitCode !== undefined) throw new Error(`echo worker exited with ${this.exitCode}: ${this.output.slice(-2_000)}`);
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    await waitFor(() => this.exitCode !== undefined, { timeoutMs, description: 'the echo worker to exit' }).catch(() => this.child.kill('SIGKILL'));
  }
}
