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

write_configs() {
  cat >"${data_dir}/server.properties" <<EOF
# Generated by tools/kafka/kafka-local.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${controller_port}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
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
  if ! "$java_bin" "${TOOL_JVM_OPTS[@]}" -cp "${lib_dir}/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "${data_dir}/server.properties" --standalone >>"${data_dir}/format.log" 2>&1; then
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

print_brokers() { printf 'KAFKA_BROKERS=127.0.0.1:%s\n' "$port"; }

cmd_start() {
  local fresh=false arg pid
  for arg in "$@"; do
    case "$arg" in
      --fresh) fresh=true ;;
      *) die 2 "unknown option for start: ${arg}" ;;
    esac
  done
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

  if [[ "$fresh" == true ]]; then rm -rf "$data_dir"; fi
  mkdir -p "$data_dir" "$(dirname "$pid_file")"
  write_configs
  if [[ ! -f "${data_dir}/kraft-logs/meta.properties" ]]; then
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
  if pid="$(running_pid)"; then
    log "running: pid ${pid}, 127.0.0.1:${port}, data ${data_dir}"
    print_brokers
    return 0
  fi
  log "not running (127.0.0.1:${port})"
  return 1
}

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
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
