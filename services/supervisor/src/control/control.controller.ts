import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ControlMessage } from '@agentos/contracts';
import { CONTROL_HANDLER } from '../nest/supervisor.tokens';
import { ControlHandler } from './control-handler';

@Controller()
export class ControlController {
  constructor(@Inject(CONTROL_HANDLER) private readonly handler: ControlHandler) {}

  @EventPattern('control')
  onControl(@Payload() control: ControlMessage): Promise<void> {
    return this.handler.apply(control);
  }
}
