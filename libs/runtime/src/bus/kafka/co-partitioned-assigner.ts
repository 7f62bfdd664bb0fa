import { Assigner, AssignerProtocol, GroupMember, GroupMemberAssignment, PartitionAssigner } from 'kafkajs';

export const CO_PARTITIONED_ASSIGNER_NAME = 'AgentOsCoPartitioned';
const PROTOCOL_VERSION = 0;
const NO_USER_DATA = Buffer.alloc(0);

/** A member of the group and the topics it subscribed to. */
export interface AssignableMember {
  readonly memberId: string;
  readonly topics: ReadonlySet<string>;
}

/** Partition numbers per topic, per member id. */
export type CoPartitionedAssignment = Map<string, Record<string, number[]>>;

/**
 * Partition p of every topic goes to the same member: members sorted by id, p to
 * `members[p % n]` among those subscribed to the topic. Topics keyed alike (goals, results,
 * runs by goalId) then put a key's records on one member whatever their partition counts,
 * which kafkajs's RoundRobinAssigner does not (it deals out topic-partitions in one sequence).
 * Every member gets an entry, possibly empty; the result depends only on the inputs.
 */
export function assignCoPartitioned(
  members: readonly AssignableMember[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): CoPartitionedAssignment {
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const assignment: CoPartitionedAssignment = new Map(sorted.map((member) => [member.memberId, {}]));
  const topics = [...partitionsByTopic.keys()].sort();
  for (const topic of topics) {
    const subscribers = sorted.filter((member) => member.topics.has(topic));
    if (subscribers.length === 0) continue;
    const partitions = [...partitionsByTopic.get(topic)!].sort((a, b) => a - b);
    for (const partition of partitions) {
      const owner = assignment.get(subscribers[partition % subscribers.length]!.memberId)!;
      (owner[topic] ??= []).push(partition);
    }
  }
  return assignment;
}

/** The kafkajs assigner every KafkaBus consumer uses (`partitionAssigners: [coPartitionedAssigner]`). */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }): Assigner => ({
  name: CO_PARTITIONED_ASSIGNER_NAME,
  version: PROTOCOL_VERSION,

  async assign({ members, topics }): Promise<GroupMemberAssignment[]> {
    const partitionsByTopic = new Map(
      topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((metadata) => metadata.partitionId)] as const),
    );
    const assignment = assignCoPartitioned(
      members.map((member) => ({ memberId: member.memberId, topics: subscribedTopics(member, topics) })),
      partitionsByTopic,
    );
    return [...assignment].map(([memberId, partitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: PROTOCOL_VERSION, assignment: partitions, userData: NO_USER_DATA }),
    }));
  },

  protocol({ topics }) {
    return {
      name: CO_PARTITIONED_ASSIGNER_NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: PROTOCOL_VERSION, topics, userData: NO_USER_DATA }),
    };
  },
});

/** The topics a member subscribed to, from its join metadata; all the group's topics if that is unreadable. */
function subscribedTopics(member: GroupMember, groupTopics: readonly string[]): ReadonlySet<string> {
  try {
    const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
    if (metadata && Array.isArray(metadata.topics)) return new Set(metadata.topics);
  } catch {
    // a member of another client with metadata we cannot read: assume it follows the group
  }
  return new Set(groupTopics);
}
