#!/usr/bin/env bash
# Validates compose.yml without a Docker engine, and that it has not drifted from the native
# service table (services/services.tsv) and from the root Dockerfile. Exits non-zero
# on any failure. Installs Debian's docker-compose (1.29.2) if it is missing (apt, root or sudo).
#
#   bash scripts/stack/check-compose.sh
#
# Checks:
#  1. `docker-compose config -q` passes with .env.example's secrets filled with dummy values;
#  2. it FAILS with .env.example as is (empty secrets): every secret is `${VAR:?...}`;
#  3. no literal secret in compose.yml (every *PASSWORD*/*SECRET* value is a ${...} reference);
#  4. per service: env names == svc_env_keys, HTTP_PORT, DATABASE_USER, nginx upstreams,
#     the Dockerfile reads its prefix from the table; Keycloak image tag == KEYCLOAK_VERSION;
#     Postgres's `-c` settings == POSTGRES_SETTINGS;
#  5. only nginx publishes ports; every long-running container has a healthcheck, cap_drop ALL
#     and no-new-privileges; depends_on waits for service_healthy.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$HERE/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$HERE/config.sh"
# shellcheck source=scripts/stack/services.sh
source "$HERE/services.sh"

LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT

if ! command -v docker-compose >/dev/null 2>&1; then
  log "installing Debian's docker-compose (apt)"
  run_privileged env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  run_privileged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose \
    >"$LOG_DIR/apt.log" 2>&1 || {
    cat "$LOG_DIR/apt.log" >&2
    die "could not install docker-compose"
  }
fi
PY=/usr/bin/python3
"$PY" -c 'import yaml' 2>/dev/null || die "$PY has no yaml module (Debian: python3-yaml, a dependency of docker-compose)"

cd "$PLATFORM_ROOT"
# A clean environment: the caller's (e.g. `platform.sh test` exports the stack's secrets) would
# otherwise fill compose's ${VAR} references and hide an .env file's gaps.
compose() { env -i PATH="$PATH" HOME="${HOME:-/root}" docker-compose --project-directory "$PLATFORM_ROOT" -f compose.yml "$@"; }

fails=0
pass() { printf '  ok    %s\n' "$1"; }
fail() {
  printf '  FAIL  %s\n' "$1" >&2
  fails=$((fails + 1))
}

# 1. valid with secrets filled in
filled="$LOG_DIR/filled.env"
sed -E 's/^([A-Z][A-Z0-9_]*)=$/\1=check-\1/' .env.example >"$filled"
if compose --env-file "$filled" config -q 2>"$LOG_DIR/config.err"; then
  pass "docker-compose config -q (with .env.example, secrets filled)"
else
  cat "$LOG_DIR/config.err" >&2
  fail "docker-compose config -q (with .env.example, secrets filled)"
fi

# 2. refused with the secrets empty
if compose --env-file .env.example config -q >/dev/null 2>&1; then
  fail "docker-compose config must refuse .env.example with empty secrets"
else
  pass "docker-compose config refuses empty secrets"
fi

# 3-5. structure and drift
compose --env-file "$filled" config >"$LOG_DIR/rendered.yml" 2>/dev/null || true
{
  printf '{"keycloak_version": "%s", "postgres_settings": [' "$KEYCLOAK_VERSION"
  sep=''
  for setting in "${POSTGRES_SETTINGS[@]}"; do
    printf '%s"%s"' "$sep" "$setting"
    sep=,
  done
  printf '], "services": {'
  sep=''
  for svc in "${PLATFORM_SERVICES[@]}"; do
    printf '%s"%s": {"port": "%s", "role": "%s", "prefix": "%s", "upstream_var": "%s", "keys": [' \
      "$sep" "$svc" "$(svc_default_port "$svc")" "$(svc_db_role "$svc")" "$(svc_prefix "$svc")" "$(svc_upstream_var "$svc")"
    ksep=''
    while read -r k; do
      printf '%s"%s"' "$ksep" "$k"
      ksep=,
    done < <(svc_env_keys "$svc")
    printf ']}'
    sep=,
  done
  printf '}}\n'
} >"$LOG_DIR/table.json"

"$PY" - "$LOG_DIR/rendered.yml" compose.yml Dockerfile "$LOG_DIR/table.json" <<'PY' || fails=$((fails + $?))
import json, re, sys, yaml

rendered = yaml.safe_load(open(sys.argv[1])) or {}
raw = yaml.safe_load(open(sys.argv[2]))
dockerfile = open(sys.argv[3]).read()
table = json.load(open(sys.argv[4]))
fails = 0

def ok(msg): print(f"  ok    {msg}")
def fail(msg):
    global fails
    fails += 1
    print(f"  FAIL  {msg}", file=sys.stderr)

services = rendered.get("services", {})
raw_services = raw.get("services", {})

# 3. no literal secrets in the file
bad = []
for name, svc in raw_services.items():
    env = svc.get("environment") or {}
    for k, v in env.items():
        if re.search(r"PASSWORD|SECRET|REDISCLI_AUTH", k) and not str(v).startswith("${"):
            bad.append(f"{name}.{k}")
(fail(f"literal secrets in compose.yml: {bad}") if bad else ok("no literal secret in compose.yml"))

# 4. service table
nginx_env = services.get("nginx", {}).get("environment", {})
if "COPY services/services.tsv" not in dockerfile:
    fail("the Dockerfile does not read its health-check prefix from services/services.tsv")
for svc, want in table["services"].items():
    s = services.get(svc)
    if not s:
        fail(f"{svc}: missing from compose.yml")
        continue
    env = s.get("environment", {})
    keys = sorted(env)
    if keys != sorted(want["keys"]):
        fail(f"{svc}: env names differ from services/services.tsv: "
             f"only in compose {sorted(set(keys) - set(want['keys']))}, "
             f"only in the table {sorted(set(want['keys']) - set(keys))}")
    else:
        ok(f"{svc}: env names match the service table")
    if str(env.get("HTTP_PORT")) != want["port"]:
        fail(f"{svc}: HTTP_PORT {env.get('HTTP_PORT')} != {want['port']}")
    if env.get("DATABASE_USER") != want["role"]:
        fail(f"{svc}: DATABASE_USER {env.get('DATABASE_USER')} != {want['role']}")
    up = nginx_env.get(want["upstream_var"])
    if up != f"{svc}:{want['port']}":
        fail(f"nginx {want['upstream_var']}={up}, expected {svc}:{want['port']}")
    if (s.get("build") or {}).get("args", {}).get("SERVICE") != svc:
        fail(f"{svc}: build arg SERVICE is not {svc}")
ok("ports, roles, upstreams, prefixes checked")

kc_image = services.get("keycloak", {}).get("image", "")
if kc_image != f"quay.io/keycloak/keycloak:{table['keycloak_version']}":
    fail(f"keycloak image {kc_image} != native KEYCLOAK_VERSION {table['keycloak_version']}")
else:
    ok(f"keycloak image pinned to the native version {table['keycloak_version']}")

command = services.get("postgres", {}).get("command") or []
given = [command[i + 1] for i, arg in enumerate(command[:-1]) if arg == "-c"]
if given != table["postgres_settings"]:
    fail(f"postgres command settings {given} != POSTGRES_SETTINGS {table['postgres_settings']}")
else:
    ok("postgres settings equal the native stack's (POSTGRES_SETTINGS)")

# 5. hardening and health
for name, s in services.items():
    if name != "nginx" and s.get("ports"):
        fail(f"{name} publishes ports (only nginx may)")
    if "ALL" not in (s.get("cap_drop") or []):
        fail(f"{name}: no cap_drop ALL")
    if "no-new-privileges:true" not in (s.get("security_opt") or []):
        fail(f"{name}: no no-new-privileges")
    has_hc = bool(s.get("healthcheck")) or (s.get("build") and "HEALTHCHECK" in dockerfile)
    if not has_hc:
        fail(f"{name}: no healthcheck")
    for dep, cond in (s.get("depends_on") or {}).items():
        if (cond or {}).get("condition") != "service_healthy":
            fail(f"{name} depends on {dep} without condition service_healthy")
    image = s.get("image", "")
    if not s.get("build") and (":" not in image or image.endswith(":latest")):
        fail(f"{name}: image {image!r} is not pinned")
ok("hardening, healthchecks, pinned images checked")
sys.exit(min(fails, 100))
PY

if ((fails)); then
  printf '%s[check-compose] %s check(s) failed%s\n' "$_c_red" "$fails" "$_c_off" >&2
  exit 1
fi
printf '[check-compose] compose.yml is valid and in line with services/services.tsv\n'
