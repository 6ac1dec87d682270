#!/usr/bin/env bash
# The Prometheus alert rules in ops/prometheus/ are checked (syntax, PromQL) and unit-tested
# (`<rules>.test.yml`: series in, the alerts that must and must not fire out) with promtool, taken
# from Debian's `prometheus` package without installing it (its postinst would start a server):
# the .deb is downloaded and only /usr/bin/promtool is kept, in the stack's cache.
#
#   bash scripts/test/alert-rules.sh
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$PLATFORM_ROOT/scripts/stack/lib.sh"

# Debian 12's package; another release's is taken (and named) when this one is not served.
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1

ensure_promtool() {
  if command -v promtool >/dev/null 2>&1; then
    PROMTOOL=$(command -v promtool)
    return 0
  fi
  PROMTOOL="$CACHE_DIR/promtool-$PROMETHEUS_DEB_VERSION/promtool"
  [[ -x "$PROMTOOL" ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "promtool is not installed and there is no apt-get to fetch it"
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the directory of this call
  trap "rm -rf '$work'" RETURN
  log "fetching promtool (Debian prometheus $PROMETHEUS_DEB_VERSION, unpacked, not installed)"
  if ! (cd "$work" && apt-get download -qq "prometheus=$PROMETHEUS_DEB_VERSION" >/dev/null 2>&1); then
    (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1) || {
      run_privileged env DEBIAN_FRONTEND=noninteractive apt-get update -qq
      (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1)
    } || die "apt-get download prometheus failed"
    PROMTOOL="$CACHE_DIR/promtool-$(dpkg-deb -f "$work"/prometheus_*.deb Version)/promtool"
    warn "prometheus $PROMETHEUS_DEB_VERSION is not served; using $(dpkg-deb -f "$work"/prometheus_*.deb Version)"
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$(dirname "$PROMTOOL")"
  install -m 0755 "$work/root/usr/bin/promtool" "$PROMTOOL"
}

ensure_promtool
log "$("$PROMTOOL" --version 2>&1 | head -n1)"
shopt -s nullglob
rules=() tests=()
for file in "$PLATFORM_ROOT"/ops/prometheus/*.yml; do
  if [[ "$file" == *.test.yml ]]; then tests+=("$file"); else rules+=("$file"); fi
done
((${#rules[@]})) || die "no rule files in ops/prometheus"
for file in "${rules[@]}"; do
  [[ -f "${file%.yml}.test.yml" ]] || die "$(basename "$file") has no unit tests (${file%.yml}.test.yml)"
done
"$PROMTOOL" check rules "${rules[@]}"
# Rule files in the tests are named relative to the test file.
(cd "$PLATFORM_ROOT/ops/prometheus" && "$PROMTOOL" test rules "${tests[@]##*/}")
ok "alert rules checked and their unit tests pass"
