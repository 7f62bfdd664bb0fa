import { BaseRpcContext } from '@nestjs/microservices';
import { Delivery } from '../bus/message-bus';

/** What a bus handler can know about the record it handles (`@Ctx() context: BusContext`). */
export class BusContext extends BaseRpcContext<[Delivery]> {
  get delivery(): Delivery {
    return this.args[0];
  }
  get topic(): string {
    return this.args[0].topic;
  }
  get key(): string {
    return this.args[0].key;
  }
  get headers(): Delivery['headers'] {
    return this.args[0].headers;
  }
  get partition(): number {
    return this.args[0].partition;
  }
  get deliveryCount(): number {
    return this.args[0].deliveryCount;
  }
}
