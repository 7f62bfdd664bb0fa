import { GoalEventMessage, GoalMessage, TERMINAL_GOAL_EVENTS, TopicRegistry } from '@agentos/contracts';
import { MessageBus } from '@agentos/runtime';

/**
 * Submits a goal on the bus and follows its events until it is terminal. Resolves with
 * the terminal event; `onEvent` sees every event of the goal on the way.
 */
export async function runGoal(
  bus: MessageBus,
  topics: TopicRegistry,
  goal: GoalMessage,
  onEvent: (event: GoalEventMessage) => void,
): Promise<GoalEventMessage> {
  let settle!: (event: GoalEventMessage) => void;
  const terminal = new Promise<GoalEventMessage>((resolve) => (settle = resolve));
  const subscription = await bus.subscribe(
    { topics: [topics.events()], groupId: topics.group(`follow.${goal.goalId}`), maxInFlight: 1 },
    async ({ message }) => {
      if (message.kind !== 'event' || message.goalId !== goal.goalId) return;
      onEvent(message);
      if (TERMINAL_GOAL_EVENTS.includes(message.type)) settle(message);
    },
  );
  try {
    await bus.publish([{ topic: topics.goals(), key: goal.goalId, message: goal }]);
    return await terminal;
  } finally {
    await subscription.close();
  }
}
