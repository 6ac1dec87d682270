# shellcheck shell=bash
# PostgreSQL of the native stack: our own cluster in .stack/pg (never the system's), listening on
# 127.0.0.1:$POSTGRES_PORT (scram) and a socket in .stack/run/pg. The superuser `postgres` logs in
# over the socket by peer authentication (mapped from the invoking OS user), so the stack can
# always (re)apply roles and passwords without knowing the old ones.
# Sourced by scripts/platform.sh.

PG_DATA="$STACK_DIR/pg"
PG_SOCKET_DIR="$RUN_DIR/pg"
PG_LOG="$LOG_DIR/postgres.log"

# OS user the server runs as: PostgreSQL refuses to run as root.
pg_os_user() {
  if is_root; then echo postgres; else id -un; fi
}

# pg_as_owner CMD...: run CMD as the server's OS user
pg_as_owner() {
  if is_root; then
    runuser -u postgres -- env PLATFORM_STACK_DIR="$STACK_DIR" "$@"
  else
    env PLATFORM_STACK_DIR="$STACK_DIR" "$@"
  fi
}

# A checkout under a private directory (mktemp -d makes 0700 ones) hides .stack from the postgres
# user; let it traverse (not list) the ancestors, as a system package's data directory would.
_pg_grant_traversal() {
  is_root || return 0
  local dir="$STACK_DIR"
  while [[ "$dir" != "/" ]]; do
    if ! runuser -u postgres -- test -x "$dir"; then
      log "letting the postgres user traverse $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

# psql_admin ARGS...: psql as superuser over the socket (peer auth)
psql_admin() {
  PGHOST="$PG_SOCKET_DIR" PGPORT="$POSTGRES_PORT" PGUSER=postgres PGDATABASE=postgres \
    psql -X -q -v ON_ERROR_STOP=1 "$@"
}

postgres_running() {
  running "$PG_DATA/postmaster.pid"
}

postgres_ready() {
  "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -d postgres
}

_pg_write_config() {
  local owner
  owner=$(pg_os_user)
  cat >"$PG_DATA/platform.conf" <<EOF
# Written by scripts/stack/postgres.sh on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $POSTGRES_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
unix_socket_permissions = 0777
password_encryption = scram-sha-256
max_connections = 200
$(printf '%s\n' "${POSTGRES_SETTINGS[@]}" | sed 's/=/ = /')
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
  grep -qxF "include_if_exists = 'platform.conf'" "$PG_DATA/postgresql.conf" ||
    echo "include_if_exists = 'platform.conf'" >>"$PG_DATA/postgresql.conf"
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# Written by scripts/stack/postgres.sh on every start; edits are overwritten.
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 peer map=platform_admin
local   all       all                      scram-sha-256
host    all       all       127.0.0.1/32   scram-sha-256
EOF
  {
    echo "# Written by scripts/stack/postgres.sh: OS users allowed to log in as the superuser over the socket"
    echo "platform_admin  $owner  postgres"
    [[ "$(id -un)" != "$owner" ]] && echo "platform_admin  $(id -un)  postgres"
  } >"$PG_DATA/pg_ident.conf"
  if is_root; then
    chown postgres:postgres "$PG_DATA/platform.conf" "$PG_DATA/pg_hba.conf" "$PG_DATA/pg_ident.conf"
  fi
  chmod 0600 "$PG_DATA/platform.conf" "$PG_DATA/pg_hba.conf" "$PG_DATA/pg_ident.conf"
}

_pg_initdb() {
  local bindir pwfile
  bindir=$(pg_bindir)
  log "initdb $PG_DATA ($("$bindir/postgres" --version))"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  chmod 0700 "$PG_DATA"
  pwfile=$(mktemp "$RUN_DIR/.pgpw.XXXXXX")
  printf '%s\n' "$POSTGRES_SUPERUSER_PASSWORD" >"$pwfile"
  if is_root; then
    chown postgres:postgres "$PG_DATA" "$pwfile"
  fi
  chmod 0600 "$pwfile"
  if ! pg_as_owner "$bindir/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions \
    >>"$PG_LOG" 2>&1; then
    rm -f "$pwfile"
    show_log_tail "$PG_LOG"
    die "initdb failed; see $PG_LOG"
  fi
  rm -f "$pwfile"
}

# postgres_start [test]: init the cluster if needed, start it, apply roles. "test" turns off
# durability (fsync etc.) for speed; only used by `platform.sh test`.
postgres_start() {
  local mode="${1:-}" bindir
  bindir=$(pg_bindir)
  mkdir -p "$PG_SOCKET_DIR"
  touch "$PG_LOG"
  if is_root; then
    chown postgres:postgres "$PG_SOCKET_DIR" "$PG_LOG"
  fi
  if postgres_running; then
    log "postgres already running (pid $(read_pid "$PG_DATA/postmaster.pid")) on 127.0.0.1:$POSTGRES_PORT"
  else
    _pg_grant_traversal
    [[ -f "$PG_DATA/PG_VERSION" ]] || _pg_initdb
    local major
    major=$("$bindir/postgres" --version | sed -E 's/.*\(PostgreSQL\) ([0-9]+).*/\1/')
    if [[ "$(cat "$PG_DATA/PG_VERSION")" != "$major" ]]; then
      die "$PG_DATA was created by PostgreSQL $(cat "$PG_DATA/PG_VERSION"), the binaries are $bindir. Remove $PG_DATA (data is lost) or set PG_BINDIR."
    fi
    ensure_port_free postgres "$POSTGRES_PORT"
    _pg_write_config
    local opts=''
    if [[ "$mode" == test ]]; then
      opts='-c fsync=off -c synchronous_commit=off -c full_page_writes=off'
      log "postgres: durability off for the test run (fsync, synchronous_commit, full_page_writes)"
    fi
    log "starting postgres on 127.0.0.1:$POSTGRES_PORT (data $PG_DATA, log $PG_LOG)"
    if ! pg_as_owner setsid "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$POSTGRES_READY_TIMEOUT" \
      ${opts:+-o "$opts"} start >/dev/null 8>&-; then
      show_log_tail "$PG_LOG"
      die "postgres did not start; see $PG_LOG"
    fi
  fi
  wait_for "postgres" "$POSTGRES_READY_TIMEOUT" "$PG_LOG" "" postgres_ready || die "postgres is not ready"
  postgres_apply_roles
}

postgres_apply_roles() {
  PGHOST="$PG_SOCKET_DIR" PGPORT="$POSTGRES_PORT" PGUSER=postgres \
    sh "$PLATFORM_ROOT/scripts/db/init-roles.sh" >>"$PG_LOG" 2>&1 || {
    show_log_tail "$PG_LOG"
    die "scripts/db/init-roles.sh failed; see $PG_LOG"
  }
}

postgres_stop() {
  if postgres_running; then
    log "stopping postgres (pid $(read_pid "$PG_DATA/postmaster.pid"))"
    pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null ||
      warn "pg_ctl stop failed; see $PG_LOG"
  fi
}
