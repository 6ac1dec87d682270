# shellcheck shell=bash
# nginx of the native stack: Debian's nginx as our own instance (prefix .stack/nginx), config
# rendered from nginx/nginx.conf.template by nginx/render.sh with the native values below.
# Sourced by scripts/platform.sh.

NGINX_PREFIX="$STACK_DIR/nginx"
NGINX_CONF="$NGINX_PREFIX/nginx.conf"
NGINX_PID="$RUN_DIR/nginx.pid"
NGINX_LOG="$LOG_DIR/nginx-error.log"

nginx_running() { running "$NGINX_PID"; }

nginx_ready() { http_ok "http://127.0.0.1:$GATEWAY_PORT/gateway/health"; }

# nginx_native_vars: export the template variables of the native stack
nginx_native_vars() {
  export NGINX_PID_FILE="$NGINX_PREFIX/nginx.pid"
  export NGINX_ERROR_LOG="$NGINX_LOG"
  export NGINX_ACCESS_LOG="$LOG_DIR/nginx-access.log"
  export NGINX_STREAM_ACCESS_LOG="$LOG_DIR/nginx-tracker.log"
  export NGINX_TEMP_DIR="$NGINX_PREFIX/temp"
  export NGINX_STATIC_ROOT="$PLATFORM_ROOT/nginx/static"
  export GATEWAY_LISTEN="$GATEWAY_BIND:$GATEWAY_PORT"
  export TRACKER_LISTEN="$TRACKER_BIND:$TRACKER_PORT"
  local svc
  for svc in "${PLATFORM_SERVICES[@]}"; do
    export "$(svc_upstream_var "$svc")=127.0.0.1:$(svc_port "$svc")"
  done
  export TELEMATICS_TRACKER_UPSTREAM="127.0.0.1:$TELEMATICS_TRACKER_PORT"
  export KEYCLOAK_UPSTREAM="127.0.0.1:$KEYCLOAK_PORT"
  export AUTH_RATE_LIMIT AUTH_RATE_BURST KEYCLOAK_ADMIN_ALLOW
}

# nginx_render OUTPUT
nginx_render() {
  (
    nginx_native_vars
    sh "$PLATFORM_ROOT/nginx/render.sh" "$PLATFORM_ROOT/nginx/nginx.conf.template" "$1"
  )
}

nginx_test_conf() { # nginx_test_conf CONF
  # shellcheck disable=SC2094 # nginx appends its error log; our redirect appends too, no reading
  nginx -q -t -p "$NGINX_PREFIX/" -e "$NGINX_LOG" -c "$1" >>"$NGINX_LOG" 2>&1
}

nginx_start() {
  mkdir -p "$NGINX_PREFIX/temp"
  touch "$NGINX_LOG"
  local new="$NGINX_PREFIX/nginx.conf.new"
  nginx_render "$new" || die "could not render nginx/nginx.conf.template"
  if ! nginx_test_conf "$new"; then
    show_log_tail "$NGINX_LOG" 10
    die "nginx -t failed for $new; see $NGINX_LOG"
  fi
  if nginx_running; then
    if cmp -s "$new" "$NGINX_CONF"; then
      rm -f "$new"
      log "nginx already running (pid $(read_pid "$NGINX_PID")) on $GATEWAY_BIND:$GATEWAY_PORT"
    else
      mv -f "$new" "$NGINX_CONF"
      log "nginx config changed: reloading (pid $(read_pid "$NGINX_PID"))"
      kill -HUP "$(read_pid "$NGINX_PID")"
    fi
  else
    mv -f "$new" "$NGINX_CONF"
    ensure_port_free "nginx (gateway)" "$GATEWAY_PORT"
    ensure_port_free "nginx (tracker)" "$TRACKER_PORT"
    log "starting nginx on $GATEWAY_BIND:$GATEWAY_PORT, tracker TCP $TRACKER_BIND:$TRACKER_PORT (logs $LOG_DIR/nginx-*.log)"
    launch "$NGINX_LOG" "$NGINX_PID" nginx -p "$NGINX_PREFIX/" -e "$NGINX_LOG" -c "$NGINX_CONF" -g 'daemon off;'
  fi
  wait_for "nginx" 20 "$NGINX_LOG" "$NGINX_PID" nginx_ready || die "nginx is not ready"
}

nginx_stop() {
  stop_pidfile nginx "$NGINX_PID" 15
}
