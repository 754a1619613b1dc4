/**
 * The Toxiproxy topology: one proxy per (component, service) path, so a fault can cut exactly one
 * component off one dependency — e.g. the relay from Kafka while the API still reaches it. Pure data.
 */

/** A component of the system under test that reaches the services. */
export type Component = 'api' | 'relay' | 'consumers';

/** A backing service reached through a proxy. */
export type ProxiedService = 'postgres' | 'redis' | 'kafka';

/** One Toxiproxy proxy. */
export interface ProxyDefinition {
  /** `<component>-<service>`, e.g. `relay-kafka`. */
  name: string;
  component: Component;
  service: ProxiedService;
}

const PATHS: ReadonlyArray<readonly [Component, ProxiedService]> = [
  ['api', 'postgres'],
  ['api', 'redis'],
  ['api', 'kafka'],
  ['relay', 'postgres'],
  ['relay', 'kafka'],
  ['consumers', 'postgres'],
  ['consumers', 'redis'],
  ['consumers', 'kafka'],
];

/** Every proxy the environment creates, in a stable order. */
export const PROXY_TOPOLOGY: readonly ProxyDefinition[] = PATHS.map(([component, service]) => ({
  name: `${component}-${service}`,
  component,
  service,
}));

/** The proxy a component uses for a service. */
export function proxyName(component: Component, service: ProxiedService): string {
  return `${component}-${service}`;
}
