#!/usr/bin/env bash
# Starts a throwaway ClickHouse server for weft's tests and benchmarks, and prints its HTTP URL.
#
#   export WEFT_CLICKHOUSE_URL="$(bash scripts/ci-clickhouse.sh)"
#
# - Installs Debian's clickhouse-server with apt-get when it is missing.
# - Reuses a server that already answers /ping on the HTTP port (so it can be called more than once).
# - Otherwise writes a minimal config.xml / users.xml into a fresh temp dir (data lives there too),
#   starts clickhouse-server in the background on 127.0.0.1 only (HTTP on $WEFT_CLICKHOUSE_HTTP_PORT,
#   default 8123; native TCP on a free port), and waits (with a deadline) until /ping answers.
# Only the URL goes to stdout; progress and errors go to stderr. The server's pid is in $DIR/server.pid;
# stop it with `kill "$(cat $DIR/server.pid)"` (the dir is printed on stderr).
set -euo pipefail

HTTP_PORT="${WEFT_CLICKHOUSE_HTTP_PORT:-8123}"
URL="http://127.0.0.1:${HTTP_PORT}"
DEADLINE_S="${WEFT_CLICKHOUSE_START_TIMEOUT_S:-60}"

log() { echo "ci-clickhouse: $*" >&2; }

if curl -fsS --max-time 2 "${URL}/ping" >/dev/null 2>&1; then
  log "reusing the ClickHouse server already answering on ${URL}"
  echo "${URL}"
  exit 0
fi

find_server() {
  command -v clickhouse-server 2>/dev/null || { [ -x /usr/sbin/clickhouse-server ] && echo /usr/sbin/clickhouse-server; } || true
}
SERVER_BIN="$(find_server)"
if [ -z "${SERVER_BIN}" ]; then
  log "installing clickhouse-server with apt-get"
  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server) >&2
  SERVER_BIN="$(find_server)"
fi
if [ -z "${SERVER_BIN}" ]; then
  log "clickhouse-server is not installed and could not be installed"
  exit 1
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/weft-clickhouse.XXXXXX")"
mkdir -p "${DIR}/data" "${DIR}/tmp" "${DIR}/user_files" "${DIR}/format_schemas" "${DIR}/log"
# A free TCP port for the native protocol (the OS picks it; nothing else of weft uses it).
TCP_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

cat >"${DIR}/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${DIR}/log/clickhouse-server.log</log>
    <errorlog>${DIR}/log/clickhouse-server.err.log</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${HTTP_PORT}</http_port>
  <tcp_port>${TCP_PORT}</tcp_port>
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${DIR}/data/</path>
  <tmp_path>${DIR}/tmp/</tmp_path>
  <user_files_path>${DIR}/user_files/</user_files_path>
  <format_schema_path>${DIR}/format_schemas/</format_schema_path>
  <users_config>${DIR}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
EOF

cat >"${DIR}/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
EOF

log "starting ${SERVER_BIN} (dir ${DIR}, http ${HTTP_PORT}, tcp ${TCP_PORT})"
# setsid + nohup: the server outlives this script and the shell that called it.
setsid nohup "${SERVER_BIN}" --config-file="${DIR}/config.xml" >"${DIR}/log/stdout.log" 2>&1 </dev/null &
echo $! >"${DIR}/server.pid"

deadline=$(($(date +%s) + DEADLINE_S))
until curl -fsS --max-time 2 "${URL}/ping" >/dev/null 2>&1; do
  if ! kill -0 "$(cat "${DIR}/server.pid")" 2>/dev/null; then
    log "clickhouse-server exited during start-up; its logs:"
    tail -n 40 "${DIR}/log/stdout.log" "${DIR}/log/clickhouse-server.err.log" >&2 2>/dev/null || true
    exit 1
  fi
  if [ "$(date +%s)" -ge "${deadline}" ]; then
    log "clickhouse-server did not answer ${URL}/ping within ${DEADLINE_S} s; its logs:"
    tail -n 40 "${DIR}/log/stdout.log" "${DIR}/log/clickhouse-server.err.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
log "ready on ${URL} (pid $(cat "${DIR}/server.pid"), dir ${DIR})"
echo "${URL}"
