import { BusHealth } from '../../bus/bus-health';
import { ReadinessCheck } from './readiness-checks';

/** What the readiness check reads from a MessageBus. */
export interface BusHealthReader {
  health(): BusHealth;
}

/** Ready while the bus is connected and every subscription's consumer runs (MessageBus.health). */
export function busReadiness(bus: BusHealthReader): ReadinessCheck {
  return () => {
    const health = bus.health();
    const details = { subscriptions: health.subscriptions.map(({ groupId, topics, running }) => ({ groupId, topics, running })) };
    return health.ready ? { ready: true, details } : { ready: false, reason: health.reason ?? 'the bus is not ready', details };
  };
}
