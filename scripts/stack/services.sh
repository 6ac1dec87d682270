# shellcheck shell=bash
# The services as the native stack sees them: names, URL prefixes, HTTP ports, database roles and
# the environment each gets, all read from THE service table, services/services.tsv.
# Sourced by scripts/platform.sh and scripts/stack/check-compose.sh.

SERVICE_TABLE="${PLATFORM_ROOT:?}/services/services.tsv"
PLATFORM_SERVICES=()
declare -A _SVC_PREFIX=() _SVC_PORT=() _SVC_ROLE=() _SVC_UPSTREAM=() _SVC_EXTRA_ENV=()
while IFS=$'\t' read -r _name _prefix _port _role _upstream _extra; do
  [[ -z "$_name" || "$_name" == '#'* ]] && continue
  PLATFORM_SERVICES+=("$_name")
  _SVC_PREFIX[$_name]=$_prefix
  _SVC_PORT[$_name]=$_port
  _SVC_ROLE[$_name]=$_role
  _SVC_UPSTREAM[$_name]=$_upstream
  _SVC_EXTRA_ENV[$_name]=${_extra/#-/}
done <"$SERVICE_TABLE"
unset _name _prefix _port _role _upstream _extra
((${#PLATFORM_SERVICES[@]})) || { echo "no services in $SERVICE_TABLE" >&2; exit 1; }

# svc_key SVC -> BASE, STORE, FACE, DELIVERY_FSM, TELEMATICS_INGEST
svc_key() {
  local k="${1^^}"
  printf '%s' "${k//-/_}"
}

is_service() { [[ -n "${1:-}" && -n "${_SVC_PREFIX[$1]:-}" ]]; }

# svc_prefix SVC -> URL prefix served by the service itself (nginx proxies it unchanged)
svc_prefix() { is_service "$1" && printf '%s\n' "${_SVC_PREFIX[$1]}"; }

# svc_default_port SVC -> default HTTP port
svc_default_port() { is_service "$1" && printf '%s\n' "${_SVC_PORT[$1]}"; }

# svc_port SVC -> HTTP port, overridable with <KEY>_HTTP_PORT (e.g. DELIVERY_FSM_HTTP_PORT=4004)
svc_port() {
  local var
  var="$(svc_key "$1")_HTTP_PORT"
  printf '%s' "${!var:-$(svc_default_port "$1")}"
}

# svc_db_role SVC -> Postgres role (= schema) of the service
svc_db_role() { is_service "$1" && printf '%s\n' "${_SVC_ROLE[$1]}"; }

# svc_upstream_var SVC -> name of the nginx template variable holding the service's upstream
svc_upstream_var() { is_service "$1" && printf '%s\n' "${_SVC_UPSTREAM[$1]}"; }

# svc_extra_env SVC -> NAME=STACK_VARIABLE lines: what the service gets beyond the common env
svc_extra_env() {
  local pairs="${_SVC_EXTRA_ENV[$1]:-}"
  [[ -n "$pairs" ]] && printf '%s\n' "${pairs//,/$'\n'}"
  return 0
}

# svc_env_keys SVC -> the names of the variables the service gets (one per line)
svc_env_keys() {
  printf '%s\n' NODE_ENV LOG_LEVEL HTTP_HOST HTTP_PORT TRUSTED_PROXIES CORS_ALLOWED_ORIGINS \
    DATABASE_HOST DATABASE_PORT DATABASE_NAME DATABASE_USER DATABASE_PASSWORD \
    REDIS_HOST REDIS_PORT REDIS_PASSWORD \
    KEYCLOAK_ISSUER KEYCLOAK_JWKS_URL KEYCLOAK_AUDIENCE CHROMA_URL
  svc_extra_env "$1" | cut -d= -f1
}

# svc_env SVC -> NAME=VALUE lines of the native stack's environment for SVC.
# Needs config.sh loaded and the secrets exported (load_secrets).
svc_env() {
  local svc="$1" role pw_var
  role=$(svc_db_role "$svc")
  pw_var="DB_PASSWORD_${role^^}"
  printf '%s\n' \
    "NODE_ENV=production" \
    "LOG_LEVEL=${LOG_LEVEL:-info}" \
    "HTTP_HOST=127.0.0.1" \
    "HTTP_PORT=$(svc_port "$svc")" \
    "TRUSTED_PROXIES=loopback" \
    "CORS_ALLOWED_ORIGINS=$CORS_ALLOWED_ORIGINS" \
    "DATABASE_HOST=127.0.0.1" \
    "DATABASE_PORT=$POSTGRES_PORT" \
    "DATABASE_NAME=platform" \
    "DATABASE_USER=$role" \
    "DATABASE_PASSWORD=${!pw_var}" \
    "REDIS_HOST=127.0.0.1" \
    "REDIS_PORT=$REDIS_PORT" \
    "REDIS_PASSWORD=$REDIS_PASSWORD" \
    "KEYCLOAK_ISSUER=$KEYCLOAK_ISSUER" \
    "KEYCLOAK_JWKS_URL=http://127.0.0.1:$KEYCLOAK_PORT/keycloak/realms/$KEYCLOAK_REALM/protocol/openid-connect/certs" \
    "KEYCLOAK_AUDIENCE=platform-api" \
    "CHROMA_URL=http://127.0.0.1:$CHROMA_PORT"
  local name source
  while IFS='=' read -r name source; do
    printf '%s=%s\n' "$name" "${!source:?$source is not set (services/services.tsv, $svc)}"
  done < <(svc_extra_env "$svc")
}
