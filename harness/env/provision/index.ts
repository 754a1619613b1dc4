/**
 * Provisioning in one place: everything the native backend needs, installed or built once and
 * cached. `provisionServices` is what `env up` needs; `provisionAll` adds the load tool (k6).
 */
import fs from 'node:fs';
import { ensureDebianBinaries, type DebianBinaries } from './debian.ts';
import { ensureGoTool, goToolPath, requireGo, type GoToolName } from './go-tools.ts';
import { ensureKafkaRuntime, kafkaJarsCached, requireJava, requireMaven, type KafkaRuntime } from './kafka-jars.ts';

/** Paths of everything the environment runs. */
export interface Provisioned extends DebianBinaries {
  kafka: KafkaRuntime;
  toxiproxyServer: string;
}

/**
 * Fails fast, before anything is installed or started, when a toolchain that the missing parts of
 * the cache need is absent.
 */
async function preflight(goTools: GoToolName[]): Promise<void> {
  await requireJava();
  if (!kafkaJarsCached()) await requireMaven();
  for (const tool of goTools) if (!fs.existsSync(goToolPath(tool))) await requireGo(tool);
}

/** Awaits every task (so nothing is left running) and rethrows the first failure. */
async function settleAll<T extends readonly unknown[]>(tasks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Provisions PostgreSQL, Redis, Kafka and Toxiproxy in parallel (fast when cached). */
export async function provisionServices(): Promise<Provisioned> {
  await preflight(['toxiproxy']);
  const [debian, kafka, toxiproxyServer] = await settleAll<[DebianBinaries, KafkaRuntime, string]>([
    ensureDebianBinaries(),
    ensureKafkaRuntime(),
    ensureGoTool('toxiproxy'),
  ]);
  return { ...debian, kafka, toxiproxyServer };
}

/** Provisions the services and k6; returns the k6 binary too. */
export async function provisionAll(): Promise<Provisioned & { k6: string }> {
  await preflight(['toxiproxy', 'k6']);
  const [services, k6] = await settleAll<[Provisioned, string]>([provisionServices(), ensureGoTool('k6')]);
  return { ...services, k6 };
}
