import { ReadinessCheck } from './readiness-checks';

/**
 * Not ready until the service has started (its subscriptions joined): the ops server listens
 * before that, so liveness answers during a slow start while readiness keeps traffic away.
 */
export class StartupGate {
  private started = false;

  markStarted(): void {
    this.started = true;
  }

  readonly check: ReadinessCheck = () => (this.started ? { ready: true } : { ready: false, reason: 'the service is starting' });
}
