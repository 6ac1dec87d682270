# shellcheck shell=bash
# The five NestJS services in the native stack: dependencies, build, migrations, processes.
# Contract with the application side: `npx nx run-many -t build --projects='tag:type:service'`
# produces dist/services/<svc>/main.js and dist/services/<svc>/migrate.js.
# Sourced by scripts/platform.sh.

svc_pidfile() { printf '%s' "$RUN_DIR/$1.pid"; }
svc_logfile() { printf '%s' "$LOG_DIR/$1.log"; }
svc_dist() { printf '%s' "$PLATFORM_ROOT/dist/services/$1"; }

svc_running() { running "$(svc_pidfile "$1")"; }

svc_ready_url() { printf 'http://127.0.0.1:%s%s/health/ready' "$GATEWAY_PORT" "$(svc_prefix "$1")"; }
svc_direct_ready_url() { printf 'http://127.0.0.1:%s%s/health/ready' "$(svc_port "$1")" "$(svc_prefix "$1")"; }

svc_ready() {
  [[ "$(http_code "$(svc_ready_url "$1")")" == 200 ]]
}

# node_modules_current: node_modules was installed from the committed package-lock.json
node_modules_current() {
  [[ -f "$PLATFORM_ROOT/node_modules/.package-lock.json" &&
    ! "$PLATFORM_ROOT/package-lock.json" -nt "$PLATFORM_ROOT/node_modules/.package-lock.json" ]]
}

ensure_npm_ci() {
  cd "$PLATFORM_ROOT" || die "cannot cd to $PLATFORM_ROOT"
  [[ -f package-lock.json ]] || die "package-lock.json not found in $PLATFORM_ROOT"
  if node_modules_current; then
    log "node_modules is up to date with package-lock.json"
    return 0
  fi
  log "npm ci (log $LOG_DIR/npm-ci.log)"
  : >"$LOG_DIR/npm-ci.log"
  # (8>&-: nothing spawned here may inherit the stack's lock, see platform.sh take_lock)
  if npm ci --no-audit --no-fund >>"$LOG_DIR/npm-ci.log" 2>&1 8>&-; then
    return 0
  fi
  show_log_tail "$LOG_DIR/npm-ci.log"
  # No fallback to `npm install`: a lock file that `npm ci` refuses must never be papered over.
  if grep -q 'can only install packages when your package.json and package-lock.json' "$LOG_DIR/npm-ci.log"; then
    die "npm ci refused package-lock.json (out of sync with package.json). Regenerate it from nothing:
  bash scripts/stack/regenerate-lock.sh   (then commit package-lock.json)"
  fi
  die "npm ci failed; see $LOG_DIR/npm-ci.log"
}

build_services() {
  cd "$PLATFORM_ROOT" || die "cannot cd to $PLATFORM_ROOT"
  log "npx nx run-many -t build --projects='tag:type:service' (log $LOG_DIR/build.log)"
  NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true \
    npx nx run-many -t build --projects='tag:type:service' --outputStyle=static >>"$LOG_DIR/build.log" 2>&1 8>&- || {
    show_log_tail "$LOG_DIR/build.log" 40
    die "build failed; see $LOG_DIR/build.log"
  }
}

check_dist() {
  local svc missing=()
  for svc in "${PLATFORM_SERVICES[@]}"; do
    [[ -f "$(svc_dist "$svc")/main.js" ]] || missing+=("dist/services/$svc/main.js")
    [[ -f "$(svc_dist "$svc")/migrate.js" ]] || missing+=("dist/services/$svc/migrate.js")
  done
  if ((${#missing[@]})); then
    die "the build did not produce: ${missing[*]}
  (expected from \`npx nx run-many -t build --projects='tag:type:service'\`; see $LOG_DIR/build.log).
  To start the infrastructure alone: PLATFORM_SKIP_SERVICES=1 bash scripts/platform.sh start"
  fi
}

# svc_exec_env SVC -> `env -i ...` arguments: exactly the service's environment (services.sh),
# plus PATH/HOME, the stack marker, and extra "A=1 B=2" pairs from SERVICE_<KEY>_ENV.
svc_exec_env() {
  local svc="$1" extra_var
  printf '%s\n' env -i "PATH=$PATH" "HOME=$HOME" "PLATFORM_STACK_DIR=$STACK_DIR" "PLATFORM_SERVICE=$svc"
  [[ -n "${NODE_OPTIONS:-}" ]] && printf 'NODE_OPTIONS=%s\n' "$NODE_OPTIONS"
  svc_env "$svc"
  extra_var="SERVICE_$(svc_key "$svc")_ENV"
  if [[ -n "${!extra_var:-}" ]]; then
    # shellcheck disable=SC2086 # space-separated NAME=value pairs
    printf '%s\n' ${!extra_var}
  fi
}

# svc_migrate SVC: run migrate.js in the foreground (output to the service's log)
svc_migrate() {
  local svc="$1" log
  log=$(svc_logfile "$svc")
  local -a envargs
  mapfile -t envargs < <(svc_exec_env "$svc")
  printf '\n==== %s: migrate %s\n' "$(date -Is)" "$svc" >>"$log"
  (cd "$PLATFORM_ROOT" && timeout "$SERVICE_MIGRATE_TIMEOUT" "${envargs[@]}" node "dist/services/$svc/migrate.js") >>"$log" 2>&1 8>&-
}

# svc_launch SVC: start main.js in the background (does not wait)
svc_launch() {
  local svc="$1" port
  port=$(svc_port "$svc")
  ensure_port_free "$svc" "$port"
  local -a envargs
  mapfile -t envargs < <(svc_exec_env "$svc")
  _svc_build_hash "$svc" >"$RUN_DIR/$svc.build"
  (cd "$PLATFORM_ROOT" && launch "$(svc_logfile "$svc")" "$(svc_pidfile "$svc")" "${envargs[@]}" node "dist/services/$svc/main.js")
}

_svc_build_hash() {
  cat "$(svc_dist "$1")/main.js" "$(svc_dist "$1")/migrate.js" 2>/dev/null | sha256
}

svc_stop() {
  stop_pidfile "$1" "$(svc_pidfile "$1")" 20
  rm -f "$RUN_DIR/$1.build"
}

# svc_stale SVC: running, but its bundle (main.js, migrate.js) differs from the one it started from
svc_stale() {
  [[ "$(cat "$RUN_DIR/$1.build" 2>/dev/null)" != "$(_svc_build_hash "$1")" ]]
}

# services_start [restart]: migrate and start every service that is not running (all of them
# with "restart", or those whose bundle changed), then wait until each is ready via the gateway.
services_start() {
  local mode="${1:-}" svc
  local -a todo=() to_stop=()
  for svc in "${PLATFORM_SERVICES[@]}"; do
    if svc_running "$svc"; then
      if [[ "$mode" == restart ]]; then
        log "$svc: restarting (fresh build)"
      elif svc_stale "$svc"; then
        log "$svc: the build changed since it started; restarting"
      else
        log "$svc already running (pid $(read_pid "$(svc_pidfile "$svc")")) on 127.0.0.1:$(svc_port "$svc")"
        continue
      fi
      to_stop+=("$svc")
    fi
    todo+=("$svc")
  done
  ((${#to_stop[@]} == 0)) || services_stop "${to_stop[@]}"
  ((${#todo[@]})) || return 0

  # migrations: in parallel (each service has its own schema)
  log "migrating: ${todo[*]}"
  local -A mpid=()
  for svc in "${todo[@]}"; do
    svc_migrate "$svc" &
    mpid[$svc]=$!
  done
  local failed=()
  for svc in "${todo[@]}"; do
    wait "${mpid[$svc]}" || failed+=("$svc")
  done
  if ((${#failed[@]})); then
    for svc in "${failed[@]}"; do
      printf '[platform] error: %s: migrate.js failed; see %s\n' "$svc" "$(svc_logfile "$svc")" >&2
      show_log_tail "$(svc_logfile "$svc")" 15
    done
    die "migrations failed: ${failed[*]}"
  fi

  for svc in "${todo[@]}"; do
    log "starting $svc on 127.0.0.1:$(svc_port "$svc") (log $(svc_logfile "$svc"))"
    svc_launch "$svc"
  done
}

services_wait() {
  local svc failed=()
  for svc in "${PLATFORM_SERVICES[@]}"; do
    wait_for "$svc ($(svc_ready_url "$svc"))" "$SERVICE_READY_TIMEOUT" "$(svc_logfile "$svc")" \
      "$(svc_pidfile "$svc")" svc_ready "$svc" || failed+=("$svc")
  done
  ((${#failed[@]} == 0)) || die "not ready: ${failed[*]}"
}

# services_stop [SVC...]: stop the given services (default: all), in parallel
services_stop() {
  local svc
  local -a pids=()
  (($#)) || set -- "${PLATFORM_SERVICES[@]}"
  for svc in "$@"; do
    svc_stop "$svc" &
    pids+=($!)
  done
  wait "${pids[@]}" 2>/dev/null || true
}
