#!/bin/sh
# Creates (or brings up to date) the platform's databases, roles and schemas.
#
# One script for both stacks:
#   - compose: mounted into the postgres image as /docker-entrypoint-initdb.d/10-platform-roles.sh
#     (runs once, on the first start of an empty volume; run it again by hand with
#     `docker compose exec postgres sh /docker-entrypoint-initdb.d/10-platform-roles.sh`);
#   - native:  scripts/stack/postgres.sh runs it on every start.
#
# It is idempotent: re-running it creates nothing new, re-applies grants and sets the passwords
# to the values given now.
#
# Input (environment):
#   DB_PASSWORD_BASE DB_PASSWORD_STORE DB_PASSWORD_FACE DB_PASSWORD_DELIVERY
#   DB_PASSWORD_TELEMATICS DB_PASSWORD_KEYCLOAK      passwords of the LOGIN roles (required)
#   POSTGRES_SUPERUSER_PASSWORD                      if set, also (re)sets the superuser's password
#   PGHOST PGPORT PGUSER ...                         where to connect (libpq); PGUSER defaults to
#                                                    $POSTGRES_USER or postgres
#   PLATFORM_DB_NAME                                 the shared database (default: platform)
#
# Layout it guarantees:
#   database platform: one schema per service role (base, store, face, delivery, telematics),
#     each owned by its role; `search_path` of each role is its own schema; no role can use
#     another role's schema; nobody can create objects in `public`; only these roles may connect.
#   database keycloak: owned by role keycloak; only keycloak may connect.
#   databases postgres, template1: superusers only.
set -eu

PLATFORM_DB_NAME="${PLATFORM_DB_NAME:-platform}"
SERVICE_ROLES="base store face delivery telematics"
export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"

fail() {
  echo "init-roles.sh: $*" >&2
  exit 1
}

role_password() {
  # role_password ROLE -> value of DB_PASSWORD_<ROLE>
  var="DB_PASSWORD_$(echo "$1" | tr '[:lower:]' '[:upper:]')"
  eval "val=\${$var:-}"
  [ -n "$val" ] || fail "$var is not set"
  printf '%s' "$val"
}

# Values reach SQL only through psql variables read with \getenv (not via argv, so passwords do not
# show up in `ps`), quoted with :'var' / format(%I, %L).
psql_run() {
  psql -X -q -v ON_ERROR_STOP=1 "$@"
}

for role in $SERVICE_ROLES keycloak; do
  role_password "$role" >/dev/null
done
export PLATFORM_DB_NAME
export POSTGRES_SUPERUSER_PASSWORD="${POSTGRES_SUPERUSER_PASSWORD:-}"

# 1. Roles and databases (cluster-wide objects; run in the maintenance database).
psql_run -d postgres <<'SQL'
\getenv db PLATFORM_DB_NAME
\getenv superuser_pw POSTGRES_SUPERUSER_PASSWORD
\getenv pw_base DB_PASSWORD_BASE
\getenv pw_store DB_PASSWORD_STORE
\getenv pw_face DB_PASSWORD_FACE
\getenv pw_delivery DB_PASSWORD_DELIVERY
\getenv pw_telematics DB_PASSWORD_TELEMATICS
\getenv pw_keycloak DB_PASSWORD_KEYCLOAK
SET client_min_messages = warning;

-- Superuser password (only when given).
SELECT format('ALTER ROLE %I WITH PASSWORD %L', current_user, :'superuser_pw')
WHERE :'superuser_pw' <> '' \gexec

-- LOGIN roles: no superuser, no role/db creation, no replication, members of nothing.
SELECT format('CREATE ROLE %I', r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics', 'keycloak']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec

SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS PASSWORD %L', r, pw)
FROM (VALUES ('base', :'pw_base'), ('store', :'pw_store'), ('face', :'pw_face'),
             ('delivery', :'pw_delivery'), ('telematics', :'pw_telematics'),
             ('keycloak', :'pw_keycloak')) AS v(r, pw) \gexec

-- Each service role's default schema is its own.
SELECT format('ALTER ROLE %I SET search_path = %I', r, r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec

-- Databases.
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT 'CREATE DATABASE keycloak OWNER keycloak'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'keycloak') \gexec
ALTER DATABASE keycloak OWNER TO keycloak;

-- Who may connect where: only the listed roles (superusers always can).
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keycloak TO keycloak;
-- The maintenance databases are for superusers only.
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;
-- The service roles must not reach Keycloak's data, nor Keycloak theirs.
SELECT format('REVOKE ALL ON DATABASE keycloak FROM %I', r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM keycloak', :'db') \gexec
SQL

# 2. Schemas inside the platform database.
psql_run -d "$PLATFORM_DB_NAME" <<'SQL'
SET client_min_messages = warning;

-- Nobody creates objects in (or uses) public.
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- One schema per service role, owned by it; schemas grant nothing to anyone else.
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', r, r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', r, r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS r \gexec
SELECT format('REVOKE ALL ON SCHEMA %I FROM %I', s, r)
FROM unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics']) AS s,
     unnest(ARRAY['base', 'store', 'face', 'delivery', 'telematics', 'keycloak']) AS r
WHERE s <> r \gexec
SQL

echo "init-roles.sh: database '$PLATFORM_DB_NAME' and roles [$SERVICE_ROLES keycloak] are up to date"
