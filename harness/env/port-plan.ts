/**
 * Where an environment's services and proxies listen: free 127.0.0.1 ports for PostgreSQL, Redis,
 * Kafka (direct, controller, one broker listener per Kafka proxy) and Toxiproxy, one listen port
 * per proxy of the topology — and, once the services run, the proxy specs and the endpoints
 * (contract section 2) that follow from them.
 */
import type { EnvironmentEndpoints } from './endpoints.ts';
import type { ProxiedListener, StartedKafka } from './kafka.ts';
import { allocatePorts } from './ports.ts';
import { postgresUrl, type StartedPostgres } from './postgres.ts';
import { PROXY_TOPOLOGY, proxyName, type Component } from './proxies.ts';
import type { StartedRedis } from './redis.ts';
import type { ProxySpec, StartedToxiproxy } from './toxiproxy.ts';

type ServiceName = 'postgres' | 'redis' | 'kafka';

export interface PortPlan {
  pgPort: number;
  redisPort: number;
  kafkaDirect: number;
  kafkaController: number;
  toxiPort: number;
  /** Each proxy's listen port, by proxy name. */
  listenPorts: Map<string, number>;
  /** Kafka's listener per proxy: the broker port behind it and the proxy port it advertises. */
  listeners: ProxiedListener[];
}

/** Allocates every port an environment needs. */
export async function planPorts(): Promise<PortPlan> {
  const kafkaProxies = PROXY_TOPOLOGY.filter((proxy) => proxy.service === 'kafka');
  const ports = await allocatePorts(5 + kafkaProxies.length + PROXY_TOPOLOGY.length);
  const take = () => ports.shift() as number;
  const [pgPort, redisPort, kafkaDirect, kafkaController, toxiPort] = [take(), take(), take(), take(), take()];
  const listenPorts = new Map(PROXY_TOPOLOGY.map((proxy) => [proxy.name, take()]));
  const listeners = kafkaProxies.map((proxy) => ({
    proxy: proxy.name,
    brokerPort: take(),
    advertisedPort: listenPorts.get(proxy.name) as number,
  }));
  return { pgPort, redisPort, kafkaDirect, kafkaController, toxiPort, listenPorts, listeners };
}

/** The proxies to create: each listens on its port and forwards to its service's (Kafka: its own listener). */
export function proxySpecsOf(plan: PortPlan): ProxySpec[] {
  const upstream = (service: ServiceName, name: string): number =>
    service === 'postgres'
      ? plan.pgPort
      : service === 'redis'
        ? plan.redisPort
        : (plan.listeners.find((l) => l.proxy === name)?.brokerPort as number);
  return PROXY_TOPOLOGY.map((proxy) => ({
    name: proxy.name,
    listenPort: plan.listenPorts.get(proxy.name) as number,
    upstreamPort: upstream(proxy.service, proxy.name),
  }));
}

/** The endpoints of a started environment: the API's paths as `url`/`brokers`, every component's in `paths`. */
export function endpointsOf(
  plan: PortPlan,
  services: { postgres: StartedPostgres; redis: StartedRedis; kafka: StartedKafka; toxiproxy: StartedToxiproxy },
  id: string,
  dir: string,
): EnvironmentEndpoints {
  const { postgres, redis, kafka, toxiproxy } = services;
  const listen = (component: Component, service: ServiceName) =>
    plan.listenPorts.get(proxyName(component, service)) as number;
  const pathsOf = (component: Component) => {
    const has = (service: ServiceName) => plan.listenPorts.has(proxyName(component, service));
    return {
      ...(has('postgres') ? { postgres: postgresUrl(postgres.info, listen(component, 'postgres')) } : {}),
      ...(has('redis') ? { redis: `redis://127.0.0.1:${listen(component, 'redis')}` } : {}),
      ...(has('kafka') ? { kafka: [`127.0.0.1:${listen(component, 'kafka')}`] } : {}),
    };
  };
  return {
    backend: 'native',
    services: {
      postgres: { url: postgresUrl(postgres.info, listen('api', 'postgres')), directUrl: postgres.directUrl },
      redis: { url: `redis://127.0.0.1:${listen('api', 'redis')}`, directUrl: redis.directUrl },
      kafka: { brokers: [`127.0.0.1:${listen('api', 'kafka')}`], directBrokers: [kafka.directBroker] },
      toxiproxy: { url: toxiproxy.url },
    },
    proxies: PROXY_TOPOLOGY.map((proxy) => proxy.name),
    paths: { api: pathsOf('api'), relay: pathsOf('relay'), consumers: pathsOf('consumers') },
    id,
    dir,
  };
}
