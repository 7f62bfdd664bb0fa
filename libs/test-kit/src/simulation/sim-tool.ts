import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Tool, ToolContext, ToolError } from '@agentos/worker-kit';
import { SimLedger, simOutcome, SimToolProfile, SimWorld } from './sim-world';

export class SimToolInput {
  /** Where the data comes from (a path, an id): part of the goal's parameters. */
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  readonly source?: string;

  /** The data's format; a tool may reject one (`rejectsFormat`). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  readonly format?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  readonly note?: string;
}

export class SimToolOutput {
  @IsString()
  readonly tool!: string;

  @IsString()
  readonly workerType!: string;
}

/** Waits `ms`, or until the signal aborts (the executor then reports the timeout or the cancel). */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** A tool of the simulated world: reports its cost, then succeeds or fails as the world decides. */
export class SimTool implements Tool<SimToolInput, SimToolOutput> {
  readonly description: string;
  readonly input = SimToolInput;
  readonly output = SimToolOutput;
  readonly sideEffects = false;

  constructor(
    readonly name: string,
    private readonly workerType: string,
    private readonly profile: SimToolProfile,
    private readonly world: SimWorld,
    private readonly ledger: SimLedger,
  ) {
    this.description = `Simulated ${name} on ${workerType}.`;
  }

  async execute(input: SimToolInput, context: ToolContext): Promise<SimToolOutput> {
    const attempt = { goalId: context.goalId, taskId: context.taskId, attempt: context.attempt, workerType: this.workerType, tool: this.name };
    const outcome = simOutcome(this.world, attempt, input.format);
    context.reportCost(this.profile.cost);
    this.ledger.record({ ...attempt, outcome, cost: this.profile.cost });
    // Reported at once, as a tool whose own call timed out would: no wall-clock deadline in the
    // simulation, so a loaded machine changes no outcome.
    if (outcome === 'timeout') throw new ToolError('timeout', `simulated ${this.name} timed out`);
    if (this.profile.latencyMs) await wait(this.profile.latencyMs, context.signal);
    if (outcome === 'transient') throw new ToolError('transient', `simulated ${this.name} failed on ${this.workerType}`);
    if (outcome === 'logic_error') throw new ToolError('logic_error', `simulated ${this.name} cannot read format ${input.format ?? 'unknown'}`);
    return { tool: this.name, workerType: this.workerType };
  }
}
