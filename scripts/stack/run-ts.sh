# shellcheck shell=bash
# run_ts FILE [ARGS...]: runs one of the repo's TypeScript entry points with tsx (tsconfig paths
# included), after installing what is missing: Node 24 and node_modules (npm ci). Everything the
# setup prints goes to stderr, so a tool's stdout stays its own. Sourced by the tool wrappers.

HERE_RUN_TS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="${PLATFORM_ROOT:-$(cd "$HERE_RUN_TS/../.." && pwd)}"
# shellcheck source=scripts/stack/lib.sh
source "$HERE_RUN_TS/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$HERE_RUN_TS/config.sh"
# shellcheck source=scripts/stack/deps.sh
source "$HERE_RUN_TS/deps.sh"
# shellcheck source=scripts/stack/app.sh
source "$HERE_RUN_TS/app.sh"

run_ts() {
  local file="$1"
  shift
  ensure_node >&2
  if ! node_modules_current; then
    # (a subshell: npm ci runs in the repo root, the tool keeps the caller's directory)
    (
      ensure_state_dirs
      ensure_npm_ci
    ) >&2
  fi
  exec "$PLATFORM_ROOT/node_modules/.bin/tsx" --tsconfig "$PLATFORM_ROOT/tsconfig.base.json" "$file" "$@"
}
