#!/usr/bin/env bash
# The robot platform without Docker: Postgres, Redis, ChromaDB, Keycloak, the five services and
# the nginx gateway as plain processes on 127.0.0.1, state in .stack/ (see
# docs/runbooks/native-stack.md).
#
#   bash scripts/platform.sh start              bring everything up (idempotent), print the URLs
#   bash scripts/platform.sh stop               stop what start started (safe when nothing runs)
#   bash scripts/platform.sh restart            stop, then start
#   bash scripts/platform.sh status             what runs, what is ready
#   bash scripts/platform.sh test               bring up (services restarted from a fresh build),
#                                               run unit, integration, then e2e tests; stop
#                                               afterwards if the stack was not running before
#   bash scripts/platform.sh stop-service SVC   stop one service (e2e tests of failure handling)
#   bash scripts/platform.sh start-service SVC  start one service again and wait until ready
#   bash scripts/platform.sh env                print `export` lines for the running stack
#
# Environment: PLATFORM_SKIP_SERVICES=1 (infrastructure and gateway only), PLATFORM_SKIP_BUILD=1
# (use the existing dist/), ports and versions in scripts/stack/config.sh, secrets in
# .stack/secrets.env (a value in the environment wins).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$HERE/stack/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$HERE/stack/config.sh"
# shellcheck source=scripts/stack/services.sh
source "$HERE/stack/services.sh"
# shellcheck source=scripts/stack/deps.sh
source "$HERE/stack/deps.sh"
# shellcheck source=scripts/stack/postgres.sh
source "$HERE/stack/postgres.sh"
# shellcheck source=scripts/stack/redis.sh
source "$HERE/stack/redis.sh"
# shellcheck source=scripts/stack/chroma.sh
source "$HERE/stack/chroma.sh"
# shellcheck source=scripts/stack/keycloak.sh
source "$HERE/stack/keycloak.sh"
# shellcheck source=scripts/stack/nginx.sh
source "$HERE/stack/nginx.sh"
# shellcheck source=scripts/stack/app.sh
source "$HERE/stack/app.sh"

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

skip_services() { [[ "${PLATFORM_SKIP_SERVICES:-0}" == 1 ]]; }

# One start/stop at a time per state directory.
take_lock() {
  ensure_state_dirs
  exec 8>"$RUN_DIR/platform.lock"
  flock -w 600 8 || die "another scripts/platform.sh is running on $STACK_DIR (lock $RUN_DIR/platform.lock)"
}

any_running() {
  local f
  postgres_running && return 0
  for f in "$RUN_DIR"/*.pid; do
    [[ -e "$f" ]] || continue
    running "$f" && return 0
  done
  return 1
}

# bring_up [test] [restart-services]
bring_up() {
  local pg_mode="" svc_mode=""
  [[ " $* " == *" test "* ]] && pg_mode="test"
  [[ " $* " == *" restart-services "* ]] && svc_mode=restart

  phase_begin "prerequisites (apt packages, node $NODE_VERSION)"
  ensure_system_packages
  ensure_node
  load_secrets
  log "node $(node --version) ($(command -v node)), npm $(npm --version)"

  phase_begin "downloads (keycloak $KEYCLOAK_VERSION, chroma cli $CHROMA_NPM_VERSION)"
  ensure_chroma_cli
  ensure_keycloak_dist

  phase_begin "postgres, redis, chroma"
  chroma_start
  redis_start
  postgres_start "$pg_mode"
  chroma_wait

  phase_begin "keycloak launch"
  keycloak_start

  if ! skip_services; then
    phase_begin "npm ci (if needed)"
    ensure_npm_ci
    if [[ "${PLATFORM_SKIP_BUILD:-0}" != 1 ]]; then
      phase_begin "build services (nx)"
      build_services
    fi
    check_dist
  fi

  phase_begin "nginx"
  nginx_start

  # migrations and service processes start while Keycloak is still booting
  if ! skip_services; then
    phase_begin "services: migrate + start"
    services_start "$svc_mode"
  fi

  phase_begin "keycloak ready"
  keycloak_wait

  if ! skip_services; then
    phase_begin "services ready"
    services_wait
  fi
  phase_end
}

print_urls() {
  local g="http://127.0.0.1:$GATEWAY_PORT" svc p
  printf '\n%sRobot platform (native stack)%s\n' "$_c_bold" "$_c_off"
  printf '  gateway              %s   (public URL %s)\n' "$g" "$PUBLIC_URL"
  if skip_services; then
    printf '  services             not started (PLATFORM_SKIP_SERVICES=1)\n'
  else
    for svc in "${PLATFORM_SERVICES[@]}"; do
      p=$(svc_prefix "$svc")
      printf '  %-20s %s%s/health  %s%s/health/ready  %s%s/docs\n' "$svc" "$g" "$p" "$g" "$p" "$g" "$p"
    done
  fi
  printf '  keycloak account     %s/keycloak/realms/%s/account\n' "$PUBLIC_URL" "$KEYCLOAK_REALM"
  printf '  keycloak admin       %s/keycloak/admin/   (user %s, password KEYCLOAK_ADMIN_PASSWORD in %s)\n' \
    "$PUBLIC_URL" "$KEYCLOAK_ADMIN_USERNAME" "$SECRETS_FILE"
  printf '  token issuer         %s\n' "$KEYCLOAK_ISSUER"
  printf '  dev users            dev-admin dev-operator dev-passenger dev-courier dev-courier2 dev-client dev-recipient dev-driver (password KC_DEV_USER_PASSWORD), client platform-dev\n'
  printf '  tracker TCP          %s:%s -> 127.0.0.1:%s\n' "$TRACKER_BIND" "$TRACKER_PORT" "$TELEMATICS_TRACKER_PORT"
  printf '  static               %s/static/robots.txt\n' "$g"
  printf '  postgres             127.0.0.1:%s db platform (superuser postgres)   redis 127.0.0.1:%s   chroma http://127.0.0.1:%s\n' \
    "$POSTGRES_PORT" "$REDIS_PORT" "$CHROMA_PORT"
  printf '  logs %s   secrets %s\n' "$LOG_DIR" "$SECRETS_FILE"
}

cmd_start() {
  take_lock
  # shellcheck disable=SC2154 # rc is assigned inside the trap
  trap 'rc=$?; if ((rc)); then print_timings >&2; printf "[platform] start failed; what already started keeps running (status: bash scripts/platform.sh status, stop: bash scripts/platform.sh stop)\n" >&2; fi' EXIT
  bring_up "$@"
  print_urls
  print_timings
  trap - EXIT
}

cmd_stop() {
  take_lock
  phase_begin "stop nginx"
  nginx_stop
  phase_begin "stop services"
  services_stop
  phase_begin "stop keycloak, chroma, redis"
  keycloak_stop &
  local kc=$!
  chroma_stop
  redis_stop
  wait "$kc" || true
  phase_begin "stop postgres"
  postgres_stop
  phase_end
  rotate_logs "$LOG_DIR"
  ok "stopped"
  print_timings
}

comp_pidfile() {
  case "$1" in
    postgres) echo "$PG_DATA/postmaster.pid" ;;
    redis) echo "$REDIS_PID" ;;
    chroma) echo "$CHROMA_PID" ;;
    keycloak) echo "$KC_PID" ;;
    nginx) echo "$NGINX_PID" ;;
    *) svc_pidfile "$1" ;;
  esac
}

comp_ready() {
  case "$1" in
    postgres) postgres_ready ;;
    redis) redis_ping ;;
    chroma) chroma_ready ;;
    keycloak) keycloak_ready ;;
    nginx) nginx_ready ;;
    *) svc_ready "$1" ;;
  esac
}

cmd_status() {
  ensure_state_dirs
  load_secrets >/dev/null
  local c pid state ready rc=0
  printf '%-20s %-18s %s\n' COMPONENT STATE READY
  for c in postgres redis chroma keycloak "${PLATFORM_SERVICES[@]}" nginx; do
    if pid=$(read_pid "$(comp_pidfile "$c")") && pid_is_ours "$pid" "$(comp_pidfile "$c")"; then
      state="running ($pid)"
      if comp_ready "$c"; then ready=yes; else ready=no rc=1; fi
    else
      state=stopped ready=- rc=1
    fi
    printf '%-20s %-18s %s\n' "$c" "$state" "$ready"
  done
  return "$rc"
}

cmd_env() {
  ensure_state_dirs
  load_secrets >/dev/null
  local n
  printf 'export GATEWAY_URL=%q\n' "http://127.0.0.1:$GATEWAY_PORT"
  printf 'export PUBLIC_URL=%q\n' "$PUBLIC_URL"
  printf 'export KEYCLOAK_ISSUER=%q\n' "$KEYCLOAK_ISSUER"
  printf 'export KEYCLOAK_URL=%q\n' "http://127.0.0.1:$KEYCLOAK_PORT/keycloak"
  printf 'export KEYCLOAK_JWKS_URL=%q\n' "http://127.0.0.1:$KEYCLOAK_PORT/keycloak/realms/$KEYCLOAK_REALM/protocol/openid-connect/certs"
  printf 'export KEYCLOAK_AUDIENCE=platform-api\n'
  printf 'export KC_DEV_CLIENT_ID=platform-dev\n'
  printf 'export REDIS_HOST=127.0.0.1 REDIS_PORT=%q REDIS_PASSWORD=%q\n' "$REDIS_PORT" "$REDIS_PASSWORD"
  printf 'export DATABASE_HOST=127.0.0.1 DATABASE_PORT=%q DATABASE_NAME=platform\n' "$POSTGRES_PORT"
  printf 'export DATABASE_SUPERUSER=postgres DATABASE_SUPERUSER_PASSWORD=%q\n' "$POSTGRES_SUPERUSER_PASSWORD"
  printf 'export CHROMA_URL=%q\n' "http://127.0.0.1:$CHROMA_PORT"
  printf 'export TRACKER_HOST=127.0.0.1 TRACKER_PORT=%q\n' "$TRACKER_PORT"
  # the ingest's own tracker port, behind nginx (it expects nginx's PROXY line first)
  printf 'export TELEMATICS_TRACKER_PORT=%q\n' "$TELEMATICS_TRACKER_PORT"
  # the ingest's own port: its metrics need no token there (benchmarks read batch sizes)
  printf 'export TELEMATICS_METRICS_URL=%q\n' "http://127.0.0.1:$(svc_port telematics-ingest)/telematics_api/metrics"
  printf 'export PLATFORM_SH=%q\n' "$PLATFORM_ROOT/scripts/platform.sh"
  for n in "${SECRET_NAMES[@]}"; do
    printf 'export %s=%q\n' "$n" "${!n}"
  done
}

# shell_scripts -> NUL-separated paths of every tracked shell script (by extension or shebang)
shell_scripts() {
  git -C "$PLATFORM_ROOT" ls-files -z | while IFS= read -r -d '' f; do
    if [[ "$f" == *.sh ]] || head -n1 "$PLATFORM_ROOT/$f" 2>/dev/null | grep -Eq '^#!.*\b(ba)?sh\b'; then
      printf '%s\0' "$PLATFORM_ROOT/$f"
    fi
  done
}

cmd_test() {
  take_lock
  local was_running=0 rc=0
  any_running && was_running=1
  if ((was_running)); then
    log "the stack is already running: it stays up after the tests"
  else
    # shellcheck disable=SC2317
    trap 'rc=$?; log "stopping the stack started for the tests"; cmd_stop >/dev/null || true; exit $rc' EXIT
  fi
  bring_up test restart-services
  print_urls
  # release the lock: the e2e tests call `platform.sh stop-service/start-service`
  flock -u 8
  exec 8>&-
  phase_begin "unit tests (nx run-many -t test)"
  eval "$(cmd_env)"
  cd "$PLATFORM_ROOT"
  NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t test --outputStyle=static 8>&- || rc=$?
  if ((rc == 0)); then
    # In-process specs against this stack's Postgres and Redis, each in a throwaway database of its
    # own (docs/testing.md); one project at a time, as they share the stack with the services.
    phase_begin "integration tests (nx run-many -t integration --parallel=1)"
    NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t integration --parallel=1 --outputStyle=static 8>&- || rc=$?
  else
    warn "unit tests failed; integration tests skipped"
  fi
  if ((rc == 0)); then
    phase_begin "e2e tests (nx run-many -t e2e --parallel=1)"
    NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t e2e --parallel=1 --outputStyle=static 8>&- || rc=$?
    phase_begin "API fuzzing (Schemathesis, every service's OpenAPI document)"
    bash "$PLATFORM_ROOT/scripts/test/api-fuzz.sh" 8>&- || rc=$?
  else
    warn "unit or integration tests failed; e2e tests skipped"
  fi
  # The standards are part of the suite: strict types, lint (with Nx boundaries) and formatting.
  phase_begin "static checks (nx lint + typecheck, prettier --check, shellcheck, alert rules)"
  NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t lint typecheck --outputStyle=static 8>&- || rc=$?
  npx prettier --check . 8>&- || rc=$?
  shell_scripts | xargs -0 shellcheck -x 8>&- || rc=$?
  bash "$PLATFORM_ROOT/scripts/test/alert-rules.sh" 8>&- || rc=$?
  print_timings
  if ((rc)); then
    printf '%s[platform] tests failed (exit %s)%s\n' "$_c_red" "$rc" "$_c_off" >&2
  else
    ok "tests passed"
  fi
  return "$rc"
}

cmd_stop_service() {
  local svc="${1:-}"
  is_service "$svc" || die "usage: platform.sh stop-service <${PLATFORM_SERVICES[*]}>"
  take_lock
  svc_stop "$svc"
  ok "$svc stopped"
}

cmd_start_service() {
  local svc="${1:-}"
  is_service "$svc" || die "usage: platform.sh start-service <${PLATFORM_SERVICES[*]}>"
  take_lock
  ensure_node
  load_secrets
  if ! { postgres_running && redis_running && nginx_running; }; then
    die "the stack is not running; start it with: bash scripts/platform.sh start"
  fi
  check_dist
  if svc_running "$svc"; then
    log "$svc already running"
  else
    svc_migrate "$svc" || {
      show_log_tail "$(svc_logfile "$svc")" 15
      die "$svc: migrate.js failed; see $(svc_logfile "$svc")"
    }
    log "starting $svc on 127.0.0.1:$(svc_port "$svc")"
    svc_launch "$svc"
  fi
  wait_for "$svc ($(svc_ready_url "$svc"))" "$SERVICE_READY_TIMEOUT" "$(svc_logfile "$svc")" \
    "$(svc_pidfile "$svc")" svc_ready "$svc" || die "$svc is not ready"
  ok "$svc ready"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    restart)
      cmd_stop
      cmd_start "$@"
      ;;
    status) cmd_status ;;
    test) cmd_test ;;
    stop-service) cmd_stop_service "$@" ;;
    start-service) cmd_start_service "$@" ;;
    env) cmd_env ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
