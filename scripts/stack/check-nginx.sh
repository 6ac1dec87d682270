#!/usr/bin/env bash
# `nginx -t` on nginx/nginx.conf.template rendered twice by nginx/render.sh:
#   1. with the native stack's values (scripts/stack/nginx.sh), and
#   2. with the values compose.yml gives the nginx container (upstreams base:3001, ...).
# Uses the machine's nginx (Debian; installed with apt if missing). The compose upstream host
# names are made resolvable in a private mount namespace (unshare + a bind-mounted /etc/hosts);
# where that is not permitted they are replaced by 127.0.0.1 (syntax and directives are still
# checked). Exits non-zero on failure.
#
#   bash scripts/stack/check-nginx.sh
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$HERE/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$HERE/config.sh"
# shellcheck source=scripts/stack/services.sh
source "$HERE/services.sh"
# shellcheck source=scripts/stack/deps.sh
source "$HERE/deps.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
LOG_DIR="$WORK"

if ! command -v nginx >/dev/null 2>&1 || ! nginx_stream_ok || ! command -v envsubst >/dev/null 2>&1; then
  apt_install nginx libnginx-mod-stream gettext-base
fi
PY=/usr/bin/python3
if ! "$PY" -c 'import yaml' 2>/dev/null; then
  apt_install python3-yaml
fi

fails=0
nginx_t() { # nginx_t LABEL CONF [unshare-hosts-file]
  local label="$1" conf="$2" hosts="${3:-}" out="$WORK/$1.out"
  mkdir -p "$WORK/$label-prefix/logs"
  local -a cmd=(nginx -t -q -p "$WORK/$label-prefix/" -e "$WORK/$label-prefix/logs/error.log" -c "$conf")
  local rc=0
  if [[ -n "$hosts" ]]; then
    # shellcheck disable=SC2016 # $0 and $@ are the inner shell's arguments
    unshare --mount sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$hosts" "${cmd[@]}" >"$out" 2>&1 || rc=$?
  else
    "${cmd[@]}" >"$out" 2>&1 || rc=$?
  fi
  if ((rc == 0)); then
    printf '  ok    nginx -t (%s)\n' "$label"
  else
    printf '  FAIL  nginx -t (%s):\n' "$label" >&2
    sed 's/^/        /' "$out" >&2
    fails=$((fails + 1))
  fi
}

# --- 1. native values --------------------------------------------------------------------------
STACK_DIR="$WORK/native-stack"
RUN_DIR="$STACK_DIR/run"
# shellcheck source=scripts/stack/nginx.sh
source "$HERE/nginx.sh"
mkdir -p "$NGINX_PREFIX/temp" "$LOG_DIR"
nginx_render "$WORK/native.conf"
nginx_t native "$WORK/native.conf"

# --- 2. compose values ---------------------------------------------------------------------------
# the nginx container's environment, ${VAR:-default} resolved to the defaults
"$PY" - "$PLATFORM_ROOT/compose.yml" >"$WORK/compose-nginx.env" <<'PY'
import re, sys, yaml
env = yaml.safe_load(open(sys.argv[1]))["services"]["nginx"]["environment"]
for k, v in env.items():
    v = re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(v))
    print(f"{k}={v}")
PY
(
  set -a
  # shellcheck disable=SC1091
  source "$WORK/compose-nginx.env"
  set +a
  # files the container keeps in /tmp go to the scratch directory here
  NGINX_PID_FILE="$WORK/compose-prefix/nginx.pid"
  NGINX_TEMP_DIR="$WORK/compose-prefix/temp"
  mkdir -p "$NGINX_TEMP_DIR"
  unset NGINX_LOAD_MODULES
  sh "$PLATFORM_ROOT/nginx/render.sh" "$PLATFORM_ROOT/nginx/nginx.conf.template" "$WORK/compose.conf"
)
mapfile -t upstream_hosts < <(grep -E '^[A-Z_]+_UPSTREAM=' "$WORK/compose-nginx.env" | sed -E 's/^[^=]+=([^:]+):.*/\1/' | sort -u)
{
  cat /etc/hosts
  printf '127.0.0.1 %s\n' "${upstream_hosts[@]}"
} >"$WORK/hosts"
# shellcheck disable=SC2016 # $0 is the inner shell's argument
if unshare --mount sh -c 'mount --bind "$0" /etc/hosts && getent hosts keycloak >/dev/null' "$WORK/hosts" 2>/dev/null; then
  nginx_t compose "$WORK/compose.conf" "$WORK/hosts"
else
  printf '  note  cannot make %s resolvable here (no unshare); checking with them replaced by 127.0.0.1\n' "${upstream_hosts[*]}"
  sed_expr=''
  for h in "${upstream_hosts[@]}"; do sed_expr+="s/server $h:/server 127.0.0.1:/;"; done
  sed -E "$sed_expr" "$WORK/compose.conf" >"$WORK/compose-local.conf"
  nginx_t compose "$WORK/compose-local.conf"
fi

if ((fails)); then
  printf '[check-nginx] %s check(s) failed\n' "$fails" >&2
  exit 1
fi
printf '[check-nginx] nginx/nginx.conf.template passes nginx -t with native and compose values\n'
