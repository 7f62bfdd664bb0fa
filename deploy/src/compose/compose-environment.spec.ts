import { loadConfig, TransportConfig } from '@agentos/runtime';
import { deployedServices, REPO_ROOT } from './compose-deployment';
import { ConfigClass, configKeys, unknownVariables } from './config-keys';
import { runtimeClosure } from './runtime-closure';
import { isStandardVariable, SERVICE_CONFIGS } from './service-configs';

/** Each class's complaint about `env`, or nothing when every class accepts it. */
function rejections(env: Readonly<Record<string, string>>, schemas: readonly ConfigClass[]): string[] {
  return schemas.flatMap((schema) => {
    try {
      loadConfig(schema, { ...env });
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
}

describe('configKeys and unknownVariables', () => {
  it('reads every validated field of a configuration class', () => {
    const keys = configKeys(TransportConfig);
    expect(keys).toContain('KAFKA_BROKERS');
    expect(keys).toContain('AGENTOS_SHUTDOWN_GRACE_MS');
    expect(keys).toContain('AGENTOS_TOPIC_NAMESPACE');
    expect(keys).not.toContain('toJSON');
  });

  it('names a misspelled variable, and lets standard ones through', () => {
    const env = { KAFKA_BROKERS: 'kafka:9092', KAFKA_BROKER: 'kafka:9092', NODE_ENV: 'production', OTEL_SERVICE_NAME: 'x', WORKER_ID: 'w' };
    expect(unknownVariables(env, [TransportConfig], isStandardVariable)).toEqual(['KAFKA_BROKER', 'WORKER_ID']);
  });

  it('finds what a configuration class rejects', () => {
    expect(rejections({ AGENTOS_TRANSPORT: 'kafka' }, [TransportConfig])).toEqual([expect.stringMatching(/KAFKA_BROKERS/)]);
  });
});

describe.each(deployedServices().map((service) => [service.name, service] as const))('compose service %s', (name, service) => {
  const schemas = SERVICE_CONFIGS[name];

  it('sets no variable that none of its configuration classes reads', () => {
    expect(unknownVariables(service.environment, schemas, isStandardVariable)).toEqual([]);
  });

  it('starts with an environment every one of its configuration classes accepts', () => {
    expect(rejections(service.environment, schemas)).toEqual([]);
  });

  it('has its configuration classes listed exactly: the loadConfig calls its main.ts reaches', () => {
    const closure = runtimeClosure(REPO_ROOT, `services/${name}/src/main.ts`);
    expect(closure.opaqueConfigLoads).toEqual([]);
    expect([...closure.configClassesLoaded].sort()).toEqual(schemas.map((schema) => schema.name).sort());
  });
});
