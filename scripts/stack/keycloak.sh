# shellcheck shell=bash
# Keycloak of the native stack: the distribution built once in the cache (deps.sh), run from
# .stack/keycloak/home (links to the cached lib/, themes/, providers/; own conf/ and data/), data
# in the `keycloak` Postgres database, realm `platform` imported from keycloak/realm-platform.json.
#
#   frontend (issuer):  $PUBLIC_URL/keycloak          (through nginx)
#   backchannel:        http://127.0.0.1:$KEYCLOAK_PORT/keycloak   (direct; JWKS for the services)
#   management/health:  http://127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT/keycloak/health/ready
#
# `--import-realm` skips a realm that already exists, so when the realm file or the development
# users' password changed since the last import, the realm is re-imported with
# `kc.sh import --override true` before the server starts.
# Sourced by scripts/platform.sh.

KC_STATE="$STACK_DIR/keycloak"
KC_HOME="$KC_STATE/home"
KC_PID="$RUN_DIR/keycloak.pid"
KC_LOG="$LOG_DIR/keycloak.log"
KC_REALM_FILE="$PLATFORM_ROOT/keycloak/realm-platform.json"
KC_REALM_STAMP="$KC_STATE/realm.sha256"

keycloak_running() { running "$KC_PID"; }

keycloak_ready() {
  http_ok "http://127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT/keycloak/health/ready" &&
    http_ok "http://127.0.0.1:$KEYCLOAK_PORT/keycloak/realms/$KEYCLOAK_REALM/.well-known/openid-configuration"
}

_kc_realm_fingerprint() {
  { cat "$KC_REALM_FILE"; printf '\n%s\n' "$KC_DEV_USER_PASSWORD"; } | sha256
}

# Lay out .stack/keycloak/home over the cached, built distribution.
_kc_prepare_home() {
  local dist
  dist=$(keycloak_dist_dir)
  mkdir -p "$KC_HOME/data/import"
  rm -rf "${KC_HOME:?}/bin" "${KC_HOME:?}/conf" "${KC_HOME:?}/lib" "${KC_HOME:?}/themes" \
    "${KC_HOME:?}/providers" "${KC_HOME:?}/version.txt"
  # bin/ and conf/ are copied: kc.sh derives the home directory from its own (resolved) path.
  cp -a "$dist/bin" "$dist/conf" "$KC_HOME/"
  ln -s "$dist/lib" "$KC_HOME/lib"
  ln -s "$dist/themes" "$KC_HOME/themes"
  ln -s "$dist/providers" "$KC_HOME/providers"
  ln -s "$dist/version.txt" "$KC_HOME/version.txt"
  # only our realm is imported at start
  find "$KC_HOME/data/import" -mindepth 1 -delete
  cp "$KC_REALM_FILE" "$KC_HOME/data/import/realm-platform.json"
}

# Runtime options common to `start` and `import`: the database, and a local (non-clustered)
# cache, so no JGroups discovery and no cluster ports. Secrets go through the environment.
_kc_db_options() {
  printf '%s\n' \
    "--db-url=jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/keycloak" \
    "--db-username=keycloak" \
    "--cache=local"
}

# _kc_env: `env` arguments carrying the secrets (KC_DEV_USER_PASSWORD feeds the realm file's
# ${KC_DEV_USER_PASSWORD} placeholder), and the datasource's validation (runtime Quarkus options,
# no Keycloak flag): a pooled connection is checked before use, so after Postgres restarts the
# first token request gets a fresh connection instead of a 500 from a dead one.
_kc_env() {
  printf '%s\n' env \
    "QUARKUS_DATASOURCE_JDBC_VALIDATE_ON_BORROW=true" \
    "QUARKUS_DATASOURCE_JDBC_VALIDATION_QUERY_SQL=SELECT 1" \
    "KC_DB_PASSWORD=$DB_PASSWORD_KEYCLOAK" \
    "KC_BOOTSTRAP_ADMIN_USERNAME=$KEYCLOAK_ADMIN_USERNAME" \
    "KC_BOOTSTRAP_ADMIN_PASSWORD=$KEYCLOAK_ADMIN_PASSWORD" \
    "KC_DEV_USER_PASSWORD=$KC_DEV_USER_PASSWORD" \
    "JAVA_OPTS_APPEND=$KEYCLOAK_JAVA_OPTS_APPEND" \
    "PLATFORM_STACK_DIR=$STACK_DIR"
}

_kc_realm_exists_in_db() {
  [[ "$(psql_admin -d keycloak -tA -c "SELECT count(*) FROM pg_tables WHERE tablename = 'realm'" 2>/dev/null)" == 1 ]] &&
    [[ "$(psql_admin -d keycloak -tA -c "SELECT count(*) FROM realm WHERE name = '$KEYCLOAK_REALM'" 2>/dev/null)" == 1 ]]
}

# keycloak_start: launch (does not wait; see keycloak_wait)
keycloak_start() {
  if keycloak_running; then
    log "keycloak already running (pid $(read_pid "$KC_PID")) on 127.0.0.1:$KEYCLOAK_PORT"
    if [[ "$(cat "$KC_REALM_STAMP" 2>/dev/null)" != "$(_kc_realm_fingerprint)" ]]; then
      warn "keycloak/realm-platform.json (or KC_DEV_USER_PASSWORD) changed since Keycloak started; restart the stack to re-import the realm"
    fi
    return 0
  fi
  ensure_port_free keycloak "$KEYCLOAK_PORT"
  ensure_port_free "keycloak management" "$KEYCLOAK_MANAGEMENT_PORT"
  _kc_prepare_home
  local -a db_opts kc_env
  mapfile -t db_opts < <(_kc_db_options)
  mapfile -t kc_env < <(_kc_env)
  if [[ "$(cat "$KC_REALM_STAMP" 2>/dev/null)" != "$(_kc_realm_fingerprint)" ]] && _kc_realm_exists_in_db; then
    log "keycloak: realm file or dev-user password changed; re-importing realm '$KEYCLOAK_REALM' (kc.sh import --override true)"
    printf '\n==== %s: kc.sh import --override true\n' "$(date -Is)" >>"$KC_LOG"
    "${kc_env[@]}" "$KC_HOME/bin/kc.sh" import --optimized "${db_opts[@]}" \
      --file "$KC_HOME/data/import/realm-platform.json" --override true >>"$KC_LOG" 2>&1 || {
      show_log_tail "$KC_LOG"
      die "keycloak realm import failed; see $KC_LOG"
    }
  fi
  log "starting keycloak $KEYCLOAK_VERSION on 127.0.0.1:$KEYCLOAK_PORT (issuer $KEYCLOAK_ISSUER, log $KC_LOG)"
  launch "$KC_LOG" "$KC_PID" "${kc_env[@]}" "$KC_HOME/bin/kc.sh" start --optimized --import-realm \
    "${db_opts[@]}" \
    "--hostname=$PUBLIC_URL/keycloak" \
    --hostname-backchannel-dynamic=true \
    --http-enabled=true \
    --http-host=127.0.0.1 \
    "--http-port=$KEYCLOAK_PORT" \
    "--http-management-port=$KEYCLOAK_MANAGEMENT_PORT" \
    --proxy-headers=xforwarded \
    --proxy-trusted-addresses=127.0.0.1 \
    --log=console
}

keycloak_wait() {
  wait_for "keycloak" "$KEYCLOAK_READY_TIMEOUT" "$KC_LOG" "$KC_PID" keycloak_ready || die "keycloak is not ready"
  _kc_realm_fingerprint >"$KC_REALM_STAMP"
}

keycloak_stop() {
  stop_pidfile keycloak "$KC_PID" 30
}
