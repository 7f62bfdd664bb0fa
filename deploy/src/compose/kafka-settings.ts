/** One entry of Kafka's `listeners` / `advertised.listeners`: `NAME://host:port` (empty host: every interface). */
export interface KafkaListener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** One entry of `controller.quorum.voters`: `id@host:port`. */
export interface QuorumVoter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Parses a listeners list; throws on an entry that is not `NAME://host:port`. */
export function parseListeners(value: string | undefined): KafkaListener[] {
  return list(value).map((entry) => {
    const match = /^([A-Za-z0-9_]+):\/\/([^:]*):(\d+)$/.exec(entry);
    if (!match) throw new Error(`listener "${entry}" is not NAME://host:port`);
    return { name: match[1]!, host: match[2]!, port: Number(match[3]) };
  });
}

/** Parses `controller.quorum.voters`; throws on an entry that is not `id@host:port`. */
export function parseQuorumVoters(value: string | undefined): QuorumVoter[] {
  return list(value).map((entry) => {
    const match = /^(\d+)@([^:]+):(\d+)$/.exec(entry);
    if (!match) throw new Error(`quorum voter "${entry}" is not id@host:port`);
    return { id: Number(match[1]), host: match[2]!, port: Number(match[3]) };
  });
}

/** Parses `listener.security.protocol.map` (`NAME:PROTOCOL,...`) into a map. */
export function parseProtocolMap(value: string | undefined): Map<string, string> {
  return new Map(
    list(value).map((entry) => {
      const [name, protocol] = entry.split(':');
      if (!name || !protocol) throw new Error(`protocol map entry "${entry}" is not NAME:PROTOCOL`);
      return [name, protocol];
    }),
  );
}

/** Whether `value` is a Kafka Uuid string as CLUSTER_ID needs: 16 bytes, base64url without padding. */
export function isKafkaUuid(value: string): boolean {
  if (!/^[A-Za-z0-9_-]{22}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64url');
  return bytes.length === 16 && bytes.toString('base64url') === value;
}
