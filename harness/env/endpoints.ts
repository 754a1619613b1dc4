/**
 * The environment's endpoints in the shape of contract section 2 (`env up --json`,
 * `.cpqchaos/env.json`), plus the per-component proxy paths the system under test is wired with.
 */
import type { Component } from './proxies.ts';

/** Which backend started the environment. */
export type Backend = 'native' | 'testcontainers';

/** URLs one component must use: each goes through that component's own proxy. */
export interface ComponentPaths {
  postgres?: string;
  redis?: string;
  kafka?: string[];
}

/** Contract section 2, plus `id`, `dir` and `paths`. */
export interface EnvironmentEndpoints {
  backend: Backend;
  services: {
    postgres: { url: string; directUrl: string };
    redis: { url: string; directUrl: string };
    kafka: { brokers: string[]; directBrokers: string[] };
    toxiproxy: { url: string };
  };
  /** Names of the Toxiproxy proxies. */
  proxies: string[];
  /** The proxied URLs per component (`api`, `relay`, `consumers`). */
  paths: Record<Component, ComponentPaths>;
  /** Environment id and data dir. */
  id: string;
  dir: string;
  /** The testcontainers backend: the Docker engine the environment runs on, and the images it runs. */
  docker?: { host: string; images: Record<string, string> };
}
