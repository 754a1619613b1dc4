/**
 * The harness's Kafka admin adapter (kafkajs): list and create topics on a broker address. The one
 * place the environment touches a Kafka client, so the client can be swapped behind it.
 */
import { together } from '../core/together.ts';
import { Kafka, logLevel, type ConfigResourceTypes } from 'kafkajs';

/** `ConfigResourceTypes.TOPIC` (kafkajs' enum is not among the names Node finds in its CommonJS exports). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

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

/**
 * Sets `entries` as the whole configuration of each topic (Kafka's AlterConfigs replaces a topic's
 * overrides: anything not named goes back to the broker's default).
 */
export async function setTopicConfig(
  broker: string,
  topics: readonly string[],
  entries: Readonly<Record<string, string>>,
): Promise<void> {
  await withAdmin(broker, (client) =>
    client.alterConfigs({
      validateOnly: false,
      resources: topics.map((name) => ({
        type: TOPIC_RESOURCE,
        name,
        configEntries: Object.entries(entries).map(([key, value]) => ({ name: key, value })),
      })),
    }),
  );
}

/** One message read back from a topic. */
export interface TopicMessage {
  topic: string;
  partition: number;
  offset: string;
  value: string;
}

/**
 * Every message of `topics` from the beginning up to the end each partition had when the read
 * began (its high watermark), through a throwaway consumer group. Rejects after `timeoutMs`.
 */
export async function readTopics(
  broker: string,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<TopicMessage[]> {
  const kafka = new Kafka({
    clientId: 'cpqchaos-ledger',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 10_000,
    retry: { retries: 3 },
  });
  const ends = new Map<string, bigint>(); // `topic/partition` → high watermark (exclusive)
  await withAdmin(broker, async (client) => {
    for (const topic of topics)
      for (const p of await client.fetchTopicOffsets(topic))
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
  });
  const messages: TopicMessage[] = [];
  if (ends.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `cpqchaos-ledger-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topics.join(', ')} did not reach their ends within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            const end = ends.get(key);
            if (end === undefined) return;
            if (BigInt(message.offset) < end)
              messages.push({ topic, partition, offset: message.offset, value: message.value?.toString('utf8') ?? '' });
            if (BigInt(message.offset) + 1n >= end) ends.delete(key);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return messages;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/**
 * `readTopics` shared by callers that ask at about the same time (scenarios run at once, reading
 * their ledgers together): each gets a read that began after it asked (core/together.ts).
 */
export function readTopicsTogether(broker: string, topics: readonly string[]): Promise<TopicMessage[]> {
  return together(`${broker} ${topics.join(',')}`, () => readTopics(broker, topics));
}
