import { Logger } from '@nestjs/common';
import { PartitionOwnershipListener } from './message-bus';
import { ownershipRetryDelayMs, PartitionOwnership } from './partition-ownership';

interface Call {
  readonly partitions: readonly number[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A listener whose `assigned` calls stay pending until the test settles them. */
function scriptedListener(): { listener: PartitionOwnershipListener; events: string[]; calls: Call[] } {
  const events: string[] = [];
  const calls: Call[] = [];
  const listener: PartitionOwnershipListener = {
    assigned: (partitions) =>
      new Promise<void>((resolve, reject) => {
        events.push(`assigned ${partitions.join(',')}`);
        calls.push({ partitions, resolve, reject });
      }),
    revoked: (partitions) => void events.push(`revoked ${partitions.join(',')}`),
  };
  return { listener, events, calls };
}

/** Lets every settled promise's continuations run. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('PartitionOwnership', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('is open from the start and only records partitions when nobody listens', async () => {
    const ownership = new PartitionOwnership(undefined, 'test');
    expect(ownership.isReady).toBe(true);
    ownership.assign([3, 1]);
    expect(ownership.isReady).toBe(true);
    expect(ownership.partitions).toEqual([1, 3]);
    await expect(ownership.whenReady()).resolves.toBeUndefined();
  });

  it('closes the gate on an assignment and opens it once assigned resolved, with the partitions sorted and unique', async () => {
    const { listener, calls } = scriptedListener();
    const opened = jest.fn();
    const ownership = new PartitionOwnership(listener, 'test', opened);
    ownership.assign([5, 0, 5, 2]);
    expect(ownership.isReady).toBe(false);
    let ready = false;
    void ownership.whenReady().then(() => (ready = true));
    await settle();
    expect(calls.map((call) => call.partitions)).toEqual([[0, 2, 5]]);
    expect(ready).toBe(false);

    calls[0]!.resolve();
    await settle();
    expect(ownership.isReady).toBe(true);
    expect(ready).toBe(true);
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('revokes what a new assignment drops, synchronously and before calling assigned', async () => {
    const { listener, events, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([0, 1, 2, 3]);
    await settle();
    calls[0]!.resolve();
    await settle();

    ownership.assign([1, 3, 4]);
    expect(events).toEqual(['assigned 0,1,2,3', 'revoked 0,2']);
    expect(ownership.isReady).toBe(false);
    await settle();
    expect(events).toEqual(['assigned 0,1,2,3', 'revoked 0,2', 'assigned 1,3,4']);
  });

  it('calls a rejecting assigned again after a backoff until it resolves', async () => {
    const { listener, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([0]);
    await settle();
    calls[0]!.reject(new Error('state store unavailable'));
    await settle();
    expect(calls).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    calls[1]!.reject(new Error('still unavailable'));
    await jest.advanceTimersByTimeAsync(199);
    expect(calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect(ownership.isReady).toBe(false);

    calls[2]!.resolve();
    await settle();
    expect(ownership.isReady).toBe(true);
    expect(Logger.prototype.warn).toHaveBeenCalledWith(expect.stringContaining('state store unavailable'));
  });

  it('treats an assigned that throws synchronously like one that rejects', async () => {
    let attempts = 0;
    const ownership = new PartitionOwnership(
      {
        assigned: () => {
          if (++attempts === 1) throw new Error('not a promise');
          return Promise.resolve();
        },
        revoked: () => undefined,
      },
      'test',
    );
    ownership.assign([0]);
    await settle();
    expect(ownership.isReady).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect(attempts).toBe(2);
    expect(ownership.isReady).toBe(true);
  });

  it('backs off 100 ms doubling up to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(ownershipRetryDelayMs)).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
  });

  it('lets a newer assignment replace a pending one, calling it only once the pending call settled', async () => {
    const { listener, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([0, 1]);
    await settle();
    ownership.assign([0]);
    await settle();
    expect(calls).toHaveLength(1);

    calls[0]!.resolve();
    await settle();
    // The old round resolved, but it is not the latest: the gate stays closed for the new one.
    expect(ownership.isReady).toBe(false);
    expect(calls.map((call) => call.partitions)).toEqual([[0, 1], [0]]);
    calls[1]!.resolve();
    await settle();
    expect(ownership.isReady).toBe(true);
  });

  it('stops retrying a superseded assignment', async () => {
    const { listener, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([0, 1]);
    await settle();
    calls[0]!.reject(new Error('failed'));
    await settle();
    ownership.assign([1]);
    await settle();
    calls[1]!.resolve();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(calls.map((call) => call.partitions)).toEqual([[0, 1], [1]]);
    expect(ownership.isReady).toBe(true);
  });

  it('on close stops retrying and releases waiters; revokeAll then revokes everything held, once', async () => {
    const { listener, events, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([2, 4]);
    await settle();
    calls[0]!.reject(new Error('failed'));
    await settle();
    let released = false;
    void ownership.whenReady().then(() => (released = true));

    ownership.close();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(released).toBe(true);
    expect(calls).toHaveLength(1);
    expect(ownership.isReady).toBe(false);

    ownership.revokeAll();
    ownership.revokeAll();
    expect(events).toEqual(['assigned 2,4', 'revoked 2,4']);
  });

  it('still revokes what an assignment after close drops, but calls assigned no more', async () => {
    const { listener, events, calls } = scriptedListener();
    const ownership = new PartitionOwnership(listener, 'test');
    ownership.assign([0, 1]);
    await settle();
    calls[0]!.resolve();
    ownership.close();
    ownership.assign([1]);
    await settle();
    ownership.revokeAll();
    expect(events).toEqual(['assigned 0,1', 'revoked 0', 'revoked 1']);
  });

  it('never calls revoked with nothing, and logs a revoked that throws', async () => {
    const revoked = jest.fn(() => {
      throw new Error('listener bug');
    });
    const ownership = new PartitionOwnership({ assigned: () => Promise.resolve(), revoked }, 'test');
    ownership.assign([]);
    ownership.assign([0]);
    ownership.revokeAll();
    expect(() => ownership.revokeAll()).not.toThrow();
    expect(revoked.mock.calls).toEqual([[[0]]]);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('listener bug'));
  });
});
