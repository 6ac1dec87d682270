#!/usr/bin/env bash
# Writes package-lock.json from package.json alone, in an empty folder, and proves `npm ci`
# accepts it there. npm resolving next to an existing node_modules leaves out other platforms'
# optional packages (e.g. @unrs/resolver-binding-*), and `npm ci` then refuses its own lock.
#   bash scripts/stack/regenerate-lock.sh        (then commit package-lock.json)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$HERE/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$HERE/config.sh"
# shellcheck source=scripts/stack/deps.sh
source "$HERE/deps.sh"

ensure_node
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$PLATFORM_ROOT/package.json" "$work/"
log "resolving package.json from nothing in $work"
(cd "$work" && npm install --package-lock-only --no-audit --no-fund >/dev/null) || die "npm could not resolve package.json"
log "checking that npm ci accepts the new lock"
(cd "$work" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null) || die "npm ci refused the lock it just wrote"
cp "$work/package-lock.json" "$PLATFORM_ROOT/package-lock.json"
ok "package-lock.json regenerated; run 'npm ci' and commit it"
