#!/usr/bin/env bash
# Property-based API fuzzing of every service from its own OpenAPI document, through the gateway
# of the running native stack, with Schemathesis (PyPI, pinned, in a venv in the stack's cache).
# Checks: no 5xx, status codes and bodies (and content types) as documented, a request the document
# forbids is refused (negative_data_rejection: the document says all that validation enforces),
# a method a path does not take is a 405 naming the allowed ones (unsupported_method), and a route
# that needs credentials refuses a missing or a wrong one (ignored_auth). A Keycloak admin token
# and a robot's device session (scripts/test/api-fuzz-credentials.ts) let it reach the handlers.
#
#   bash scripts/test/api-fuzz.sh [SERVICE...]       (default: every service in services/services.tsv)
#
# Environment: API_FUZZ_MAX_EXAMPLES (per operation, default 15), API_FUZZ_MAX_SECONDS (per
# service, default 25), API_FUZZ_SEED (default: fixed under CI=true, random otherwise; printed for reproduction),
# API_FUZZ_CHECKS (default the checks above; `all` adds the rest, e.g. positive_data_acceptance,
# which also flags what only the handler can refuse: docs/testing.md lists those).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PLATFORM_ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/stack/lib.sh
source "$PLATFORM_ROOT/scripts/stack/lib.sh"
# shellcheck source=scripts/stack/config.sh
source "$PLATFORM_ROOT/scripts/stack/config.sh"
# shellcheck source=scripts/stack/services.sh
source "$PLATFORM_ROOT/scripts/stack/services.sh"

SCHEMATHESIS_VERSION=4.32.5
VENV="$CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
GATEWAY="${GATEWAY_URL:-http://127.0.0.1:$GATEWAY_PORT}"
MAX_EXAMPLES="${API_FUZZ_MAX_EXAMPLES:-15}"
MAX_SECONDS="${API_FUZZ_MAX_SECONDS:-25}"
CHECKS="${API_FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,unsupported_method,ignored_auth}"
# CI fuzzes with one fixed seed, so a red run can be replayed and a green one is not luck;
# elsewhere each run explores new examples (the seed is printed either way).
if [[ "${CI:-}" == true ]]; then
  SEED="${API_FUZZ_SEED:-20261204}"
else
  SEED="${API_FUZZ_SEED:-$RANDOM$RANDOM}"
fi

ensure_schemathesis() {
  [[ -x "$VENV/bin/st" ]] && return 0
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" || {
    rm -rf "$VENV"
    die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
  }
}

credentials() { # credentials setup|teardown ARGS...
  (cd "$PLATFORM_ROOT" && npx tsx --tsconfig tsconfig.base.json scripts/test/api-fuzz-credentials.ts "$@")
}

main() {
  local -a services=("$@")
  ((${#services[@]})) || services=("${PLATFORM_SERVICES[@]}")
  ensure_schemathesis
  local work
  work=$(mktemp -d)
  # the gateway rate-limits /auth (a previous run may have spent the budget): retry a few times
  local attempt
  for attempt in 1 2 3 4 5 6; do
    credentials setup >"$work/credentials.sh" && break
    ((attempt < 6)) || die "could not create the fuzzer's credentials"
    sleep 5
  done
  # shellcheck disable=SC1091
  source "$work/credentials.sh"
  # shellcheck disable=SC2064 # expand now: the ids are known
  trap "credentials teardown '$FUZZ_ENGINEER_ID' '$FUZZ_DEVICE_ID' >/dev/null || true; rm -rf '$work'" EXIT
  # bearer tokens per OpenAPI security scheme, as libs/runtime names them
  cat >"$work/schemathesis.toml" <<'EOF'
[auth.openapi.keycloak]
bearer = "${FUZZ_KEYCLOAK_TOKEN}"

[auth.openapi.device]
bearer = "${FUZZ_DEVICE_TOKEN}"

# A documented 503 naming what is down (a service whose RPC pattern is not there yet, say) is
# the platform answering as designed; 500, 502 and 504 still fail.
[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "503"]

# Schemathesis feeds ids it read in responses back into other operations. The device listings
# show the fuzzer's own robot: fed to these it was disabled and deleted within 20 s, and every
# device route after that was fuzzed only at its 401. Random ids still reach their validation
# and 404s; the listings and reads keep the real ids.
# A multipart body with no part is the documented "remove my face"; Schemathesis sends one as its
# serialisation of an "invalid" (non-object) body and flags the 200 (it cannot send the string).
[[operations]]
include-path-regex = '/frontend/faces$'
include-method-regex = '^POST$'
checks.negative_data_rejection.enabled = false

[[operations]]
include-path-regex = '/admin/(devices|robots)/[{]'
include-method-regex = '^(DELETE|POST|PUT)$'
phases.examples.extra-data-sources.responses = false
phases.coverage.extra-data-sources.responses = false
phases.fuzzing.extra-data-sources.responses = false
EOF
  export FUZZ_KEYCLOAK_TOKEN FUZZ_DEVICE_TOKEN
  log "fuzzing ${services[*]} through $GATEWAY (seed $SEED, $MAX_EXAMPLES examples per operation, ${MAX_SECONDS}s per service)"
  local svc failed=()
  for svc in "${services[@]}"; do
    is_service "$svc" || die "unknown service: $svc"
    local prefix started
    prefix=$(svc_prefix "$svc")
    started=$SECONDS
    if "$VENV/bin/st" --config-file "$work/schemathesis.toml" --no-color run \
      "$GATEWAY$prefix/docs/openapi.json" --url "$GATEWAY" \
      --checks "$CHECKS" \
      --phases examples,coverage,fuzzing --max-examples "$MAX_EXAMPLES" --max-time "$MAX_SECONDS" \
      --seed "$SEED" --workers 1 --request-timeout 10 --generation-database none \
      --suppress-health-check all --warnings off \
      --exclude-path-regex '/v[0-9]+/auth/(robot|store|locker|\{kind\})/logout$' \
      >"$work/$svc.log" 2>&1; then
      ok "$svc: no failures ($((SECONDS - started))s)"
    else
      failed+=("$svc")
      cp "$work/$svc.log" "$LOG_DIR/api-fuzz-$svc.log"
      sed -n '/FAILURES/,$p' "$work/$svc.log" | tail -n 120 >&2
      warn "$svc: the fuzzer found failures ($((SECONDS - started))s; seed $SEED)"
    fi
  done
  ((${#failed[@]} == 0)) || die "API fuzzing failed for: ${failed[*]} (reproduce: API_FUZZ_SEED=$SEED bash scripts/test/api-fuzz.sh ${failed[*]})"
}

main "$@"
