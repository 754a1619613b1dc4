#!/bin/sh
# The reference CPQ/OMS already running in containers, as a team's staging system would be: this
# script starts, stops and acts on its five containers; examples/reference-in-docker.yaml describes
# them to cpqchaos with these actions as the components' abilities.
#
#   npx cpqchaos env up --backend testcontainers        # the services, on the private Docker engine
#   examples/reference-in-docker.sh up [bug,bug]        # the system's containers (planted bugs optional)
#   npx cpqchaos gate --system examples/reference-in-docker.yaml
#   examples/reference-in-docker.sh down
#
# Acting on one component: reference-in-docker.sh kill|start|restart|pause|resume <name>, and
# reference-in-docker.sh clock <name> <seconds> (its wall clock that far from real time; 0: back).
# Containers are named cpq-<name> and listen on 127.0.0.1:1810<n> (host network); each preloads
# libfaketime, reading its offset from a file under .cpqchaos/reference-in-docker-clock/.
set -eu

cwd=${CPQCHAOS_CWD:-$PWD}
envfile="$cwd/.cpqchaos/env.json"
[ -f "$envfile" ] || { echo "no $envfile: run npx cpqchaos env up --backend testcontainers in $cwd first" >&2; exit 64; }
field() { node -e "const e=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));const v=process.argv[2].split('.').reduce((o,k)=>o?.[k],e);process.stdout.write(Array.isArray(v)?v.join(','):String(v??''))" "$envfile" "$1"; }
DOCKER_HOST=$(field docker.host)
[ -n "$DOCKER_HOST" ] || { echo "the environment in $envfile is not on Docker: env up --backend testcontainers" >&2; exit 64; }
export DOCKER_HOST
clocks="$cwd/.cpqchaos/reference-in-docker-clock"

# name port entry consumers paths
COMPONENTS="api-1 18101 reference-impl/api-main.ts - api
api-2 18102 reference-impl/api-main.ts - api
relay 18103 reference-impl/relay/main.ts - relay
consumers 18104 reference-impl/consumers/main.ts billing,projection consumers
invalidation 18105 reference-impl/consumers/main.ts invalidation consumers"

ready() { # waits for http://127.0.0.1:<port>/healthz
  for _ in $(seq 1 150); do
    node -e "fetch('http://127.0.0.1:$1/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && return 0
    sleep 0.2
  done
  echo "cpq on port $1 not ready after 30 s" >&2
  return 1
}

case "${1:-}" in
  up)
    bugs=${2:-}
    image=$(docker images cpqchaos/system --format '{{.CreatedAt}} {{.Repository}}:{{.Tag}}' | sort -r | head -1 | cut -d' ' -f5)
    [ -n "$image" ] || { echo "no cpqchaos/system image: run npx cpqchaos images build" >&2; exit 64; }
    mkdir -p "$clocks"
    echo "$COMPONENTS" | while read -r name port entry consumers paths; do
      echo +0 > "$clocks/$name.faketime"
      db=$(field "paths.$paths.postgres"); redis=$(field "paths.$paths.redis"); kafka=$(field "paths.$paths.kafka")
      docker rm -f "cpq-$name" >/dev/null 2>&1 || true
      docker run -d --name "cpq-$name" --network host --init --label cpqchaos.example=reference-in-docker \
        -e HOME=/tmp -e CPQ_INSTANCE_ID="$name" -e CPQ_PORT="$port" -e CPQ_DATABASE_URL="$db" -e CPQ_REDIS_URL="$redis" \
        -e CPQ_KAFKA_BROKERS="$kafka" -e CPQ_BUGS="$bugs" -e CPQ_FAILPOINTS=on -e CPQ_LOG_LEVEL=warn \
        -e KAFKAJS_NO_PARTITIONER_WARNING=1 $( [ "$consumers" = - ] || echo "-e CPQ_CONSUMERS=$consumers" ) \
        -v "$clocks:$clocks" -e LD_PRELOAD=/usr/local/lib/libfaketime.so.1 -e FAKETIME_TIMESTAMP_FILE="$clocks/$name.faketime" \
        -e FAKETIME_CACHE_DURATION=1 -e DONT_FAKE_MONOTONIC=1 \
        "$image" "$entry" >/dev/null
    done
    for port in 18101 18102 18103 18104 18105; do ready "$port"; done
    echo "reference-in-docker: 5 containers up from $image${bugs:+ with bugs $bugs}"
    ;;
  down)
    ids=$(docker ps -aq --filter label=cpqchaos.example=reference-in-docker)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
    echo "reference-in-docker: down"
    ;;
  kill) docker kill "cpq-$2" >/dev/null ;;
  start) docker start "cpq-$2" >/dev/null ;;
  restart) docker restart -t 3 "cpq-$2" >/dev/null ;;
  pause) docker pause "cpq-$2" >/dev/null ;;
  resume) docker unpause "cpq-$2" >/dev/null ;;
  clock) case "$3" in -*) echo "$3" ;; *) echo "+$3" ;; esac > "$clocks/$2.faketime" ;;
  *) echo "usage: $0 up [bugs] | down | kill|start|restart|pause|resume <component> | clock <component> <seconds>" >&2; exit 64 ;;
esac
