#!/usr/bin/env bash
# A local ClickHouse server for development and tests: Debian's clickhouse-server, installed when
# missing, listening on 127.0.0.1 only, with its data under the project's .local/ folder.
#
#   compose/clickhouse/clickhouse.sh start|stop|status
#
# POE_CLICKHOUSE_HTTP_PORT (8123), POE_CLICKHOUSE_TCP_PORT (9000) and POE_CLICKHOUSE_DIR
# (.local/clickhouse) choose where. `start` refuses a port another process holds; `stop` stops only the
# server this script started (by its pid file).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
http_port="${POE_CLICKHOUSE_HTTP_PORT:-8123}"
tcp_port="${POE_CLICKHOUSE_TCP_PORT:-9000}"
dir="${POE_CLICKHOUSE_DIR:-$root/.local/clickhouse}"
pid_file="$dir/clickhouse.pid"

say() { printf 'clickhouse: %s\n' "$*"; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

answers() { [ "$(clickhouse-client --host 127.0.0.1 --port "$tcp_port" --query 'SELECT 1' 2>/dev/null)" = "1" ]; }

install() {
  command -v clickhouse-server >/dev/null && return
  if [ "$(id -u)" != 0 ]; then
    say "clickhouse-server is not installed and installing it needs root: apt-get install clickhouse-server clickhouse-client"
    exit 1
  fi
  say "installing Debian's clickhouse-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client >/dev/null
}

write_config() {
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
  cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
XML
  cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

start() {
  if running; then
    say "already running (pid $(cat "$pid_file")) on 127.0.0.1:$http_port"
    return
  fi
  for port in "$http_port" "$tcp_port"; do
    if port_taken "$port"; then
      say "127.0.0.1:$port is already in use by another process; stop it or set POE_CLICKHOUSE_HTTP_PORT / POE_CLICKHOUSE_TCP_PORT"
      exit 1
    fi
  done
  install
  write_config
  clickhouse-server --config-file="$dir/config.xml" --pid-file="$pid_file" --daemon
  for _ in $(seq 1 150); do
    if answers; then
      say "running (pid $(cat "$pid_file")) on http://127.0.0.1:$http_port, data in $dir"
      return
    fi
    sleep 0.2
  done
  say "did not answer within 30 s; see $dir/log/error.log"
  exit 1
}

stop() {
  if ! running; then
    say "not running"
    rm -f "$pid_file"
    return
  fi
  local pid
  pid="$(cat "$pid_file")"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { say "stopped"; rm -f "$pid_file"; return; }
    sleep 0.1
  done
  say "pid $pid did not stop within 10 s"
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then say "running (pid $(cat "$pid_file"))"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
