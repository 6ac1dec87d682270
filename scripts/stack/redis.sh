# shellcheck shell=bash
# Redis of the native stack: Debian's redis-server with our own config in .stack/redis
# (127.0.0.1:$REDIS_PORT, requirepass, RDB snapshots in .stack/redis, no AOF).
# Sourced by scripts/platform.sh.

REDIS_DIR="$STACK_DIR/redis"
REDIS_PID="$RUN_DIR/redis.pid"
REDIS_LOG="$LOG_DIR/redis.log"

redis_running() { running "$REDIS_PID"; }

redis_ping() {
  [[ "$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  chmod 0700 "$REDIS_DIR"
  if redis_running; then
    log "redis already running (pid $(read_pid "$REDIS_PID")) on 127.0.0.1:$REDIS_PORT"
    redis_ping || die "redis is running but does not accept REDIS_PASSWORD (changed since it started?). Run: bash scripts/platform.sh stop && bash scripts/platform.sh start"
    return 0
  fi
  ensure_port_free redis "$REDIS_PORT"
  local conf="$REDIS_DIR/redis.conf"
  (
    umask 077
    cat >"$conf" <<EOF
# Written by scripts/stack/redis.sh on every start; edits are overwritten.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
requirepass $REDIS_PASSWORD
daemonize no
dir $REDIS_DIR
dbfilename dump.rdb
save 3600 1 300 100 60 10000
appendonly no
loglevel notice
logfile ""
databases 16
EOF
  )
  log "starting redis on 127.0.0.1:$REDIS_PORT (log $REDIS_LOG)"
  launch "$REDIS_LOG" "$REDIS_PID" redis-server "$conf"
  wait_for "redis" "$REDIS_READY_TIMEOUT" "$REDIS_LOG" "$REDIS_PID" redis_ping || die "redis is not ready"
}

redis_stop() {
  stop_pidfile redis "$REDIS_PID" 20
}
