import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RunRecordMessage } from '@agentos/contracts';
import { BusContext } from '@agentos/runtime';
import { RUN_VIEW } from '../nest/supervisor.tokens';
import { RunView } from './run-view';

/** Reads the runs journal into this instance's view of every partition (only when the journal is on). */
@Controller()
export class RunsController {
  constructor(@Inject(RUN_VIEW) private readonly view: RunView) {}

  @EventPattern('run')
  onRecord(@Payload() record: RunRecordMessage, @Ctx() context: BusContext): Promise<void> {
    this.view.apply(record, context.delivery.partition, context.delivery.offset);
    return Promise.resolve();
  }
}
