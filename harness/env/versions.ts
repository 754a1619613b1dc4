/**
 * Pinned versions of every service and tool the environment provisions — the one place to bump them.
 *
 * PostgreSQL and Redis come from Debian's packages (the major is checked, the patch is whatever the
 * distribution ships); Kafka comes from Maven Central jars; toxiproxy-server and k6 are built with
 * `go install` at the exact tags below.
 */

/** Versions the native backend provisions and starts. */
export const VERSIONS = {
  /** PostgreSQL major from Debian's `postgresql` package (bookworm ships 15). */
  postgresMajor: 15,
  /** Debian packages installed with apt-get when missing (libfaketime: a component's movable clock). */
  aptPackages: ['postgresql', 'redis-server', 'libfaketime'] as const,
  /** Apache Kafka broker (KRaft combined mode); 3.9 is the last line that still speaks the older
   * protocol versions clients such as kafkajs use. */
  kafka: '3.9.1',
  /** Scala binary version of the `kafka_2.13` artifact. */
  kafkaScala: '2.13',
  /** SLF4J binding so the broker logs through log4j 1 (reload4j) with our properties file. */
  slf4jReload4j: '1.7.36',
  /** `go install github.com/Shopify/toxiproxy/v2/cmd/server@…` */
  toxiproxy: 'v2.12.0',
  /** `go install go.k6.io/k6@…` */
  k6: 'v1.4.2',
} as const;

/** Go module paths built with `go install`. */
export const GO_TOOLS = {
  toxiproxy: {
    module: 'github.com/Shopify/toxiproxy/v2/cmd/server',
    version: VERSIONS.toxiproxy,
    binary: 'server',
    /** Stamps the version its /version endpoint reports (its Makefile does the same). */
    ldflags: `-X github.com/Shopify/toxiproxy/v2.Version=${VERSIONS.toxiproxy}`,
  },
  k6: { module: 'go.k6.io/k6', version: VERSIONS.k6, binary: 'k6', ldflags: '' },
} as const;

/** The Kafka topics of contract section 4, created at every start. */
export const KAFKA_TOPICS = [
  'cpq.catalog.events',
  'cpq.pricing.events',
  'cpq.policy.events',
  'cpq.quote.events',
  'cpq.order.events',
] as const;

/** What a container of the testcontainers backend runs. */
export type ImageKind = 'postgres' | 'redis' | 'kafka' | 'toxiproxy' | 'node' | 'system';

/**
 * The official images the testcontainers backend runs (each overridable with
 * `CPQCHAOS_IMAGE_<KIND>`); where one can be neither found nor pulled, an equivalent is built from
 * Debian's packages (harness/env/containers/images.ts). The system image is always built here.
 */
export const CONTAINER_IMAGES: Readonly<Record<Exclude<ImageKind, 'system'>, string>> = {
  postgres: 'postgres:15.14-bookworm',
  redis: 'redis:7.0.15-bookworm',
  kafka: `apache/kafka:${VERSIONS.kafka}`,
  toxiproxy: `ghcr.io/shopify/toxiproxy:${VERSIONS.toxiproxy.slice(1)}`,
  node: `node:${process.versions.node}-bookworm-slim`,
};
