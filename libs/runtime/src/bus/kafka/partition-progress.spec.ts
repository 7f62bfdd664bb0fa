import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  it('commits only the contiguous finished prefix, whatever order records finish in', () => {
    const progress = new PartitionProgress('t', 0);
    const [r10, r11, r12] = [10, 11, 12].map((offset) => progress.handOut(offset));
    expect(progress.commitPosition).toBe(10);

    expect(progress.finish(r12!)).toBe(false);
    expect(progress.finish(r11!)).toBe(false);
    expect(progress.commitPosition).toBe(10);

    expect(progress.finish(r10!)).toBe(true);
    expect(progress.commitPosition).toBe(13);
  });

  it('steps over offsets that were never handed out (gaps in a compacted or transactional log)', () => {
    const progress = new PartitionProgress('t', 0);
    const first = progress.handOut(5);
    const second = progress.handOut(9);
    progress.finish(first);
    expect(progress.commitPosition).toBe(9);
    progress.finish(second);
    expect(progress.commitPosition).toBe(10);
  });

  it('knows which records it already handed out, so a re-fetch does not run them twice', () => {
    const progress = new PartitionProgress('t', 0);
    expect(progress.wasHandedOut(0)).toBe(false);
    progress.handOut(0);
    progress.handOut(1);
    expect(progress.wasHandedOut(0)).toBe(true);
    expect(progress.wasHandedOut(1)).toBe(true);
    expect(progress.wasHandedOut(2)).toBe(false);
  });

  it('has progress to commit until the position is committed, and none once revoked', () => {
    const progress = new PartitionProgress('t', 0);
    expect(progress.hasUncommittedProgress).toBe(false);
    progress.finish(progress.handOut(0));
    expect(progress.hasUncommittedProgress).toBe(true);
    progress.markCommitted(1);
    expect(progress.hasUncommittedProgress).toBe(false);

    progress.finish(progress.handOut(1));
    progress.revoked = true;
    expect(progress.hasUncommittedProgress).toBe(false);
  });

  it('keeps its memory bounded over a long run with one record stuck', () => {
    const progress = new PartitionProgress('t', 0);
    const stuck = progress.handOut(0);
    const rest = Array.from({ length: 5_000 }, (_, i) => progress.handOut(i + 1));
    for (const record of rest) progress.finish(record);
    expect(progress.commitPosition).toBe(0);
    progress.finish(stuck);
    expect(progress.commitPosition).toBe(5_001);
  });
});
