/**
 * Apache Kafka from Maven Central: the broker jar and its runtime dependencies, resolved once with
 * Maven into the cache. The broker then runs as `java -cp 'libs/*' kafka.Kafka` on Java 17.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InfraError } from '../../core/errors.ts';
import { exec, which } from '../exec.ts';
import { cacheDir } from '../paths.ts';
import { VERSIONS } from '../versions.ts';
import { withFileLock } from './lock.ts';

/** Where the Kafka runtime lives: `libs/` holds the jars. */
export interface KafkaRuntime {
  java: string;
  libs: string;
}

function pom(): string {
  const dep = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>cpqchaos</groupId><artifactId>kafka-runtime</artifactId><version>${VERSIONS.kafka}</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', `kafka_${VERSIONS.kafkaScala}`, VERSIONS.kafka)}
    ${dep('org.slf4j', 'slf4j-reload4j', VERSIONS.slf4jReload4j)}
  </dependencies>
</project>
`;
}

function kafkaHome(): string {
  return path.join(cacheDir(), `kafka-${VERSIONS.kafkaScala}-${VERSIONS.kafka}`);
}

/** True once the jars are in the cache. */
export function kafkaJarsCached(): boolean {
  return fs.existsSync(path.join(kafkaHome(), 'libs'));
}

/** The `java` binary, or an `InfraError` saying what to install. */
export async function requireJava(): Promise<string> {
  const java = await which('java');
  if (!java) {
    throw new InfraError(
      'Java is missing (Kafka runs on a JVM)',
      'install a Java 17 runtime (apt-get install openjdk-17-jre-headless) and put `java` on PATH',
    );
  }
  return java;
}

/** The `mvn` binary, or an `InfraError` saying what to install. */
export async function requireMaven(): Promise<string> {
  const mvn = await which('mvn');
  if (!mvn) {
    throw new InfraError(
      `Maven is missing (needed once to fetch Kafka ${VERSIONS.kafka} from Maven Central)`,
      'install Maven (apt-get install maven) and put `mvn` on PATH',
    );
  }
  return mvn;
}

/** The Java binary and the jar dir of the pinned Kafka, resolving the jars first if needed. */
export async function ensureKafkaRuntime(): Promise<KafkaRuntime> {
  const java = await requireJava();
  const home = kafkaHome();
  const libs = path.join(home, 'libs');
  if (fs.existsSync(libs)) return { java, libs };
  await withFileLock(path.join(cacheDir(), 'locks', 'kafka.lock'), async () => {
    if (fs.existsSync(libs)) return;
    const mvn = await requireMaven();
    fs.mkdirSync(home, { recursive: true });
    const staging = fs.mkdtempSync(path.join(home, '.staging-'));
    try {
      fs.writeFileSync(path.join(staging, 'pom.xml'), pom());
      await exec(
        mvn,
        [
          '-q',
          '-B',
          'dependency:copy-dependencies',
          `-DoutputDirectory=${path.join(staging, 'libs')}`,
          '-DincludeScope=runtime',
        ],
        { cwd: staging, remedy: 'check access to Maven Central, then retry' },
      );
      fs.renameSync(path.join(staging, 'libs'), libs);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });
  return { java, libs };
}
