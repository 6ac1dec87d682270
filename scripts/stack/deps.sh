# shellcheck shell=bash
# Everything the native stack needs on the machine: Debian packages, Node 24, the Keycloak
# distribution (Maven Central) and the Chroma CLI (npm). Downloads are cached in $CACHE_DIR.
# Sourced by scripts/platform.sh.

_apt_updated=0

# pg_bindir -> directory of the newest installed PostgreSQL server binaries (or PG_BINDIR)
pg_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    printf '%s' "$PG_BINDIR"
    return 0
  fi
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  [[ -n "$d" && -x "$d/initdb" ]] || return 1
  printf '%s' "$d"
}

# nginx_stream_ok: nginx has the stream module built in, or Debian's dynamic module is installed
nginx_stream_ok() {
  local v
  v=$(nginx -V 2>&1) || return 1
  if grep -q -- '--with-stream=dynamic' <<<"$v"; then
    [[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]]
  else
    grep -q -- '--with-stream' <<<"$v"
  fi
}

java_ok() {
  command -v java >/dev/null 2>&1 || return 1
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ "${v%%.*}" =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17))
}

apt_install() {
  if ((!_apt_updated)); then
    log "apt-get update"
    run_privileged env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _apt_updated=1
  fi
  log "apt-get install $*"
  run_privileged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOG_DIR/apt.log" 2>&1 || {
    show_log_tail "$LOG_DIR/apt.log"
    die "apt-get install $* failed; see $LOG_DIR/apt.log"
  }
}

# ensure_system_packages [with_services]: install whatever Debian packages are missing.
# Note: on a machine with systemd, Debian's postinst scripts start the packages' own system
# services (postgresql on 5432, redis on 6379, nginx on 80). This stack never uses or stops them.
ensure_system_packages() {
  local -a want=()
  pg_bindir >/dev/null || want+=(postgresql)
  command -v psql >/dev/null 2>&1 || want+=(postgresql-client)
  command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || want+=(redis-tools)
  if ! command -v nginx >/dev/null 2>&1; then
    want+=(nginx libnginx-mod-stream)
  elif ! nginx_stream_ok; then
    want+=(libnginx-mod-stream)
  fi
  command -v envsubst >/dev/null 2>&1 || want+=(gettext-base)
  java_ok || want+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || want+=(maven)
  command -v unzip >/dev/null 2>&1 || want+=(unzip)
  command -v curl >/dev/null 2>&1 || want+=(curl)
  command -v openssl >/dev/null 2>&1 || want+=(openssl)
  command -v ss >/dev/null 2>&1 || want+=(iproute2)
  command -v setsid >/dev/null 2>&1 || want+=(util-linux)
  command -v flock >/dev/null 2>&1 || want+=(util-linux)
  # test tooling: shell scripts are linted, the API fuzzer (Schemathesis) runs in a Python venv
  command -v shellcheck >/dev/null 2>&1 || want+=(shellcheck)
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || want+=(python3 python3-venv)
  if ((${#want[@]})); then
    # de-duplicate
    mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)
    apt_install "${want[@]}"
  fi
  pg_bindir >/dev/null || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (set PG_BINDIR)"
  nginx_stream_ok || die "nginx has no stream module (install libnginx-mod-stream)"
  java_ok || die "Keycloak needs Java 17 or newer on PATH"
  if is_root && ! id postgres >/dev/null 2>&1; then
    die "running as root, PostgreSQL must run as the 'postgres' system user, which does not exist (install postgresql-common)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Node 24

_version_ge() { # _version_ge A B: A >= B (dotted numbers)
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$2" ]]
}

ensure_node() {
  local current=''
  current=$(node -p 'process.versions.node' 2>/dev/null || true)
  if [[ -n "$current" ]] && _version_ge "$current" "$NODE_MIN_VERSION"; then
    return 0
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no node-linux-* package for $(uname -m); install Node >= $NODE_MIN_VERSION yourself" ;;
  esac
  local dir="$CACHE_DIR/node-$NODE_VERSION"
  if [[ ! -x "$dir/package/bin/node" ]]; then
    command -v npm >/dev/null 2>&1 || die "npm is needed to fetch Node $NODE_VERSION (node-linux-$arch from the npm registry)"
    log "fetching Node $NODE_VERSION (npm pack node-linux-$arch@$NODE_VERSION) into $dir"
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    (cd "$dir.partial" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null) ||
      die "npm pack node-linux-$arch@$NODE_VERSION failed"
    tar -xzf "$dir.partial/node-linux-$arch-"*.tgz -C "$dir.partial"
    rm -f "$dir.partial/node-linux-$arch-"*.tgz
    [[ -x "$dir.partial/package/bin/node" ]] || die "the node-linux-$arch package has no package/bin/node"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
  fi
  export PATH="$dir/package/bin:$PATH"
  current=$(node -p 'process.versions.node')
  _version_ge "$current" "$NODE_MIN_VERSION" || die "node on PATH is $current after installing $NODE_VERSION"
  command -v npm >/dev/null 2>&1 || die "npm not found (the node-linux package has none; install Debian's npm or Node.js)"
}

# ---------------------------------------------------------------------------------------------
# Keycloak: the distribution zip from Maven Central, unpacked and `kc.sh build`-ed once per
# (version, build options) in the cache. Per checkout, .stack/keycloak/home links to it and keeps
# its own conf/ and data/ (see keycloak.sh).

KEYCLOAK_BUILD_OPTIONS=(--db=postgres --health-enabled=true --http-relative-path=/keycloak)

keycloak_dist_dir() {
  local fp
  fp=$(printf '%s\n' "$KEYCLOAK_VERSION" "${KEYCLOAK_BUILD_OPTIONS[@]}" | sha256 | cut -c1-12)
  printf '%s' "$CACHE_DIR/keycloak-$KEYCLOAK_VERSION-$fp"
}

ensure_keycloak_dist() {
  local dist zip repo
  dist=$(keycloak_dist_dir)
  [[ -f "$dist/.platform-built" ]] && return 0
  mkdir -p "$CACHE_DIR"
  (
    flock -w 900 9 || die "timed out waiting for the lock on $CACHE_DIR/keycloak.lock"
    [[ -f "$dist/.platform-built" ]] && exit 0
    repo="$CACHE_DIR/maven"
    zip="$repo/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
    if [[ ! -f "$zip" ]]; then
      log "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip from Maven Central (mvn)"
      mvn -B -q -Dmaven.repo.local="$repo" "$MAVEN_DEPENDENCY_PLUGIN:get" \
        -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -Dtransitive=false \
        >>"$LOG_DIR/keycloak-fetch.log" 2>&1 || {
        show_log_tail "$LOG_DIR/keycloak-fetch.log"
        die "could not fetch Keycloak $KEYCLOAK_VERSION; see $LOG_DIR/keycloak-fetch.log"
      }
    fi
    log "unpacking Keycloak $KEYCLOAK_VERSION into $dist"
    rm -rf "$dist" "$dist.partial"
    mkdir -p "$dist.partial"
    unzip -q "$zip" -d "$dist.partial"
    mv "$dist.partial/keycloak-$KEYCLOAK_VERSION" "$dist"
    rm -rf "$dist.partial"
    log "kc.sh build ${KEYCLOAK_BUILD_OPTIONS[*]} (once per version/options; slow)"
    "$dist/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTIONS[@]}" >>"$LOG_DIR/keycloak-build.log" 2>&1 || {
      show_log_tail "$LOG_DIR/keycloak-build.log"
      die "kc.sh build failed; see $LOG_DIR/keycloak-build.log"
    }
    printf '%s\n' "${KEYCLOAK_BUILD_OPTIONS[@]}" >"$dist/.platform-built"
  ) 9>"$CACHE_DIR/keycloak.lock"
}

# ---------------------------------------------------------------------------------------------
# Chroma: the chromadb npm package's `chroma run` CLI, in its own prefix (never the project's
# node_modules), with the native binding pinned to a build that runs on Debian 12's glibc 2.36.

chroma_dir() {
  printf '%s' "$CACHE_DIR/chroma-$CHROMA_NPM_VERSION-binding-$CHROMA_BINDING_VERSION"
}

chroma_cli() {
  printf '%s' "$(chroma_dir)/node_modules/chromadb/dist/cli.mjs"
}

ensure_chroma_cli() {
  local dir
  dir=$(chroma_dir)
  [[ -f "$dir/.platform-installed" ]] && return 0
  mkdir -p "$CACHE_DIR"
  (
    flock -w 600 9 || die "timed out waiting for the lock on $CACHE_DIR/chroma.lock"
    [[ -f "$dir/.platform-installed" ]] && exit 0
    log "installing chromadb@$CHROMA_NPM_VERSION with chromadb-js-bindings-linux-x64-gnu@$CHROMA_BINDING_VERSION into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    cat >"$dir/package.json" <<EOF
{
  "name": "robot-platform-chroma-cli",
  "private": true,
  "description": "Chroma server CLI for the native stack (scripts/stack/deps.sh)",
  "dependencies": { "chromadb": "$CHROMA_NPM_VERSION" },
  "overrides": { "chromadb-js-bindings-linux-x64-gnu": "$CHROMA_BINDING_VERSION" }
}
EOF
    (cd "$dir" && npm install --no-audit --no-fund --omit=dev) >>"$LOG_DIR/chroma-install.log" 2>&1 || {
      show_log_tail "$LOG_DIR/chroma-install.log"
      die "npm install of the Chroma CLI failed; see $LOG_DIR/chroma-install.log"
    }
    local got
    got=$(node -p "require('$dir/node_modules/chromadb-js-bindings-linux-x64-gnu/package.json').version" 2>/dev/null || true)
    [[ "$got" == "$CHROMA_BINDING_VERSION" ]] ||
      die "Chroma native binding is '$got', expected $CHROMA_BINDING_VERSION (newer builds need glibc 2.38+)"
    touch "$dir/.platform-installed"
  ) 9>"$CACHE_DIR/chroma.lock"
}
