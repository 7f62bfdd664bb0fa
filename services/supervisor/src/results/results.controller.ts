import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ResultMessage } from '@agentos/contracts';
import { RUN_DRIVER } from '../nest/supervisor.tokens';
import { RunDriver } from '../runs/run-driver';

@Controller()
export class ResultsController {
  constructor(@Inject(RUN_DRIVER) private readonly driver: RunDriver) {}

  @EventPattern('result')
  onResult(@Payload() result: ResultMessage): Promise<void> {
    return this.driver.onResult(result);
  }
}
