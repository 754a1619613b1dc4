// Unit: the broker configuration — every proxied listener advertises its proxy, DIRECT advertises
// itself, and the controller is never advertised.
import { describe, expect, it } from 'vitest';
import { clusterId, listenerName, serverProperties, type KafkaInfo } from './kafka.ts';

const info: KafkaInfo = {
  directPort: 9000,
  controllerPort: 9001,
  partitions: 3,
  listeners: [
    { proxy: 'relay-kafka', brokerPort: 9010, advertisedPort: 9110 },
    { proxy: 'api-kafka', brokerPort: 9011, advertisedPort: 9111 },
  ],
};

const props = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

describe('clusterId', () => {
  it('is 22 base64url characters and never starts with a dash (the storage tool would read an option)', () => {
    const draws = [Buffer.from([0xfb, ...Array(15).fill(0)]), Buffer.from([0x01, ...Array(15).fill(7)])];
    expect(Buffer.from([0xfb]).toString('base64url').startsWith('-')).toBe(true);
    const id = clusterId(() => draws.shift() as Buffer);
    expect(id).toBe(Buffer.from([0x01, ...Array(15).fill(7)]).toString('base64url'));
    expect(draws).toEqual([]);
    for (let i = 0; i < 200; i++) expect(clusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

describe('serverProperties', () => {
  const config = props(serverProperties(info, '/data/kafka'));

  it('binds every listener on 127.0.0.1 and advertises proxies, not broker ports', () => {
    expect(config.listeners).toBe(
      'CONTROLLER://127.0.0.1:9001,DIRECT://127.0.0.1:9000,RELAY_KAFKA://127.0.0.1:9010,API_KAFKA://127.0.0.1:9011',
    );
    expect(config['advertised.listeners']).toBe(
      'DIRECT://127.0.0.1:9000,RELAY_KAFKA://127.0.0.1:9110,API_KAFKA://127.0.0.1:9111',
    );
    expect(config['advertised.listeners']).not.toContain('9010');
    expect(config['advertised.listeners']).not.toContain('CONTROLLER');
  });

  it('is a single-node KRaft combined cluster without topic auto-creation', () => {
    expect(config['process.roles']).toBe('broker,controller');
    expect(config['controller.quorum.voters']).toBe('1@127.0.0.1:9001');
    expect(config['auto.create.topics.enable']).toBe('false');
    expect(config['offsets.topic.replication.factor']).toBe('1');
    expect(config['log.dirs']).toBe('/data/kafka');
    expect(config['listener.security.protocol.map']).toBe(
      'CONTROLLER:PLAINTEXT,DIRECT:PLAINTEXT,RELAY_KAFKA:PLAINTEXT,API_KAFKA:PLAINTEXT',
    );
  });

  it('derives listener names Kafka accepts', () => {
    expect(listenerName('consumers-kafka')).toBe('CONSUMERS_KAFKA');
    expect(listenerName('a.b-c')).toBe('A_B_C');
  });
});
