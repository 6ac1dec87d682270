#!/usr/bin/env bash
# npm run bench -- <name> [options]: one benchmark against the local native stack, set up by itself.
# Starts the stack when it is not running (and stops it afterwards), raises the limits that would
# refuse the benchmark's traffic, runs scripts/bench/<name>.ts with tsx, and restores the limits
# whatever happens. Figures are printed with their ratio to the bare-endpoint floor of the same run.
#   npm run bench -- robot-login --concurrency 8
#   npm run bench -- --list
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
PLATFORM_SH="$PLATFORM_ROOT/scripts/platform.sh"
# shellcheck source=scripts/stack/lib.sh
source "$PLATFORM_ROOT/scripts/stack/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$PLATFORM_ROOT/scripts/stack/config.sh"
# shellcheck source=scripts/stack/deps.sh
source "$PLATFORM_ROOT/scripts/stack/deps.sh"

benchmarks() {
  find "$HERE" -maxdepth 1 -name '*.ts' -printf '%f\n' | sed 's/\.ts$//' | sort
}

# --- what each benchmark needs raised (and what restoring means) --------------------------------

# The device-login limits: nginx's limit_req on /base_api/v1/auth/ and base's per-device and
# per-address windows (docs/device-auth.md). Restoring re-renders nginx with the defaults and
# restarts base without the overrides.
raise_device_login_limits() {
  log "raising the device-login rate limits (nginx auth zone, base)"
  AUTH_RATE_LIMIT=100000r/s AUTH_RATE_BURST=100000 PLATFORM_SKIP_BUILD=1 bash "$PLATFORM_SH" start >/dev/null
  restart_service base "DEVICE_LOGIN_RATE_LIMIT_PER_MINUTE=1000000 DEVICE_LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE=1000000"
}

restore_device_login_limits() {
  log "restoring the device-login rate limits"
  PLATFORM_SKIP_BUILD=1 bash "$PLATFORM_SH" start >/dev/null
  restart_service base ""
}

restart_service() { # restart_service SVC "A=1 B=2"
  local key
  key="SERVICE_$(printf '%s' "${1^^}" | tr '-' '_')_ENV"
  bash "$PLATFORM_SH" stop-service "$1" >/dev/null
  env "$key=$2" bash "$PLATFORM_SH" start-service "$1" >/dev/null
}

# The tracker benchmark needs nginx running with the committed template (worker_connections for
# 1,000 stream connections): re-render it and reload nginx gracefully when it changed.
reload_nginx_config() {
  # shellcheck source=scripts/stack/services.sh
  source "$PLATFORM_ROOT/scripts/stack/services.sh"
  # shellcheck source=scripts/stack/nginx.sh
  source "$PLATFORM_ROOT/scripts/stack/nginx.sh"
  load_secrets
  nginx_start
}

setup_for() {
  case "$1" in
    robot-login) raise_device_login_limits ;;
    ingest) reload_nginx_config ;;
    *) ;;
  esac
}

restore_for() {
  case "$1" in
    robot-login) restore_device_login_limits ;;
    *) ;;
  esac
}

# ------------------------------------------------------------------------------------------------

BENCH_NAME=''
STARTED_STACK=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  [[ -n "$BENCH_NAME" ]] || return 0
  restore_for "$BENCH_NAME" || warn "could not restore the limits of $BENCH_NAME; restart the stack"
  if ((STARTED_STACK)); then bash "$PLATFORM_SH" stop >/dev/null || true; fi
}

main() {
  local name="${1:-}"
  if [[ -z "$name" || "$name" == --list || "$name" == -h || "$name" == --help ]]; then
    printf 'usage: npm run bench -- <name> [options]   (<name> --help for its options)\nbenchmarks:\n'
    benchmarks | sed 's/^/  /'
    [[ -n "$name" ]]
    return
  fi
  shift
  [[ -f "$HERE/$name.ts" ]] || die "no benchmark '$name' (npm run bench -- --list)"
  ensure_node
  local rc=0
  BENCH_NAME=$name
  # Stopped afterwards only when nothing of it ran before: a stack that was partly up (a service
  # someone stopped) is topped up and left running, since others may be using it.
  local status
  if ! status=$(bash "$PLATFORM_SH" status 2>/dev/null); then
    if awk 'NR > 1 && $2 == "running" { found = 1 } END { exit !found }' <<<"$status"; then
      log "the stack is partly running: starting what is missing (it stays up afterwards)"
    else
      log "the stack is not running: starting it for the benchmark (stopped afterwards)"
      STARTED_STACK=1
    fi
    bash "$PLATFORM_SH" start
  fi
  trap cleanup EXIT
  setup_for "$name"
  eval "$(bash "$PLATFORM_SH" env)"
  cd "$PLATFORM_ROOT"
  npx tsx --tsconfig tsconfig.base.json "$HERE/$name.ts" "$@" || rc=$?
  return "$rc"
}

main "$@"
