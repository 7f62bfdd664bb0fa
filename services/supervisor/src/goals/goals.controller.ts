import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@agentos/runtime';
import { GoalMessage } from '@agentos/contracts';
import { GOAL_INTAKE } from '../nest/supervisor.tokens';
import { GoalIntake } from './goal-intake';

@Controller()
export class GoalsController {
  constructor(@Inject(GOAL_INTAKE) private readonly intake: GoalIntake) {}

  @EventPattern('goal')
  onGoal(@Payload() goal: GoalMessage, @Ctx() context: BusContext): Promise<void> {
    return this.intake.accept(goal, context.delivery.partition);
  }
}
