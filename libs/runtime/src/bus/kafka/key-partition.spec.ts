import { keyPartition } from './key-partition';

describe('keyPartition', () => {
  // murmur2 of these keys as the Java client computes it (Kafka's own UtilsTest), made positive, modulo the count.
  const javaPartition = (murmur2: number, partitions: number) => (murmur2 & 0x7fffffff) % partitions;
  it.each<[string, number]>([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['abc', 479470107],
  ])('puts %j where the Java client does', (key, murmur2) => {
    for (const partitions of [1, 6, 7, 12]) expect(keyPartition(key, partitions)).toBe(javaPartition(murmur2, partitions));
  });

  it('spreads keys over every partition', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(keyPartition(`goal-${i}`, 6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('puts every key on partition 0 of a one-partition topic', () => {
    expect(keyPartition('anything', 1)).toBe(0);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => keyPartition('k', 0)).toThrow(RangeError);
    expect(() => keyPartition('k', 1.5)).toThrow(RangeError);
  });
});
