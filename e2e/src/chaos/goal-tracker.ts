import { GoalEventMessage, TERMINAL_GOAL_EVENTS } from '@agentos/contracts';

interface TaskState {
  readonly workerType: string;
  inFlight: boolean;
  /** createdAt of its task.succeeded event, epoch ms. */
  succeededAt?: number;
  succeededBy?: string;
}

interface GoalState {
  readonly tasks: Map<string, TaskState>;
  terminal?: GoalEventMessage;
  terminalAt?: number;
  lastEvent?: string;
}

export interface TaskRef {
  readonly goalId: string;
  readonly taskId: string;
}

/**
 * Follows the supervisor's goal events (fed one at a time, in topic order, which is per goal
 * the order they were decided in) and answers what the chaos scenarios ask while the load
 * runs: how far it got, what is in flight on which worker type, when things happened.
 */
export class GoalTracker {
  private readonly goals = new Map<string, GoalState>();
  private readonly inFlightByType = new Map<string, number>();
  /** Every task.succeeded, in arrival order. */
  readonly succeeded: Array<{ goalId: string; taskId: string; at: number; workerId: string | undefined }> = [];
  /** Every goal.restored (a supervisor took the goal over from its journal), in arrival order. */
  readonly restored: Array<{ goalId: string; at: number }> = [];
  /** Every task.failed's error code, counted. */
  readonly failuresByCode = new Map<string, number>();
  /** Terminal events of goals that already had one (a goal must end once): the first's type and this one's. */
  readonly extraTerminals: Array<{ goalId: string; first: string; type: string; at: number }> = [];
  events = 0;
  lastEventSeenAt = Date.now();

  add(event: GoalEventMessage): void {
    this.events++;
    this.lastEventSeenAt = Date.now();
    const goal = this.goal(event.goalId);
    goal.lastEvent = event.type;
    const at = Date.parse(event.createdAt);
    if (TERMINAL_GOAL_EVENTS.includes(event.type)) {
      if (goal.terminal) {
        this.extraTerminals.push({ goalId: event.goalId, first: goal.terminal.type, type: event.type, at });
        return;
      }
      goal.terminal = event;
      goal.terminalAt = at;
      for (const task of goal.tasks.values()) this.land(task);
      return;
    }
    if ((event.type as string) === 'goal.restored') this.restored.push({ goalId: event.goalId, at });
    if (event.taskId === undefined) return;
    switch (event.type) {
      case 'task.dispatched': {
        const workerType = String(event.data?.workerType ?? 'unknown');
        const task = goal.tasks.get(event.taskId) ?? { workerType, inFlight: false };
        goal.tasks.set(event.taskId, task);
        if (!task.inFlight && !goal.terminal) {
          task.inFlight = true;
          this.inFlightByType.set(workerType, (this.inFlightByType.get(workerType) ?? 0) + 1);
        }
        return;
      }
      case 'task.succeeded': {
        const task = goal.tasks.get(event.taskId);
        if (task) {
          this.land(task);
          task.succeededAt ??= at;
          task.succeededBy ??= event.data?.workerId === undefined ? undefined : String(event.data.workerId);
        }
        this.succeeded.push({ goalId: event.goalId, taskId: event.taskId, at, workerId: task?.succeededBy });
        return;
      }
      case 'task.failed': {
        const task = goal.tasks.get(event.taskId);
        if (task) this.land(task);
        const error = event.data?.error as { code?: unknown } | undefined;
        const code = String(error?.code ?? 'unknown');
        this.failuresByCode.set(code, (this.failuresByCode.get(code) ?? 0) + 1);
        return;
      }
      default:
        return;
    }
  }

  get succeededTasks(): number {
    return this.succeeded.length;
  }

  inFlight(workerType?: string): number {
    if (workerType !== undefined) return this.inFlightByType.get(workerType) ?? 0;
    let total = 0;
    for (const count of this.inFlightByType.values()) total += count;
    return total;
  }

  /** Tasks dispatched and not settled, of one worker type or all. */
  inFlightTasks(workerType?: string): TaskRef[] {
    const refs: TaskRef[] = [];
    for (const [goalId, goal] of this.goals) {
      for (const [taskId, task] of goal.tasks) {
        if (task.inFlight && (workerType === undefined || task.workerType === workerType)) refs.push({ goalId, taskId });
      }
    }
    return refs;
  }

  terminal(goalId: string): GoalEventMessage | undefined {
    return this.goals.get(goalId)?.terminal;
  }

  terminalCount(goalIds: readonly string[]): number {
    return goalIds.filter((goalId) => this.goals.get(goalId)?.terminal !== undefined).length;
  }

  lastEvent(goalId: string): string | undefined {
    return this.goals.get(goalId)?.lastEvent;
  }

  succeededAt(ref: TaskRef): number | undefined {
    return this.goals.get(ref.goalId)?.tasks.get(ref.taskId)?.succeededAt;
  }

  terminalAt(goalId: string): number | undefined {
    return this.goals.get(goalId)?.terminalAt;
  }

  /** Tasks a worker instance reported as succeeded (as the supervisor accepted them). */
  succeededBy(workerId: string): number {
    return this.succeeded.filter((entry) => entry.workerId === workerId).length;
  }

  /** The first task.succeeded (any goal) decided at or after `since`. */
  firstSucceededSince(since: number): number | undefined {
    let first: number | undefined;
    for (const entry of this.succeeded) if (entry.at >= since && (first === undefined || entry.at < first)) first = entry.at;
    return first;
  }

  private goal(goalId: string): GoalState {
    let goal = this.goals.get(goalId);
    if (!goal) {
      goal = { tasks: new Map() };
      this.goals.set(goalId, goal);
    }
    return goal;
  }

  private land(task: TaskState): void {
    if (!task.inFlight) return;
    task.inFlight = false;
    this.inFlightByType.set(task.workerType, (this.inFlightByType.get(task.workerType) ?? 1) - 1);
  }
}
