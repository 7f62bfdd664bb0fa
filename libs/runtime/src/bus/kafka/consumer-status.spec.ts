import { ConsumerStatus, rebuildDelayMs } from './consumer-status';

describe('ConsumerStatus', () => {
  it('is not running while joining, and says so', () => {
    expect(new ConsumerStatus().snapshot()).toEqual({ running: false, reason: 'joining the group', restarts: 0 });
  });

  it('runs once joined, with no reason', () => {
    const status = new ConsumerStatus();
    status.joined();
    expect(status.isRunning).toBe(true);
    expect(status.snapshot()).toEqual({ running: true, restarts: 0 });
  });

  it('keeps why it was lost until a rebuilt consumer joins, and counts the rebuilds', () => {
    const status = new ConsumerStatus();
    status.joined();
    status.lost('the consumer crashed (KafkaJSNonRetriableError: boom)');
    expect(status.snapshot()).toEqual({ running: false, reason: 'the consumer crashed (KafkaJSNonRetriableError: boom)', restarts: 0 });
    status.lost('rebuilding the consumer failed (attempt 1): connect ECONNREFUSED');
    expect(status.snapshot().reason).toBe('rebuilding the consumer failed (attempt 1): connect ECONNREFUSED');
    status.rebuilt();
    expect(status.snapshot()).toEqual({ running: true, restarts: 1 });
  });

  it('is not running once closed', () => {
    const status = new ConsumerStatus();
    status.joined();
    status.closed();
    expect(status.snapshot()).toEqual({ running: false, reason: 'closed', restarts: 0 });
  });
});

describe('rebuildDelayMs', () => {
  it('rebuilds at once the first time, then backs off from 500 ms, doubling, to at most 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(rebuildDelayMs)).toEqual([0, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});
