/**
 * Provisioning in one place: everything the native backend needs, installed or built once and
 * cached. `provisionServices` is what `env up` needs; `provisionAll` adds the load tool (k6).
 */
import { ensureDebianBinaries, type DebianBinaries } from './debian.ts';
import { ensureGoTool } from './go-tools.ts';
import { ensureKafkaRuntime, type KafkaRuntime } from './kafka-jars.ts';

/** Paths of everything the environment runs. */
export interface Provisioned extends DebianBinaries {
  kafka: KafkaRuntime;
  toxiproxyServer: string;
}

/** Provisions PostgreSQL, Redis, Kafka and Toxiproxy in parallel (fast when cached). */
export async function provisionServices(): Promise<Provisioned> {
  const [debian, kafka, toxiproxyServer] = await Promise.all([
    ensureDebianBinaries(),
    ensureKafkaRuntime(),
    ensureGoTool('toxiproxy'),
  ]);
  return { ...debian, kafka, toxiproxyServer };
}

/** Provisions the services and k6; returns the k6 binary too. */
export async function provisionAll(): Promise<Provisioned & { k6: string }> {
  const [services, k6] = await Promise.all([provisionServices(), ensureGoTool('k6')]);
  return { ...services, k6 };
}
