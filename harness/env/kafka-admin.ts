/**
 * The harness's Kafka admin adapter (kafkajs): list and create topics on a broker address. The one
 * place the environment touches a Kafka client, so the client can be swapped behind it.
 */
import { Kafka, logLevel } from 'kafkajs';

function admin(broker: string) {
  return new Kafka({
    clientId: 'cpqchaos-env',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
}

async function withAdmin<T>(broker: string, fn: (client: ReturnType<typeof admin>) => Promise<T>): Promise<T> {
  const client = admin(broker);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

/** Topics whose every partition has a leader, as the broker at `broker` reports them. */
export async function topicsWithLeaders(broker: string): Promise<string[]> {
  return withAdmin(broker, async (client) => {
    const names = await client.listTopics();
    if (names.length === 0) return [];
    const { topics } = await client.fetchTopicMetadata({ topics: names });
    return topics
      .filter((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))
      .map((topic) => topic.name);
  });
}

/** Creates the missing ones of `topics` with `partitions` each (replication factor 1). */
export async function createTopics(broker: string, topics: readonly string[], partitions: number): Promise<void> {
  await withAdmin(broker, async (client) => {
    const existing = new Set(await client.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await client.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  });
}
