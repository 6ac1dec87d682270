# shellcheck shell=bash
# THE service table: names, URL prefixes, HTTP ports, database roles, and the environment each
# service gets. The native stack reads it directly; compose.yml spells the same table out in YAML
# and scripts/stack/check-compose.sh fails when the two drift apart (env names, ports, roles,
# prefixes). Change both together.

PLATFORM_SERVICES=(base store face delivery-fsm telematics-ingest)

# svc_key SVC -> BASE, STORE, FACE, DELIVERY_FSM, TELEMATICS_INGEST
svc_key() {
  local k="${1^^}"
  printf '%s' "${k//-/_}"
}

is_service() {
  local s
  for s in "${PLATFORM_SERVICES[@]}"; do
    [[ "$s" == "$1" ]] && return 0
  done
  return 1
}

# svc_prefix SVC -> URL prefix served by the service itself (nginx proxies it unchanged)
svc_prefix() {
  case "$1" in
    base) echo /base_api ;;
    store) echo /store_api ;;
    face) echo /face_api ;;
    delivery-fsm) echo /delivery_api ;;
    telematics-ingest) echo /telematics_api ;;
    *) return 1 ;;
  esac
}

# svc_default_port SVC -> default HTTP port
svc_default_port() {
  case "$1" in
    base) echo 3001 ;;
    store) echo 3002 ;;
    face) echo 3003 ;;
    delivery-fsm) echo 3004 ;;
    telematics-ingest) echo 3005 ;;
    *) return 1 ;;
  esac
}

# svc_port SVC -> HTTP port, overridable with <KEY>_HTTP_PORT (e.g. DELIVERY_FSM_HTTP_PORT=4004)
svc_port() {
  local var
  var="$(svc_key "$1")_HTTP_PORT"
  printf '%s' "${!var:-$(svc_default_port "$1")}"
}

# svc_db_role SVC -> Postgres role (= schema) of the service
svc_db_role() {
  case "$1" in
    base) echo base ;;
    store) echo store ;;
    face) echo face ;;
    delivery-fsm) echo delivery ;;
    telematics-ingest) echo telematics ;;
    *) return 1 ;;
  esac
}

# svc_upstream_var SVC -> name of the nginx template variable holding the service's upstream
svc_upstream_var() {
  case "$1" in
    base) echo BASE_UPSTREAM ;;
    store) echo STORE_UPSTREAM ;;
    face) echo FACE_UPSTREAM ;;
    delivery-fsm) echo DELIVERY_UPSTREAM ;;
    telematics-ingest) echo TELEMATICS_UPSTREAM ;;
    *) return 1 ;;
  esac
}

# svc_env_keys SVC -> the names of the variables the service gets (one per line)
svc_env_keys() {
  printf '%s\n' NODE_ENV LOG_LEVEL HTTP_HOST HTTP_PORT \
    DATABASE_HOST DATABASE_PORT DATABASE_NAME DATABASE_USER DATABASE_PASSWORD \
    REDIS_HOST REDIS_PORT REDIS_PASSWORD \
    KEYCLOAK_ISSUER KEYCLOAK_JWKS_URL KEYCLOAK_AUDIENCE CHROMA_URL
  if [[ "$1" == base ]]; then
    echo AUTH_CARD_SECRET
  fi
  if [[ "$1" == telematics-ingest ]]; then
    echo TRACKER_TCP_PORT
  fi
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
  if [[ "$svc" == base ]]; then
    echo "AUTH_CARD_SECRET=$AUTH_CARD_SECRET"
  fi
  if [[ "$svc" == telematics-ingest ]]; then
    echo "TRACKER_TCP_PORT=$TELEMATICS_TRACKER_PORT"
  fi
}
