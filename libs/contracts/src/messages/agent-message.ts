import { MessageKind } from '../envelope/message-kind';
import { CapabilitiesMessage, CapabilitiesMessageDto } from './capabilities.message';
import { ControlMessage, ControlMessageDto } from './control.message';
import { GoalEventMessage, GoalEventMessageDto } from './goal-event.message';
import { GoalMessage, GoalMessageDto } from './goal.message';
import { ResultMessage, ResultMessageDto } from './result.message';
import { RunRecordMessage, RunRecordMessageDto } from './run-record.message';
import { TaskMessage, TaskMessageDto } from './task.message';

/** The messages agents exchange. */
export type AgentMessage = GoalMessage | TaskMessage | ResultMessage | ControlMessage;

/** Everything that travels on an AgentOS bus: agent messages, the supervisor's goal events and run records, workers' capability announcements. */
export type BusMessage = AgentMessage | GoalEventMessage | CapabilitiesMessage | RunRecordMessage;

export type MessageOfKind<K extends MessageKind> = Extract<BusMessage, { kind: K }>;

/** The validating DTO class for each kind. */
export const MESSAGE_DTOS = {
  goal: GoalMessageDto,
  task: TaskMessageDto,
  result: ResultMessageDto,
  control: ControlMessageDto,
  event: GoalEventMessageDto,
  capabilities: CapabilitiesMessageDto,
  run: RunRecordMessageDto,
} as const;
