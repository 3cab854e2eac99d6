#!/usr/bin/env bash
# A standalone Flink session cluster from Maven-resolved classpaths (flink-dist is not on Maven Central), for
# flink-sip. Everything lives under one work directory (default: work/cluster): config, logs, pids, checkpoints,
# savepoints, the weight store. Idempotent: start does nothing for processes already running, stop is safe to repeat.
#
#   deploy/cluster.sh start                      JobManager + one TaskManager; waits for the REST endpoint
#   deploy/cluster.sh submit -Dkey=value ...     submits the job (flink-sip-cluster.jar, `submit` entry) detached
#   deploy/cluster.sh list                       running jobs
#   deploy/cluster.sh savepoint JOB_ID           triggers a savepoint
#   deploy/cluster.sh stop-job JOB_ID            stops the job with a savepoint (prints its path)
#   deploy/cluster.sh resume SAVEPOINT -p N -Dkey=value ...   resubmits from a savepoint (-p: new parallelism)
#   deploy/cluster.sh kill-taskmanager [NAME]    kill -9 of a TaskManager (failure drills)
#   deploy/cluster.sh start-taskmanager [NAME]   starts a(nother) TaskManager, named NAME (default taskmanager)
#   deploy/cluster.sh start-jobmanager           the JobManager alone (several hosts: TaskManagers start elsewhere)
#   deploy/cluster.sh stop                       stops every process this script started
#
# Environment: FLINK_SIP_CLUSTER_DIR (work dir), FLINK_SIP_REST_PORT (8081), FLINK_SIP_RPC_PORT (6123),
# FLINK_SIP_SLOTS (2), FLINK_SIP_JOBMANAGER_HOST (localhost: the address the JobManager binds to and everyone
# reaches it at), FLINK_SIP_TASKMANAGER_HOST (localhost: the address a TaskManager started by this call binds to and
# announces). Across hosts the work directory's checkpoints, savepoints and weight store must be shared storage.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${FLINK_SIP_CLUSTER_DIR:-$ROOT/work/cluster}"
REST_PORT="${FLINK_SIP_REST_PORT:-8081}"
RPC_PORT="${FLINK_SIP_RPC_PORT:-6123}"
SLOTS="${FLINK_SIP_SLOTS:-2}"
JM_HOST="${FLINK_SIP_JOBMANAGER_HOST:-localhost}"
TM_HOST="${FLINK_SIP_TASKMANAGER_HOST:-localhost}"
CONF="$WORK/conf"
CLASSPATH_FILE="$ROOT/deploy/target/cluster.classpath"
JOB_JAR="$ROOT/flink-job/target/flink-sip-cluster.jar"

# Java 17 needs these for Flink (the list Flink's own scripts pass via env.java.default-opts.all).
JAVA_OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

build() {
  if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f "$JOB_JAR" ]; then
    echo "cluster: building the cluster classpath and job jar (mvn package)..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

write_config() {
  mkdir -p "$CONF" "$WORK/log" "$WORK/pids" "$WORK/djl-cache"
  {
    sed -n '/^[a-z]/p' "$ROOT"/checkpoints-config/src/main/resources/flink-sip/*.yaml \
      | grep -v -E '^execution.checkpointing.(dir|savepoint-dir):'
    cat <<CONFIG
execution.checkpointing.dir: file://$WORK/checkpoints
execution.checkpointing.savepoint-dir: file://$WORK/savepoints
jobmanager.rpc.address: $JM_HOST
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: $JM_HOST
taskmanager.bind-host: $TM_HOST
taskmanager.host: $TM_HOST
rest.address: $JM_HOST
rest.bind-address: $JM_HOST
rest.port: $REST_PORT
jobmanager.memory.process.size: 1g
taskmanager.memory.process.size: 2500m
taskmanager.numberOfTaskSlots: $SLOTS
classloader.parent-first-patterns.additional: ai.djl.
cluster.registration.error-delay: 1 s
heartbeat.timeout: 8 s
heartbeat.interval: 2 s
slot.request.timeout: 30 s
CONFIG
  } > "$CONF/config.yaml"
  cat > "$CONF/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5level %logger{1} - %msg%n
LOG
  cp "$CONF/log4j.properties" "$CONF/log4j-console.properties"
}

running() { [ -f "$WORK/pids/$1" ] && kill -0 "$(cat "$WORK/pids/$1")" 2>/dev/null; }

# jemalloc when installed, as in Flink's image (glibc keeps native memory PyTorch and RocksDB free; see
# docs/operations.md); FLINK_SIP_ALLOCATOR=glibc keeps glibc.
preload() {
  [ "${FLINK_SIP_ALLOCATOR:-jemalloc}" = jemalloc ] || return 0
  for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
             /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [ -f "$lib" ]; then echo "$lib"; return 0; fi
  done
}

launch() { # name, main class, resource-params command, extra dynamic properties
  local name=$1 main=$2 params=$3 extra=${4:-}
  if running "$name"; then echo "cluster: $name already running (pid $(cat "$WORK/pids/$name"))"; return; fi
  local cp; cp="$(cat "$CLASSPATH_FILE")"
  local out; out="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$params" --configDir "$CONF" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  local jvm; jvm="$(echo "$out" | sed -n 1p)"
  local dyn; dyn="$(echo "$out" | sed -n 2p) $extra"
  # shellcheck disable=SC2086
  LD_PRELOAD="${LD_PRELOAD:-$(preload)}" MALLOC_ARENA_MAX=2 \
    MALLOC_CONF="${MALLOC_CONF:-background_thread:true,muzzy_decay_ms:0}" DJL_CACHE_DIR="$WORK/djl-cache" nohup java $jvm "${JAVA_OPENS[@]}" \
    -Dai.djl.offline=true -DDJL_CACHE_DIR="$WORK/djl-cache" -Dlog.file="$WORK/log/$name.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j.properties" -cp "$cp" "$main" --configDir "$CONF" $dyn \
    > "$WORK/log/$name.out" 2>&1 &
  echo $! > "$WORK/pids/$name"
  echo "cluster: started $name (pid $!)"
}

wait_rest() {
  for _ in $(seq 1 120); do
    if curl -sf "http://$JM_HOST:$REST_PORT/overview" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "cluster: REST endpoint did not come up; see $WORK/log" >&2; return 1
}

cli() { java "${JAVA_OPENS[@]}" -Dlog.file="$WORK/log/client.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
  -cp "$(cat "$CLASSPATH_FILE")" -DFLINK_CONF_DIR="$CONF" org.apache.flink.client.cli.CliFrontend "$@"; }

# A TaskManager binds to and announces its own address (FLINK_SIP_TASKMANAGER_HOST at the time it starts).
taskmanager() {
  launch "$1" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS \
    "-D taskmanager.host=$TM_HOST -D taskmanager.bind-host=$TM_HOST"
}

case "${1:-}" in
  start)
    build; write_config
    launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
    taskmanager taskmanager
    wait_rest && echo "cluster: up, REST on http://$JM_HOST:$REST_PORT, work dir $WORK" ;;
  start-jobmanager)
    build; write_config
    launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
    wait_rest && echo "cluster: JobManager up, REST on http://$JM_HOST:$REST_PORT, work dir $WORK" ;;
  start-taskmanager)
    [ -f "$CONF/config.yaml" ] || { build; write_config; }
    taskmanager "${2:-taskmanager}" ;;
  kill-taskmanager)
    name="${2:-taskmanager}"
    if running "$name"; then kill -9 "$(cat "$WORK/pids/$name")"; rm -f "$WORK/pids/$name"; echo "cluster: killed $name"; fi ;;
  submit)
    shift; build; export FLINK_CONF_DIR="$CONF"; cli run -d "$JOB_JAR" submit "$@" ;;
  resume)
    shift; sp=$1; shift; par=(); if [ "${1:-}" = "-p" ]; then par=(-p "$2"); shift 2; fi
    export FLINK_CONF_DIR="$CONF"; cli run -d -s "$sp" "${par[@]}" "$JOB_JAR" submit "$@" ;;
  list) export FLINK_CONF_DIR="$CONF"; cli list ;;
  savepoint) export FLINK_CONF_DIR="$CONF"; cli savepoint "$2" ;;
  stop-job) export FLINK_CONF_DIR="$CONF"; cli stop "$2" ;;
  stop)
    names=(); for f in "$WORK"/pids/*; do [ -f "$f" ] && names+=("$(basename "$f")"); done
    for name in "${names[@]}"; do
      if running "$name"; then kill "$(cat "$WORK/pids/$name")" 2>/dev/null || true; fi
    done
    sleep 2
    for name in "${names[@]}"; do
      if running "$name"; then kill -9 "$(cat "$WORK/pids/$name")" 2>/dev/null || true; fi
      rm -f "$WORK/pids/$name"
    done
    echo "cluster: stopped" ;;
  *) sed -n '2,23p' "$0"; exit 2 ;;
esac
