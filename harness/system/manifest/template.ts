/**
 * `${variable}` templates in a system manifest: the environment's endpoints (proxied for the
 * component's paths, or direct), the component's own port, name and URL, the run's bugs and
 * switches. One list of names, so the schema refuses an unknown one before anything starts.
 */

/** Every variable a manifest string may use, with what it stands for (also the docs' table). */
export const TEMPLATE_VARIABLES: Readonly<Record<string, string>> = {
  port: 'a free port on 127.0.0.1 allocated for this component',
  name: 'the component name (api-1, relay…)',
  instance: 'the API instance number, 1…N (perInstance components)',
  url: "the component's url, expanded",
  dir: 'the directory holding the manifest',
  root: 'the cpqchaos package root (its node_modules has tsx)',
  node: 'the Node.js binary running the harness',
  logLevel: 'the log level the harness asks for',
  bugs: 'the planted bugs to switch on, comma-separated (may be empty)',
  failpoints: '`on` when a scenario arms failpoints, else `off`',
  'postgres.url': 'PostgreSQL through the Toxiproxy path of this component',
  'postgres.directUrl': 'PostgreSQL directly (authoritative reads only)',
  'redis.url': 'Redis through the Toxiproxy path of this component',
  'redis.directUrl': 'Redis directly',
  'kafka.brokers': 'Kafka brokers through the Toxiproxy path of this component, comma-separated',
  'kafka.directBrokers': 'Kafka brokers directly, comma-separated',
  'toxiproxy.url': "Toxiproxy's API",
};

const VARIABLE = /\$\{([^}]*)\}/g;

/** The variables of `text` that are not in `TEMPLATE_VARIABLES`. */
export function unknownVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1] as string).filter((v) => !(v in TEMPLATE_VARIABLES));
}

/** `text` with each `${variable}` replaced by its value; an error naming one that has none here. */
export function expand(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (_, variable: string) => {
    const value = values[variable];
    if (value === undefined) throw new Error(`\${${variable}} has no value for this component`);
    return value;
  });
}
