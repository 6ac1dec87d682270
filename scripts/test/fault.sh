#!/usr/bin/env bash
# Faults of the native stack's Postgres, Redis and ChromaDB, for the end-to-end fault tests
# (withFault in libs/testing/src/faults.ts):
#
#   bash scripts/test/fault.sh pause  postgres|redis|chroma SECONDS   SIGSTOP the server's
#                                                     processes; a watchdog sends SIGCONT after
#                                                     SECONDS even if the test dies
#   bash scripts/test/fault.sh resume postgres|redis|chroma           SIGCONT now
#   bash scripts/test/fault.sh stop   postgres|redis|chroma           stop the server (pg_ctl -m
#                                                     fast, redis: SIGTERM with the RDB saved,
#                                                     chroma: SIGTERM)
#   bash scripts/test/fault.sh start  postgres|redis|chroma           start it again with the
#                                                     stack's own helpers, wait until ready
#
# Other tests share the stack: keep the windows short and always resume/start in a finally.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
STACK="$PLATFORM_ROOT/scripts/stack"
# shellcheck source=scripts/stack/lib.sh
source "$STACK/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$STACK/config.sh"
# shellcheck source=scripts/stack/services.sh
source "$STACK/services.sh"
# shellcheck source=scripts/stack/deps.sh
source "$STACK/deps.sh"
# shellcheck source=scripts/stack/postgres.sh
source "$STACK/postgres.sh"
# shellcheck source=scripts/stack/redis.sh
source "$STACK/redis.sh"
# shellcheck source=scripts/stack/chroma.sh
source "$STACK/chroma.sh"

# Postgres was started for `platform.sh test` with durability off: start it the same way again.
PG_MODE_FILE="$RUN_DIR/fault-postgres-mode"

# server_pids DEPENDENCY: the server process and, for Postgres, every backend and worker
server_pids() {
  local pid
  case "$1" in
    postgres)
      pid=$(read_pid "$PG_DATA/postmaster.pid")
      printf '%s\n' "$pid"
      pgrep -P "$pid" || true
      ;;
    redis) read_pid "$REDIS_PID" ;;
    chroma)
      pid=$(read_pid "$CHROMA_PID")
      printf '%s\n' "$pid"
      pgrep -P "$pid" || true
      ;;
  esac
}

signal_server() { # signal_server SIGNAL DEPENDENCY
  local -a pids
  mapfile -t pids < <(server_pids "$2")
  ((${#pids[@]})) || die "$2 is not running"
  # The parent first: once it is stopped it forks no more, so its children listed after that are
  # all of them (a backend forked between a listing and the signal would keep serving a "stuck"
  # Postgres: a store fault test once got its purchase through that way).
  kill "-$1" "${pids[0]}"
  mapfile -t pids < <(server_pids "$2")
  ((${#pids[@]} > 1)) && { kill "-$1" "${pids[@]:1}" 2>/dev/null || true; }
  return 0
}

# The watchdog of a pause, until its resume: a stale one would resume the NEXT pause of the same
# server mid-test (a store fault test once got its purchase through a "stuck" Postgres that way).
watchdog_file() { printf '%s/fault-%s-watchdog.pid' "$RUN_DIR" "$1"; }

cancel_watchdog() { # cancel_watchdog DEPENDENCY
  local file pid
  file=$(watchdog_file "$1")
  pid=$(cat "$file" 2>/dev/null || true)
  rm -f "$file"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # only our own subshell (the pid may have been reused since)
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'fault\.sh pause'; then
    kill "$pid" 2>/dev/null || true
  fi
}

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local action="${1:-}" dependency="${2:-}"
  [[ "$dependency" =~ ^(postgres|redis|chroma)$ ]] || usage
  case "$action" in
    pause)
      local seconds="${3:-}"
      [[ "$seconds" =~ ^[0-9]+$ ]] || usage
      cancel_watchdog "$dependency"
      signal_server STOP "$dependency"
      # the watchdog outlives this script and the test: a paused server never stays paused
      (
        sleep "$seconds"
        signal_server CONT "$dependency" 2>/dev/null || true
      ) </dev/null >/dev/null 2>&1 &
      echo "$!" >"$(watchdog_file "$dependency")"
      disown
      ;;
    resume)
      cancel_watchdog "$dependency"
      signal_server CONT "$dependency"
      ;;
    stop)
      load_secrets
      if [[ "$dependency" == postgres ]]; then
        if grep -q 'fsync=off' "$PG_DATA/postmaster.opts" 2>/dev/null; then
          echo test >"$PG_MODE_FILE"
        else
          : >"$PG_MODE_FILE"
        fi
        postgres_stop
      elif [[ "$dependency" == chroma ]]; then
        chroma_stop
      else
        redis_stop
      fi
      ;;
    start)
      ensure_state_dirs
      load_secrets
      if [[ "$dependency" == postgres ]]; then
        postgres_start "$(cat "$PG_MODE_FILE" 2>/dev/null || true)"
      elif [[ "$dependency" == chroma ]]; then
        chroma_start
        chroma_wait
      else
        redis_start
      fi
      ;;
    *) usage ;;
  esac
}

main "$@"
