import { TaskAbort } from './task-abort';

describe('TaskAbort', () => {
  it('makes no AbortSignal until one is read, and tells its listener once', () => {
    const abort = new TaskAbort();
    const heard: unknown[] = [];
    abort.onAbort((reason) => heard.push(reason));
    abort.abort('first');
    abort.abort('second');
    expect(heard).toEqual(['first']);
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBe('first');
  });

  it('hands out a signal already aborted with the reason when read after the abort', () => {
    const abort = new TaskAbort();
    abort.abort('late');
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe('late');
  });

  it('aborts a signal read before the abort, and the same signal every time', () => {
    const abort = new TaskAbort();
    const signal = abort.signal;
    expect(abort.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    abort.abort('now');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('now');
  });

  it('forgets a cleared listener', () => {
    const abort = new TaskAbort();
    const listener = jest.fn();
    abort.onAbort(listener);
    abort.onAbort(undefined);
    abort.abort('x');
    expect(listener).not.toHaveBeenCalled();
  });
});
