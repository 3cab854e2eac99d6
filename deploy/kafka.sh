#!/usr/bin/env bash
# A single-node KRaft Kafka broker (broker + controller) from Maven's Kafka jars, for trying the Kafka path locally.
# Everything lives under one work directory (default: work/kafka). Idempotent.
#
#   deploy/kafka.sh start                 formats the log directory once, starts the broker, waits until it answers
#   deploy/kafka.sh create-topic NAME [PARTITIONS]
#   deploy/kafka.sh stop
#
# Environment: FLINK_SIP_KAFKA_DIR (work dir), FLINK_SIP_KAFKA_PORT (9092), FLINK_SIP_KAFKA_CONTROLLER_PORT (9093).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${FLINK_SIP_KAFKA_DIR:-$ROOT/work/kafka}"
PORT="${FLINK_SIP_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${FLINK_SIP_KAFKA_CONTROLLER_PORT:-9093}"
CLASSPATH_FILE="$ROOT/deploy/kafka-broker/target/broker.classpath"

build() {
  if [ ! -f "$CLASSPATH_FILE" ]; then
    echo "kafka: resolving the broker's classpath (mvn package)..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests -f deploy/kafka-broker/pom.xml) >&2
  fi
}

running() { [ -f "$WORK/broker.pid" ] && kill -0 "$(cat "$WORK/broker.pid")" 2>/dev/null; }

kafka_java() { java -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" -cp "$(cat "$CLASSPATH_FILE")" "$@"; }

case "${1:-}" in
  start)
    build
    mkdir -p "$WORK/data" "$WORK/log"
    if running; then echo "kafka: already running (pid $(cat "$WORK/broker.pid"))"; exit 0; fi
    cat > "$WORK/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$WORK/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    cat > "$WORK/log4j2.properties" <<LOG
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.type = File
appender.file.name = file
appender.file.fileName = $WORK/log/broker.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5level %logger{1} - %msg%n
LOG
    if [ ! -f "$WORK/data/meta.properties" ]; then
      id="$(kafka_java kafka.tools.StorageTool random-uuid | tail -1)"
      kafka_java kafka.tools.StorageTool format -t "$id" -c "$WORK/server.properties" --standalone > "$WORK/log/format.out"
    fi
    nohup java -Xmx512m -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" -cp "$(cat "$CLASSPATH_FILE")" \
      kafka.Kafka "$WORK/server.properties" > "$WORK/log/broker.out" 2>&1 &
    echo $! > "$WORK/broker.pid"
    for _ in $(seq 1 120); do
      if kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$PORT" --list >/dev/null 2>&1; then
        echo "kafka: up on localhost:$PORT (pid $(cat "$WORK/broker.pid")), work dir $WORK"; exit 0
      fi
      sleep 0.5
    done
    echo "kafka: broker did not answer; see $WORK/log" >&2; exit 1 ;;
  create-topic)
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$PORT" --create --if-not-exists \
      --topic "$2" --partitions "${3:-1}" --replication-factor 1 ;;
  stop)
    if running; then
      kill "$(cat "$WORK/broker.pid")" || true
      for _ in $(seq 1 40); do running || break; sleep 0.5; done
      running && kill -9 "$(cat "$WORK/broker.pid")" || true
    fi
    rm -f "$WORK/broker.pid"; echo "kafka: stopped" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
