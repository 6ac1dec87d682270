#!/bin/sh
# Renders nginx/nginx.conf.template into a complete nginx.conf. POSIX sh: runs on the host
# (native stack, checks) and inside the official nginx image (compose).
#
#   render.sh TEMPLATE OUTPUT
#
# Only the variables below are substituted; every one must be set (empty is allowed only for
# NGINX_LOAD_MODULES, which is computed when unset: Debian builds the stream module as a dynamic
# module, the official image has it built in).
set -eu

VARS="NGINX_LOAD_MODULES NGINX_PID_FILE NGINX_ERROR_LOG NGINX_ACCESS_LOG NGINX_STREAM_ACCESS_LOG
NGINX_TEMP_DIR NGINX_STATIC_ROOT GATEWAY_LISTEN TRACKER_LISTEN
BASE_UPSTREAM STORE_UPSTREAM FACE_UPSTREAM DELIVERY_UPSTREAM TELEMATICS_UPSTREAM
TELEMATICS_TRACKER_UPSTREAM KEYCLOAK_UPSTREAM AUTH_RATE_LIMIT AUTH_RATE_BURST
KEYCLOAK_ADMIN_ACCESS"

if [ "$#" -ne 2 ]; then
  echo "usage: $0 TEMPLATE OUTPUT" >&2
  exit 2
fi

if [ -z "${NGINX_LOAD_MODULES+x}" ]; then
  NGINX_LOAD_MODULES=''
  if nginx -V 2>&1 | grep -q -- '--with-stream=dynamic'; then
    for m in /usr/lib/nginx/modules/ngx_stream_module.so /usr/lib64/nginx/modules/ngx_stream_module.so \
      /etc/nginx/modules/ngx_stream_module.so /usr/share/nginx/modules/ngx_stream_module.so; do
      if [ -f "$m" ]; then
        NGINX_LOAD_MODULES="load_module $m;"
        break
      fi
    done
    if [ -z "$NGINX_LOAD_MODULES" ]; then
      echo "render.sh: nginx has a dynamic stream module but ngx_stream_module.so was not found (Debian: apt-get install libnginx-mod-stream)" >&2
      exit 1
    fi
  fi
fi
export NGINX_LOAD_MODULES

# KEYCLOAK_ADMIN_ALLOW (addresses or CIDRs, space-separated) becomes the allow/deny rules of
# Keycloak's admin console and master realm at the gateway; only address characters pass.
KEYCLOAK_ADMIN_ACCESS=''
for address in ${KEYCLOAK_ADMIN_ALLOW:-}; do
  case "$address" in
  *[!0-9A-Fa-f:./]*)
    echo "render.sh: KEYCLOAK_ADMIN_ALLOW: not an address or CIDR: $address" >&2
    exit 1
    ;;
  esac
  KEYCLOAK_ADMIN_ACCESS="${KEYCLOAK_ADMIN_ACCESS}allow $address; "
done
KEYCLOAK_ADMIN_ACCESS="${KEYCLOAK_ADMIN_ACCESS}deny all;"
export KEYCLOAK_ADMIN_ACCESS

missing=''
shell_format=''
for v in $VARS; do
  if [ "$v" != NGINX_LOAD_MODULES ]; then
    eval "val=\${$v:-}"
    [ -n "$val" ] || missing="$missing $v"
  fi
  export "${v?}"
  shell_format="$shell_format \${$v}"
done
if [ -n "$missing" ]; then
  echo "render.sh: not set:$missing" >&2
  exit 1
fi

tmp="$2.tmp.$$"
envsubst "$shell_format" <"$1" >"$tmp"
mv -f "$tmp" "$2"
