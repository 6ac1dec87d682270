#!/usr/bin/env bash
# Runs the reference device client with Node >= 24 (native type stripping) plus the repo's
# tsconfig-paths resolve hook. Usage: scripts/device-client/run.sh --help
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node --import "${here}/../node-ts-paths.mjs" "${here}/cli.ts" "$@"
