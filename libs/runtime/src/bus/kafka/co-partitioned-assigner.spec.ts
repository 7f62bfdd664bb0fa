import { Assignment, AssignerProtocol, Cluster, GroupMember, Logger, PartitionAssigners, PartitionMetadata } from 'kafkajs';
import { CO_PARTITIONED_ASSIGNER_NAME, coPartitionedAssigner } from './co-partitioned-assigner';

/** Just enough of a kafkajs Cluster for an assigner: partition metadata per topic. */
function fakeCluster(partitionCounts: Record<string, number>): Cluster {
  const findTopicPartitionMetadata = (topic: string): PartitionMetadata[] =>
    Array.from({ length: partitionCounts[topic] ?? 0 }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
  return { findTopicPartitionMetadata } as Partial<Cluster> as Cluster;
}

const assigner = (partitionCounts: Record<string, number>) =>
  coPartitionedAssigner({ cluster: fakeCluster(partitionCounts), groupId: 'g', logger: {} as Logger });

function member(memberId: string, topics: string[]): GroupMember {
  return { memberId, memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
}

/** Runs the kafkajs assigner and decodes what each member would receive. */
async function assign(partitionCounts: Record<string, number>, members: GroupMember[]): Promise<Map<string, Assignment>> {
  const topics = Object.keys(partitionCounts);
  const result = await assigner(partitionCounts).assign({ members, topics });
  return new Map(result.map(({ memberId, memberAssignment }) => [memberId, AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment]));
}

const memberIds = (count: number) => Array.from({ length: count }, (_, i) => `consumer-${String.fromCharCode(97 + i)}`);

describe('coPartitionedAssigner', () => {
  it.each([2, 3, 4])('gives each of %i members the same partition numbers on every topic, disjoint and complete', async (count) => {
    const topics = { goals: 6, results: 6, runs: 6 };
    const assignment = await assign(
      topics,
      memberIds(count).map((id) => member(id, Object.keys(topics))),
    );
    expect([...assignment.keys()].sort()).toEqual(memberIds(count));
    const seen = new Map<string, number[]>();
    for (const partitions of assignment.values()) {
      expect(partitions.results ?? []).toEqual(partitions.goals ?? []);
      expect(partitions.runs ?? []).toEqual(partitions.goals ?? []);
      for (const [topic, numbers] of Object.entries(partitions)) seen.set(topic, [...(seen.get(topic) ?? []), ...numbers]);
    }
    for (const topic of Object.keys(topics)) expect(seen.get(topic)!.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    // Even: no member holds more than one partition number above another.
    const sizes = [...assignment.values()].map((partitions) => (partitions.goals ?? []).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('spreads partition numbers over members sorted by id: p goes to members[p % n]', async () => {
    const assignment = await assign({ goals: 6, results: 6 }, ['m-c', 'm-a', 'm-d', 'm-b'].map((id) => member(id, ['goals', 'results'])));
    expect(Object.fromEntries(assignment)).toEqual({
      'm-a': { goals: [0, 4], results: [0, 4] },
      'm-b': { goals: [1, 5], results: [1, 5] },
      'm-c': { goals: [2], results: [2] },
      'm-d': { goals: [3], results: [3] },
    });
  });

  it('keeps a partition number on one member when topics have unequal partition counts', async () => {
    const assignment = await assign({ wide: 8, narrow: 3 }, memberIds(3).map((id) => member(id, ['wide', 'narrow'])));
    expect(Object.fromEntries(assignment)).toEqual({
      'consumer-a': { narrow: [0], wide: [0, 3, 6] },
      'consumer-b': { narrow: [1], wide: [1, 4, 7] },
      'consumer-c': { narrow: [2], wide: [2, 5] },
    });
  });

  it('is deterministic: the order members arrive in does not matter', async () => {
    const topics = { goals: 12, results: 12 };
    const ids = memberIds(4);
    const forward = await assign(topics, ids.map((id) => member(id, Object.keys(topics))));
    const backward = await assign(topics, [...ids].reverse().map((id) => member(id, Object.keys(topics))));
    expect(Object.fromEntries(backward)).toEqual(Object.fromEntries(forward));
  });

  it('gives a member beyond the partition count an empty assignment rather than none', async () => {
    const assignment = await assign({ goals: 2, results: 2 }, memberIds(3).map((id) => member(id, ['goals', 'results'])));
    expect(assignment.get('consumer-c')).toEqual({});
    expect(assignment.get('consumer-a')).toEqual({ goals: [0], results: [0] });
  });

  it('assigns a topic only among the members subscribed to it', async () => {
    const assignment = await assign({ goals: 4, results: 4 }, [member('a', ['goals', 'results']), member('b', ['goals'])]);
    expect(Object.fromEntries(assignment)).toEqual({
      a: { goals: [0, 2], results: [0, 1, 2, 3] },
      b: { goals: [1, 3] },
    });
  });

  it('treats a member whose metadata cannot be read as subscribed to every topic', async () => {
    const assignment = await assign({ t: 2 }, [member('a', ['t']), { memberId: 'b', memberMetadata: Buffer.from([0xff]) }]);
    expect(Object.fromEntries(assignment)).toEqual({ a: { t: [0] }, b: { t: [1] } });
  });

  it('exists because kafkajs round robin splits a partition number across members (4 members, 6 partitions a topic)', async () => {
    const topics = ['goals', 'results'];
    const roundRobin = PartitionAssigners.roundRobin({ cluster: fakeCluster({ goals: 6, results: 6 }), groupId: 'g', logger: {} as Logger });
    const result = await roundRobin.assign({ members: memberIds(4).map((id) => member(id, topics)), topics });
    const split = result
      .map(({ memberAssignment }) => AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment)
      .some((partitions) => JSON.stringify(partitions.goals ?? []) !== JSON.stringify(partitions.results ?? []));
    expect(split).toBe(true);
  });

  it('announces itself by name with the topics the member subscribes to', () => {
    const { name, metadata } = assigner({}).protocol({ topics: ['goals', 'results'] });
    expect(name).toBe(CO_PARTITIONED_ASSIGNER_NAME);
    expect(AssignerProtocol.MemberMetadata.decode(metadata)).toMatchObject({ version: 0, topics: ['goals', 'results'] });
  });
});
