import { TARGET_NAMES } from '../layout';
import { problemAbout } from '../testing/expect-problem';
import { mutatedTarget, withoutResources } from '../testing/mutated-target';
import { kafkaResourceProblems } from './kafka-resources';
import { renderTarget } from './rendered-target';

describe('kafkaResourceProblems', () => {
  it.each(TARGET_NAMES)('finds none in %s', (name) => {
    expect(kafkaResourceProblems(renderTarget(name))).toEqual([]);
  });

  const prod = renderTarget('prod');

  it('reports topics that differ from the registry, are missing, or are not the registry\'s', () => {
    const repartitioned = mutatedTarget(prod, 'KafkaTopic', 'agentos.runs.v1', (t: any) => (t.spec.partitions = 6));
    expect(kafkaResourceProblems(repartitioned)).toEqual([problemAbout('KafkaTopic/agentos/agentos.runs.v1', /differs from the registry/)]);
    const uncompacted = mutatedTarget(prod, 'KafkaTopic', 'agentos.runs.v1', (t: any) => delete t.spec.config['min.compaction.lag.ms']);
    expect(kafkaResourceProblems(uncompacted)).toEqual([problemAbout('KafkaTopic/agentos/agentos.runs.v1', /differs from the registry/)]);
    const missing = withoutResources(prod, (resource) => resource.metadata.name === 'agentos.dlq.v1');
    expect(kafkaResourceProblems(missing)).toEqual([problemAbout('prod (reduced)', /no KafkaTopic for agentos.dlq.v1/)]);
    const stray = mutatedTarget(prod, 'KafkaTopic', 'agentos.tasks.io.v1', (t: any) => (t.spec.topicName = 'agentos.tasks.sql.v1'));
    expect(kafkaResourceProblems(stray)).toContainEqual(problemAbout('KafkaTopic/agentos/agentos.tasks.io.v1', /agentos.tasks.sql.v1 is no topic of the registry/));
  });

  it('reports topic settings an overlay changes without regenerating the topics', () => {
    const morePartitions = mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => (c.data.AGENTOS_GOAL_PARTITIONS = '24'));
    expect(kafkaResourceProblems(morePartitions)).toContainEqual(problemAbout('KafkaTopic/agentos/agentos.goals.v1', /differs from the registry/));
  });

  it('reports a Kafka cluster of the target that does not listen as the services connect', () => {
    const dev = renderTarget('dev');
    const tls = mutatedTarget(dev, 'Kafka', 'agentos-kafka', (k: any) => (k.spec.kafka.listeners[0].tls = true));
    expect(kafkaResourceProblems(tls)).toEqual([problemAbout('Kafka/agentos-dev/agentos-kafka', /listener plain must have tls false and authentication none/)]);
    const moved = mutatedTarget(dev, 'Kafka', 'agentos-kafka', (k: any) => (k.spec.kafka.listeners[0].port = 9094));
    expect(kafkaResourceProblems(moved)).toEqual([problemAbout('Kafka/agentos-dev/agentos-kafka', /no listener on 9092/)]);
  });

  it('reports services that would create topics themselves', () => {
    const creating = mutatedTarget(prod, 'ConfigMap', 'agentos-config', (c: any) => (c.data.KAFKA_CREATE_TOPICS = 'true'));
    expect(kafkaResourceProblems(creating)).toEqual([problemAbout('Deployment/agentos/supervisor', /KAFKA_CREATE_TOPICS must be false/)]);
  });

  it('reports a KafkaUser that is not the services\' login or lacks their ACLs', () => {
    const renamed = mutatedTarget(prod, 'KafkaUser', 'agentos', (u: any) => (u.metadata.name = 'someone'));
    expect(kafkaResourceProblems(renamed)).toEqual([problemAbout('prod (mutated)', /KAFKA_SASL_USERNAME agentos has no KafkaUser/)]);
    const narrow = mutatedTarget(prod, 'KafkaUser', 'agentos', (u: any) => (u.spec.authorization.acls[0].resource.name = 'agentos.goals'));
    expect(kafkaResourceProblems(narrow)).toContainEqual(problemAbout('KafkaUser/agentos/agentos', /do not allow Write on topic agentos.results.v1/));
    const readOnlyGroups = mutatedTarget(prod, 'KafkaUser', 'agentos', (u: any) => (u.spec.authorization.acls[1].operations = ['Describe']));
    expect(kafkaResourceProblems(readOnlyGroups)).toContainEqual(problemAbout('KafkaUser/agentos/agentos', /do not allow Read on group agentos.worker.logic/));
    const otherPassword = mutatedTarget(prod, 'KafkaUser', 'agentos', (u: any) => (u.spec.authentication.password.valueFrom.secretKeyRef.key = 'OTHER'));
    expect(kafkaResourceProblems(otherPassword)).toEqual([problemAbout('KafkaUser/agentos/agentos', /password must come from the services' KAFKA_SASL_PASSWORD/)]);
    const otherCluster = mutatedTarget(prod, 'KafkaUser', 'agentos', (u: any) => (u.metadata.labels['strimzi.io/cluster'] = 'other'));
    expect(kafkaResourceProblems(otherCluster)).toEqual([problemAbout('KafkaUser/agentos/agentos', /strimzi.io\/cluster: agentos-kafka/)]);
  });
});
