#!/usr/bin/env bash
# A single-node KRaft Kafka broker (broker + controller) from Maven's Kafka jars, for trying the Kafka path locally.
# Everything lives under one work directory (default: work/kafka). Idempotent.
#
#   deploy/kafka.sh start                 formats the log directory once, starts the broker, waits until it answers
#   deploy/kafka.sh create-topic NAME [PARTITIONS]
#   deploy/kafka.sh stop
#
# Environment: FLINK_SIP_KAFKA_DIR (work dir), FLINK_SIP_KAFKA_PORT (9092), FLINK_SIP_KAFKA_CONTROLLER_PORT (9093),
# FLINK_SIP_KAFKA_SECURITY: plaintext (default) or sasl-ssl. sasl-ssl serves clients over TLS with SCRAM-SHA-512
# logins and the controller over mutual TLS; on first start it generates a key pair, a truststore, the passwords and
# a user 'sip', and writes the client settings to <work dir>/client.properties (mode 600) for
# `-Dsip.kafka.client-config-file=...` and `produce`/`tail --client-config ...`. Secrets never go on a command line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${FLINK_SIP_KAFKA_DIR:-$ROOT/work/kafka}"
PORT="${FLINK_SIP_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${FLINK_SIP_KAFKA_CONTROLLER_PORT:-9093}"
SECURITY="${FLINK_SIP_KAFKA_SECURITY:-plaintext}"
CLASSPATH_FILE="$ROOT/deploy/kafka-broker/target/broker.classpath"
SECRETS="$WORK/secrets"
CLIENT_CONFIG="$WORK/client.properties"

build() {
  if [ ! -f "$CLASSPATH_FILE" ]; then
    echo "kafka: resolving the broker's classpath (mvn package)..." >&2
    (cd "$ROOT" && mvn -B -q package -DskipTests -f deploy/kafka-broker/pom.xml) >&2
  fi
}

running() { [ -f "$WORK/broker.pid" ] && kill -0 "$(cat "$WORK/broker.pid")" 2>/dev/null; }

kafka_java() { java -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" -cp "$(cat "$CLASSPATH_FILE")" "$@"; }

# Admin tools talk to the broker with the client settings in secure mode.
admin_args() { if [ "$SECURITY" = sasl-ssl ]; then echo --command-config "$CLIENT_CONFIG"; fi; }

secret() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }

# Once per work directory: passwords, a self-signed key pair for localhost (the broker's TLS identity, also what it
# presents to its own controller), a truststore holding that certificate, and the client settings. Files are 600.
make_secrets() {
  [ -f "$SECRETS/store.password" ] && return 0
  (umask 077; mkdir -p "$SECRETS"
   secret > "$SECRETS/store.password"; secret > "$SECRETS/admin.password"; secret > "$SECRETS/sip.password")
  local pw; pw="$(cat "$SECRETS/store.password")"
  (umask 077
   keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=localhost" \
     -ext "SAN=dns:localhost,ip:127.0.0.1" -keystore "$SECRETS/broker.p12" -storetype PKCS12 \
     -storepass:file "$SECRETS/store.password" -keypass:file "$SECRETS/store.password" >/dev/null 2>&1
   keytool -exportcert -alias broker -keystore "$SECRETS/broker.p12" -storepass:file "$SECRETS/store.password" \
     -file "$SECRETS/broker.crt" >/dev/null 2>&1
   keytool -importcert -noprompt -alias broker -file "$SECRETS/broker.crt" -keystore "$SECRETS/truststore.p12" \
     -storetype PKCS12 -storepass:file "$SECRETS/store.password" >/dev/null 2>&1
   cat > "$CLIENT_CONFIG" <<CLIENT
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="sip" password="$(cat "$SECRETS/sip.password")";
ssl.truststore.location=$SECRETS/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$pw
CLIENT
  )
}

listener_properties() {
  if [ "$SECURITY" = sasl-ssl ]; then
    local pw; pw="$(cat "$SECRETS/store.password")"
    cat <<PROPS
listeners=SASL_SSL://localhost:$PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=SASL_SSL://localhost:$PORT
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cat "$SECRETS/admin.password")";
ssl.keystore.location=$SECRETS/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$pw
ssl.key.password=$pw
ssl.truststore.location=$SECRETS/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$pw
listener.name.controller.ssl.client.auth=required
PROPS
  else
    cat <<PROPS
listeners=PLAINTEXT://localhost:$PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
PROPS
  fi
}

case "${1:-}" in
  start)
    build
    case "$SECURITY" in plaintext|sasl-ssl) ;; *)
      echo "kafka: FLINK_SIP_KAFKA_SECURITY must be plaintext or sasl-ssl, not '$SECURITY'" >&2; exit 2 ;; esac
    mkdir -p "$WORK/data" "$WORK/log"
    if running; then echo "kafka: already running (pid $(cat "$WORK/broker.pid"))"; exit 0; fi
    # The SCRAM users are written when the log directory is formatted: a directory keeps the mode it was made with.
    if [ -f "$WORK/security" ] && [ "$(cat "$WORK/security")" != "$SECURITY" ]; then
      echo "kafka: $WORK was formatted for $(cat "$WORK/security"), not $SECURITY; use another FLINK_SIP_KAFKA_DIR" >&2
      exit 2
    fi
    [ "$SECURITY" = sasl-ssl ] && make_secrets
    (umask 077; {
      cat <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
PROPS
      listener_properties
      cat <<PROPS
log.dirs=$WORK/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
    } > "$WORK/server.properties")
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
      # java @file: the SCRAM passwords reach the storage tool through a 600 file, never a visible command line.
      (umask 077; {
        printf '"%s"\n' -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" -cp "$(cat "$CLASSPATH_FILE")" \
          kafka.tools.StorageTool format -t "$id" -c "$WORK/server.properties" --standalone
        if [ "$SECURITY" = sasl-ssl ]; then
          for user in admin sip; do
            printf -- '--add-scram\n"SCRAM-SHA-512=[name=%s,password=%s]"\n' "$user" "$(cat "$SECRETS/$user.password")"
          done
        fi
      } > "$WORK/format.args")
      java "@$WORK/format.args" > "$WORK/log/format.out"
      rm -f "$WORK/format.args"
      echo "$SECURITY" > "$WORK/security"
    fi
    nohup java -Xmx512m -Dlog4j2.configurationFile="file:$WORK/log4j2.properties" -cp "$(cat "$CLASSPATH_FILE")" \
      kafka.Kafka "$WORK/server.properties" > "$WORK/log/broker.out" 2>&1 &
    echo $! > "$WORK/broker.pid"
    for _ in $(seq 1 120); do
      if kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$PORT" $(admin_args) --list >/dev/null 2>&1; then
        echo "kafka: up on localhost:$PORT ($SECURITY, pid $(cat "$WORK/broker.pid")), work dir $WORK"
        [ "$SECURITY" = sasl-ssl ] && echo "kafka: client settings (user sip) in $CLIENT_CONFIG"
        exit 0
      fi
      sleep 0.5
    done
    echo "kafka: broker did not answer; see $WORK/log" >&2; exit 1 ;;
  create-topic)
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "localhost:$PORT" $(admin_args) --create --if-not-exists \
      --topic "$2" --partitions "${3:-1}" --replication-factor 1 ;;
  stop)
    if running; then
      kill "$(cat "$WORK/broker.pid")" || true
      for _ in $(seq 1 40); do running || break; sleep 0.5; done
      running && kill -9 "$(cat "$WORK/broker.pid")" || true
    fi
    rm -f "$WORK/broker.pid"; echo "kafka: stopped" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
