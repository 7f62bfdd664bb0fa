#!/usr/bin/env bash
# A real, single-node Apache Kafka broker (KRaft, broker+controller in one JVM) on
# 127.0.0.1, with nothing but a JDK 17+ (and Maven for the one-time install).
#
#   kafka-local.sh install          fetch the broker jars into $KAFKA_HOME/lib (idempotent)
#   kafka-local.sh start [--fresh]  start a broker in the background, wait until it serves,
#                                   print KAFKA_BROKERS=127.0.0.1:<port> on stdout
#   kafka-local.sh stop             stop it (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT)
#   kafka-local.sh status           exit 0 when it is running
#
# Security (KAFKA_SECURITY; the default, plaintext, has no authentication):
#   plaintext  one PLAINTEXT listener on KAFKA_PORT
#   sasl       a SASL_PLAINTEXT listener on KAFKA_PORT (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN);
#              brokers authenticate to each other over it with SCRAM-SHA-512
#   sasl-ssl   the same, plus a SASL_SSL listener on KAFKA_SSL_PORT (default KAFKA_PORT + 2)
#              with certificates from a CA generated at first start (openssl), kept in
#              $KAFKA_DATA_DIR/tls: ca.pem, client.pem and client.key (for mutual TLS)
# In both secure modes the user KAFKA_SASL_USERNAME (default agentos) with the password
# KAFKA_SASL_PASSWORD (default agentos-local-only) is created for every mechanism; SCRAM
# credentials are written when the storage is formatted, so after changing them use --fresh.
# KAFKA_SSL_CLIENT_AUTH=required|requested|none (default required) sets mutual TLS on SASL_SSL.
# `start` and `status` then print the client settings (never the password) instead of just
# KAFKA_BROKERS; with sasl-ssl, KAFKA_BROKERS names the SASL_SSL listener.
#
# See tools/kafka/README.md for the environment variables.
set -euo pipefail

readonly KAFKA_VERSION=4.1.1
readonly STARTED_MESSAGE='Kafka Server started'

script_path="${BASH_SOURCE[0]}"
[[ "${script_path}" == */* ]] || script_path="./${script_path}"
script_dir="$(cd "${script_path%/*}" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
kafka_home="${KAFKA_HOME:-${repo_root}/.kafka}"
lib_dir="${kafka_home}/lib"
marker="${lib_dir}/.installed-kafka-${KAFKA_VERSION}"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-}"
data_dir="${KAFKA_DATA_DIR:-${kafka_home}/data-${port}}"
pid_file="${KAFKA_PID_FILE:-${kafka_home}/run/kafka-${port}.pid}"
start_timeout="${KAFKA_START_TIMEOUT:-60}"
stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"
heap_opts="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
security="${KAFKA_SECURITY:-plaintext}"
ssl_port="${KAFKA_SSL_PORT:-}"
ssl_client_auth="${KAFKA_SSL_CLIENT_AUTH:-required}"
sasl_username="${KAFKA_SASL_USERNAME:-agentos}"
sasl_password="${KAFKA_SASL_PASSWORD:-agentos-local-only}"
sasl_mechanism="${KAFKA_SASL_MECHANISM:-scram-sha-512}"
# The user brokers authenticate to each other with; its password is generated at format time.
readonly BROKER_USER=broker
tls_dir="${data_dir}/tls"
java_bin=""

# Exit codes: 1 failure, 2 usage, 3 missing prerequisite, 4 port taken, 5 broker did not start.
log() { printf 'kafka-local: %s\n' "$*" >&2; }
die() {
  local code="$1"
  shift
  log "error: $*"
  exit "$code"
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }
is_port() { is_uint "$1" && (($1 > 0 && $1 < 65536)); }

check_settings() {
  if [[ -z "$controller_port" ]] && is_uint "$port"; then controller_port=$((port + 1)); fi
  is_port "$port" || die 2 "KAFKA_PORT must be a TCP port, got '${port}'"
  is_port "$controller_port" || die 2 "KAFKA_CONTROLLER_PORT must be a TCP port, got '${controller_port}'"
  ((controller_port != port)) || die 2 "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  is_uint "$start_timeout" || die 2 "KAFKA_START_TIMEOUT must be whole seconds, got '${start_timeout}'"
  is_uint "$stop_timeout" || die 2 "KAFKA_STOP_TIMEOUT must be whole seconds, got '${stop_timeout}'"
  if [[ -n "${KAFKA_STOP_WITH_PID:-}" ]] && ! is_uint "${KAFKA_STOP_WITH_PID}"; then
    die 2 "KAFKA_STOP_WITH_PID must be a pid, got '${KAFKA_STOP_WITH_PID}'"
  fi
}

# Only start and status use these: stop must work whatever they say.
check_security_settings() {
  case "$security" in
    plaintext) return 0 ;;
    sasl | sasl-ssl) ;;
    *) die 2 "KAFKA_SECURITY must be plaintext, sasl or sasl-ssl, got '${security}'" ;;
  esac
  # Both end up inside JAAS options and StorageTool's --add-scram syntax: keep them plain.
  [[ "$sasl_username" =~ ^[A-Za-z][A-Za-z0-9_]{0,63}$ ]] ||
    die 2 "KAFKA_SASL_USERNAME must be a letter then letters, digits or _ (at most 64), got '${sasl_username}'"
  [[ "$sasl_username" != "$BROKER_USER" ]] || die 2 "KAFKA_SASL_USERNAME '${BROKER_USER}' is reserved for the brokers themselves"
  # The password is a secret: say what is wrong with it, never echo it.
  [[ "$sasl_password" =~ ^[A-Za-z0-9._~@%+-]{8,128}$ ]] ||
    die 2 "KAFKA_SASL_PASSWORD must be 8 to 128 of A-Z a-z 0-9 . _ ~ @ % + - (the broker's config syntax allows no other characters here)"
  case "$sasl_mechanism" in
    plain | scram-sha-256 | scram-sha-512) ;;
    *) die 2 "KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got '${sasl_mechanism}'" ;;
  esac
  if [[ "$security" == sasl-ssl ]]; then
    if [[ -z "$ssl_port" ]] && is_uint "$port"; then ssl_port=$((port + 2)); fi
    is_port "$ssl_port" || die 2 "KAFKA_SSL_PORT must be a TCP port, got '${ssl_port}'"
    ((ssl_port != port && ssl_port != controller_port)) || die 2 "KAFKA_SSL_PORT must differ from KAFKA_PORT and KAFKA_CONTROLLER_PORT"
    case "$ssl_client_auth" in
      required | requested | none) ;;
      *) die 2 "KAFKA_SSL_CLIENT_AUTH must be required, requested or none, got '${ssl_client_auth}'" ;;
    esac
    command -v openssl >/dev/null 2>&1 || die 3 "openssl not found on PATH; KAFKA_SECURITY=sasl-ssl generates its certificates with it"
  fi
}

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    java_bin="${JAVA_HOME}/bin/java"
  elif command -v java >/dev/null 2>&1; then
    java_bin="$(command -v java)"
  else
    die 3 "java not found (no \$JAVA_HOME/bin/java, nothing on PATH). Kafka ${KAFKA_VERSION} needs a JDK/JRE 17 or newer, e.g. 'apt-get install openjdk-17-jre-headless' or 'brew install openjdk@17'."
  fi
  local version major
  version="$("$java_bin" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  major="${version%%.*}"
  if [[ "$major" == "1" ]]; then
    major="$(printf '%s' "$version" | cut -d. -f2)"
  fi
  if ! is_uint "$major" || ((major < 17)); then
    die 3 "${java_bin} is Java '${version:-unknown}'; Kafka ${KAFKA_VERSION} needs Java 17 or newer (set JAVA_HOME)."
  fi
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 ||
    die 3 "mvn not found on PATH; the one-time install fetches Kafka ${KAFKA_VERSION} from Maven Central with Maven 3.6+ (e.g. 'apt-get install maven' or 'brew install maven')."
}

is_installed() { [[ -f "$marker" && -f "${lib_dir}/kafka_2.13-${KAFKA_VERSION}.jar" ]]; }

# --- process helpers --------------------------------------------------------

# Alive and not a zombie (nothing may reap a broker whose launcher has exited).
is_alive() {
  local pid="$1" state=""
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/${pid}/stat" ]]; then
    state="$(awk '{ print $3 }' "/proc/${pid}/stat" 2>/dev/null || true)"
  elif command -v ps >/dev/null 2>&1; then
    state="$(ps -p "$pid" -o stat= 2>/dev/null || true)"
  fi
  [[ "$state" != Z* ]]
}

# The pid is a live broker JVM (guards against a recycled pid in a stale pid file).
is_broker_pid() {
  local pid="$1" args=""
  is_uint "$pid" || return 1
  is_alive "$pid" || return 1
  if [[ -r "/proc/${pid}/cmdline" ]]; then
    args="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)"
  elif command -v ps >/dev/null 2>&1; then
    args="$(ps -p "$pid" -o args= 2>/dev/null || true)"
  else
    return 0
  fi
  [[ "$args" == *kafka.Kafka* ]]
}

# Prints the pid of the broker recorded in the pid file, if it is running.
running_pid() {
  local pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(tr -d '[:space:]' <"$pid_file" 2>/dev/null || true)"
  is_broker_pid "$pid" || return 1
  printf '%s\n' "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# SIGTERM, wait up to $2 seconds, then SIGKILL and wait a little more.
terminate() {
  local pid="$1" timeout="$2" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + timeout))
  while is_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "broker pid ${pid} still running after ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
      while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
      break
    fi
    sleep 0.1
  done
}

show_logs() {
  local f
  for f in "${data_dir}/kafka.out" "${data_dir}/server.log"; do
    if [[ -s "$f" ]]; then
      log "--- last lines of ${f} ---"
      tail -n 30 "$f" >&2 || true
    fi
  done
}

# --- install ------------------------------------------------------------------

lock_dir=""
tmp_lib=""
cleanup() {
  if [[ -n "$tmp_lib" ]]; then rm -rf "$tmp_lib"; fi
  if [[ -n "$lock_dir" ]]; then rm -rf "$lock_dir"; fi
}
trap cleanup EXIT

# A mkdir lock (portable, atomic) so parallel test runs do not install twice at once.
acquire_install_lock() {
  local holder deadline=$((SECONDS + 900))
  mkdir -p "$kafka_home"
  while ! mkdir "${kafka_home}/install.lock" 2>/dev/null; do
    holder="$(cat "${kafka_home}/install.lock/pid" 2>/dev/null || true)"
    if [[ -n "$holder" ]] && ! kill -0 "$holder" 2>/dev/null; then
      rm -rf "${kafka_home}/install.lock"
      continue
    fi
    ((SECONDS < deadline)) || die 1 "waited 900s for ${kafka_home}/install.lock (held by pid ${holder:-?}); remove it if stale"
    sleep 0.5
  done
  lock_dir="${kafka_home}/install.lock"
  printf '%s\n' "$$" >"${lock_dir}/pid"
}

cmd_install() {
  if is_installed; then
    if [[ "${1:-}" != --quiet ]]; then log "Kafka ${KAFKA_VERSION} already installed in ${lib_dir}"; fi
    return 0
  fi
  find_java
  require_mvn
  acquire_install_lock
  if is_installed; then
    log "Kafka ${KAFKA_VERSION} already installed in ${lib_dir}"
    return 0
  fi
  tmp_lib="${kafka_home}/lib.tmp.$$"
  rm -rf "$tmp_lib"
  log "installing Kafka ${KAFKA_VERSION} into ${lib_dir} (Maven Central, ~45 MB on first use)"
  local started=$SECONDS
  local esc=$'\033'
  # Maven 3.8 prints bare ANSI resets even in batch mode; strip them (pipefail keeps mvn's status).
  if ! mvn -q -B -Dstyle.color=never -f "${script_dir}/pom.xml" dependency:copy-dependencies \
    "-Dkafka.lib.dir=${tmp_lib}" 2>&1 | sed "s/${esc}\[[0-9;]*m//g" >&2; then
    die 1 "Maven could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION} (is Maven Central reachable? see ~/.m2/settings.xml for mirrors/proxies)"
  fi
  [[ -f "${tmp_lib}/kafka_2.13-${KAFKA_VERSION}.jar" ]] ||
    die 1 "Maven finished but ${tmp_lib}/kafka_2.13-${KAFKA_VERSION}.jar is missing"
  (cd "$tmp_lib" && ls -1 -- *.jar) >"${tmp_lib}/.installed-kafka-${KAFKA_VERSION}"
  rm -rf "$lib_dir"
  mv "$tmp_lib" "$lib_dir"
  tmp_lib=""
  rm -rf "$lock_dir"
  lock_dir=""
  log "installed $(wc -l <"$marker" | tr -d ' ') jars in $((SECONDS - started))s"
}

# --- start ------------------------------------------------------------------

# The listener part of server.properties for KAFKA_SECURITY.
listener_properties() {
  if [[ "$security" == plaintext ]]; then
    cat <<EOF
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
EOF
    return 0
  fi
  local listeners="SASL_PLAINTEXT://127.0.0.1:${port}" names=(sasl_plaintext) name broker_password
  if [[ "$security" == sasl-ssl ]]; then
    listeners+=",SASL_SSL://127.0.0.1:${ssl_port}"
    names+=(sasl_ssl)
  fi
  broker_password="$(cat "${data_dir}/broker.password")"
  cat <<EOF
listeners=${listeners},CONTROLLER://127.0.0.1:${controller_port}
advertised.listeners=${listeners}
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
# One node: "inter-broker" traffic is the broker reaching its own listener, as user ${BROKER_USER}.
inter.broker.listener.name=SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN
EOF
  for name in "${names[@]}"; do
    cat <<EOF
listener.name.${name}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${BROKER_USER}" password="${broker_password}";
listener.name.${name}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.${name}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${BROKER_USER}" password="${broker_password}" user_${BROKER_USER}="${broker_password}" user_${sasl_username}="${sasl_password}";
EOF
  done
  if [[ "$security" == sasl-ssl ]]; then
    local keystore_password
    keystore_password="$(cat "${tls_dir}/keystore.password")"
    cat <<EOF
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=${tls_dir}/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=${keystore_password}
listener.name.sasl_ssl.ssl.key.password=${keystore_password}
listener.name.sasl_ssl.ssl.truststore.type=PEM
listener.name.sasl_ssl.ssl.truststore.location=${tls_dir}/ca.pem
listener.name.sasl_ssl.ssl.client.auth=${ssl_client_auth}
EOF
  fi
}

write_configs() {
  # server.properties may hold passwords (PLAIN users, the keystore's): readable by us only.
  (
    umask 077
    {
      cat <<EOF
# Generated by tools/kafka/kafka-local.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controller_port}
EOF
      listener_properties
      cat <<EOF
log.dirs=${data_dir}/kraft-logs
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.retention.check.interval.ms=60000
EOF
    } >"${data_dir}/server.properties.tmp"
  )
  mv "${data_dir}/server.properties.tmp" "${data_dir}/server.properties"
  cat >"${data_dir}/log4j2.properties" <<EOF
# Generated by tools/kafka/kafka-local.sh: WARN and above, plus the server start line.
status = error
name = kafka-local
# Kafka logs from its own shutdown hook: keep log4j alive until the JVM is gone.
shutdownHook = disable
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${data_dir}/server.log
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = info
EOF
}

# Short-lived tool JVMs: C1 only and the serial GC roughly halve their start-up.
readonly TOOL_JVM_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

format_storage() {
  local cluster_id
  cluster_id="$("$java_bin" "${TOOL_JVM_OPTS[@]}" -cp "${lib_dir}/*" kafka.tools.StorageTool random-uuid 2>>"${data_dir}/format.log" | tr -d '[:space:]')"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] ||
    die 1 "StorageTool random-uuid printed '${cluster_id}'; see ${data_dir}/format.log"
  local -a scram=()
  if [[ "$security" != plaintext ]]; then
    local broker_password mechanism
    broker_password="$(cat "${data_dir}/broker.password")"
    for mechanism in SCRAM-SHA-512 SCRAM-SHA-256; do
      scram+=(--add-scram "${mechanism}=[name=${BROKER_USER},password=${broker_password}]")
      scram+=(--add-scram "${mechanism}=[name=${sasl_username},password=${sasl_password}]")
    done
  fi
  if ! "$java_bin" "${TOOL_JVM_OPTS[@]}" -cp "${lib_dir}/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "${data_dir}/server.properties" --standalone ${scram[@]+"${scram[@]}"} >>"${data_dir}/format.log" 2>&1; then
    tail -n 20 "${data_dir}/format.log" >&2 || true
    die 1 "formatting KRaft storage in ${data_dir}/kraft-logs failed; see ${data_dir}/format.log"
  fi
}

# Stops the broker when KAFKA_STOP_WITH_PID (e.g. the test runner) exits first,
# so an interrupted run does not leave a JVM behind.
start_watchdog() {
  local owner="$1" pid="$2"
  # shellcheck disable=SC2016 # the inner script expands its own positional parameters
  KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$controller_port" KAFKA_DATA_DIR="$data_dir" \
    KAFKA_PID_FILE="$pid_file" KAFKA_HOME="$kafka_home" KAFKA_STOP_TIMEOUT="$stop_timeout" \
    nohup bash -c '
      owner="$1" pid="$2" script="$3" pid_file="$4"
      while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null && [ -f "$pid_file" ]; do sleep 1; done
      if kill -0 "$pid" 2>/dev/null && [ "$(cat "$pid_file" 2>/dev/null)" = "$pid" ]; then
        exec bash "$script" stop
      fi' kafka-local-watchdog "$owner" "$pid" "${script_dir}/kafka-local.sh" "$pid_file" \
    </dev/null >>"${data_dir}/watchdog.log" 2>&1 &
}

# --- security -------------------------------------------------------------------

random_secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

digest() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# What SCRAM users the storage was formatted with (a digest: the file holds no password).
credentials_fingerprint() { printf '%s\n%s\n' "$sasl_username" "$sasl_password" | digest; }

# Before formatting: a fresh password for the brokers' own user. On an existing data dir:
# the SCRAM users live in its metadata, so refuse credentials it was not formatted with.
prepare_sasl() {
  local formatted="$1"
  if [[ "$formatted" == false ]]; then
    (umask 077 && random_secret >"${data_dir}/broker.password" && credentials_fingerprint >"${data_dir}/credentials.sha256")
    return 0
  fi
  if [[ ! -s "${data_dir}/broker.password" ]] || [[ "$(cat "${data_dir}/credentials.sha256" 2>/dev/null)" != "$(credentials_fingerprint)" ]]; then
    die 2 "${data_dir} was formatted without SASL or with another KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD; SCRAM users are written at format time: use 'start --fresh'"
  fi
}

# A CA of its own, a broker certificate for 127.0.0.1/localhost and a client certificate,
# made once per data dir.
generate_tls() {
  if [[ -s "${tls_dir}/broker.p12" && -s "${tls_dir}/ca.pem" && -s "${tls_dir}/client.key" ]]; then return 0; fi
  local tls_log="${data_dir}/tls.log"
  rm -rf "$tls_dir"
  mkdir -p "$tls_dir"
  if ! (
    set -e
    umask 077
    cd "$tls_dir"
    random_secret >keystore.password
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -keyout ca.key -out ca.pem \
      -subj '/CN=AgentOS kafka-local test CA' \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >broker.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    local who subject
    for who in broker client; do
      if [[ "$who" == broker ]]; then subject='/CN=localhost'; else subject="/CN=${sasl_username}"; fi
      openssl req -new -newkey rsa:2048 -nodes -keyout "${who}.key" -out "${who}.csr" -subj "$subject"
      openssl x509 -req -sha256 -days 825 -in "${who}.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
        -extfile "${who}.ext" -out "${who}.pem"
    done
    openssl pkcs12 -export -name broker -in broker.pem -inkey broker.key -certfile ca.pem \
      -passout "file:keystore.password" -out broker.p12
    rm -f ./*.csr ./*.ext ca.srl broker.key
    # Certificates are public; the keys stay readable by this user only.
    chmod 644 ca.pem client.pem
  ) >>"$tls_log" 2>&1; then
    tail -n 20 "$tls_log" >&2 || true
    die 1 "generating the test certificates with openssl failed; see ${tls_log}"
  fi
}

# What a client needs (never the password): the environment variables AgentOS reads.
print_brokers() {
  case "$security" in
    plaintext) printf 'KAFKA_BROKERS=127.0.0.1:%s\n' "$port" ;;
    sasl)
      printf 'KAFKA_BROKERS=127.0.0.1:%s\nKAFKA_SASL_MECHANISM=%s\nKAFKA_SASL_USERNAME=%s\n' \
        "$port" "$sasl_mechanism" "$sasl_username"
      ;;
    sasl-ssl)
      printf 'KAFKA_BROKERS=127.0.0.1:%s\nKAFKA_SASL_MECHANISM=%s\nKAFKA_SASL_USERNAME=%s\nKAFKA_SSL=true\nKAFKA_SSL_CA_FILE=%s\n' \
        "$ssl_port" "$sasl_mechanism" "$sasl_username" "${tls_dir}/ca.pem"
      if [[ "$ssl_client_auth" != none ]]; then
        printf 'KAFKA_SSL_CERT_FILE=%s\nKAFKA_SSL_KEY_FILE=%s\n' "${tls_dir}/client.pem" "${tls_dir}/client.key"
      fi
      ;;
  esac
}

cmd_start() {
  local fresh=false arg pid
  for arg in "$@"; do
    case "$arg" in
      --fresh) fresh=true ;;
      *) die 2 "unknown option for start: ${arg}" ;;
    esac
  done
  check_security_settings
  if pid="$(running_pid)"; then
    log "Kafka already running (pid ${pid}) on 127.0.0.1:${port}"
    print_brokers
    return 0
  fi
  rm -f "$pid_file"
  find_java
  cmd_install --quiet
  if port_open "$port"; then
    die 4 "127.0.0.1:${port} is already in use by another process (not a broker from ${pid_file}); pick another KAFKA_PORT"
  fi
  if port_open "$controller_port"; then
    die 4 "127.0.0.1:${controller_port} (controller) is already in use; set KAFKA_CONTROLLER_PORT or another KAFKA_PORT"
  fi
  if [[ "$security" == sasl-ssl ]] && port_open "$ssl_port"; then
    die 4 "127.0.0.1:${ssl_port} (SASL_SSL) is already in use; set KAFKA_SSL_PORT or another KAFKA_PORT"
  fi

  if [[ "$fresh" == true ]]; then rm -rf "$data_dir"; fi
  mkdir -p "$data_dir" "$(dirname "$pid_file")"
  local formatted=false
  if [[ -f "${data_dir}/kraft-logs/meta.properties" ]]; then formatted=true; fi
  if [[ "$security" != plaintext ]]; then prepare_sasl "$formatted"; fi
  if [[ "$security" == sasl-ssl ]]; then generate_tls; fi
  write_configs
  if [[ "$formatted" == false ]]; then
    format_storage
  fi

  local -a heap=() jvm_extra=()
  read -r -a heap <<<"$heap_opts"
  if [[ -n "${KAFKA_OPTS:-}" ]]; then read -r -a jvm_extra <<<"$KAFKA_OPTS"; fi
  : >"${data_dir}/server.log" # the start check greps it, so no stale "started" line
  local started=$SECONDS
  # nohup + closed stdio: the broker outlives this script and never holds its caller's pipes.
  nohup "$java_bin" ${heap[@]+"${heap[@]}"} ${jvm_extra[@]+"${jvm_extra[@]}"} \
    -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=${data_dir}/log4j2.properties" \
    "-Dkafka.logs.dir=${data_dir}" \
    -cp "${lib_dir}/*" kafka.Kafka "${data_dir}/server.properties" \
    </dev/null >"${data_dir}/kafka.out" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$pid_file"
  if [[ -n "${KAFKA_STOP_WITH_PID:-}" ]]; then start_watchdog "$KAFKA_STOP_WITH_PID" "$pid"; fi

  local deadline=$((SECONDS + start_timeout))
  until port_open "$port" && grep -q "$STARTED_MESSAGE" "${data_dir}/server.log" 2>/dev/null; do
    if ! is_alive "$pid"; then
      rm -f "$pid_file"
      show_logs
      die 5 "the broker exited during startup (logs in ${data_dir})"
    fi
    if ((SECONDS >= deadline)); then
      show_logs
      terminate "$pid" 10
      rm -f "$pid_file"
      die 5 "the broker did not start within ${start_timeout}s (KAFKA_START_TIMEOUT); logs in ${data_dir}"
    fi
    sleep 0.2
  done
  log "Kafka ${KAFKA_VERSION} started in $((SECONDS - started))s (pid ${pid}, data ${data_dir})"
  print_brokers
}

# --- stop / status --------------------------------------------------------------

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    log "no broker running for 127.0.0.1:${port} (pid file ${pid_file})"
    return 0
  fi
  terminate "$pid" "$stop_timeout"
  if is_alive "$pid"; then die 1 "broker pid ${pid} survived SIGKILL"; fi
  rm -f "$pid_file"
  log "stopped broker pid ${pid} (127.0.0.1:${port})"
}

cmd_status() {
  local pid
  check_security_settings
  if pid="$(running_pid)"; then
    log "running: pid ${pid}, 127.0.0.1:${port}, data ${data_dir}"
    print_brokers
    return 0
  fi
  log "not running (127.0.0.1:${port})"
  return 1
}

usage() {
  # The header comment, up to the line pointing at the README.
  sed -n '2,/^# See tools/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

main() {
  local cmd="${1:-}"
  if [[ $# -gt 0 ]]; then shift; fi
  check_settings
  case "$cmd" in
    install) [[ $# -eq 0 ]] || die 2 "install takes no arguments"; cmd_install ;;
    start) cmd_start "$@" ;;
    stop) [[ $# -eq 0 ]] || die 2 "stop takes no arguments"; cmd_stop ;;
    status) [[ $# -eq 0 ]] || die 2 "status takes no arguments"; cmd_status ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
