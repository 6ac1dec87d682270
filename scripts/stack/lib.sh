# shellcheck shell=bash disable=SC2034 # variables used by the other stack files
# Common helpers of the native stack: paths, logging, timings, processes, waiting.
# Sourced by scripts/platform.sh; not meant to be run.

PLATFORM_ROOT="${PLATFORM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
STACK_DIR="${PLATFORM_STATE_DIR:-$PLATFORM_ROOT/.stack}"
RUN_DIR="$STACK_DIR/run"
LOG_DIR="$STACK_DIR/logs"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/robot-platform"

# ---------------------------------------------------------------------------------------------
# Output

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  _c_red=$'\e[31m' _c_green=$'\e[32m' _c_yellow=$'\e[33m' _c_bold=$'\e[1m' _c_off=$'\e[0m'
else
  _c_red='' _c_green='' _c_yellow='' _c_bold='' _c_off=''
fi

log() { printf '%s[platform]%s %s\n' "$_c_bold" "$_c_off" "$*"; }
ok() { printf '%s[platform]%s %s%s%s\n' "$_c_bold" "$_c_off" "$_c_green" "$*" "$_c_off"; }
warn() { printf '%s[platform] warning:%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
die() {
  printf '%s[platform] error:%s %s\n' "$_c_red" "$_c_off" "$*" >&2
  exit 1
}

# show_log_tail FILE [LINES]: the end of a log, indented, for error messages.
show_log_tail() {
  local file="$1" lines="${2:-25}"
  if [[ -s "$file" ]]; then
    printf '  --- last %s lines of %s ---\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/  | /' >&2
  fi
}

# ---------------------------------------------------------------------------------------------
# Timings: phase_begin NAME ... phase_end; print_timings prints them all.

declare -a _timings=()
_phase_name=''
_phase_t0=0
_run_t0=$(date +%s%N)

_now_ns() { date +%s%N; }
_fmt_secs() { awk -v ns="$1" 'BEGIN { printf "%.1f s", ns / 1e9 }'; }

phase_begin() {
  [[ -n "$_phase_name" ]] && phase_end
  _phase_name="$1"
  _phase_t0=$(_now_ns)
  log "== $1"
}

phase_end() {
  [[ -z "$_phase_name" ]] && return 0
  local dt=$(($(_now_ns) - _phase_t0))
  _timings+=("$_phase_name|$dt")
  _phase_name=''
}

print_timings() {
  phase_end
  local total=$(($(_now_ns) - _run_t0)) entry
  printf '\n%sTimings%s\n' "$_c_bold" "$_c_off"
  for entry in "${_timings[@]}"; do
    printf '  %-44s %10s\n' "${entry%%|*}" "$(_fmt_secs "${entry##*|}")"
  done
  printf '  %-44s %10s\n' "total" "$(_fmt_secs "$total")"
}

# ---------------------------------------------------------------------------------------------
# Processes. stop/status only ever touch processes this stack started, even if a pid was
# recycled: a pid file written by `launch` holds "PID STARTTIME" (start time from /proc), and a
# process is "ours" when that start time matches, or (pid files written by the program itself,
# e.g. postmaster.pid) when its environment carries PLATFORM_STACK_DIR=<state dir> or its working
# directory is inside the state directory.

is_root() { [[ $EUID -eq 0 ]]; }

# read_pid PIDFILE -> pid on stdout, or nothing
read_pid() {
  local f="$1" pid
  [[ -r "$f" ]] || return 1
  read -r pid _ <"$f" || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# proc_starttime PID -> field 22 of /proc/PID/stat (clock ticks since boot)
proc_starttime() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat="${stat##*) }" # drop "pid (comm) " (comm may contain spaces)
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s' "${20}"
}

# pid_is_ours PID [PIDFILE]
pid_is_ours() {
  local pid="$1" pidfile="${2:-}" recorded='' cwd
  [[ -n "$pid" && -d /proc/$pid ]] || return 1
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 1
  if [[ -n "$pidfile" && -r "$pidfile" ]]; then
    read -r _ recorded <"$pidfile" || true
    if [[ -n "$recorded" ]]; then
      # (an explicit status: a bare `return` in a function called from a trap returns the
      # status the trap was entered with)
      if [[ "$(proc_starttime "$pid")" == "$recorded" ]]; then return 0; else return 1; fi
    fi
  fi
  if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "PLATFORM_STACK_DIR=$STACK_DIR"; then
    return 0
  fi
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
  [[ "$cwd" == "$STACK_DIR" || "$cwd" == "$STACK_DIR"/* ]]
}

# running PIDFILE: the process of this pid file is alive and ours
running() {
  local pid
  pid=$(read_pid "$1") || return 1
  pid_is_ours "$pid" "$1"
}

# launch LOGFILE PIDFILE CMD...: start CMD in its own session (so that it survives this shell
# and can be stopped as a process group), stdout/stderr appended to LOGFILE, pid to PIDFILE.
launch() {
  local logfile="$1" pidfile="$2"
  shift 2
  # the command line, with the values of NAME=value arguments (secrets) left out
  local arg shown=()
  for arg in "$@"; do
    if [[ "$arg" =~ ^([A-Za-z_][A-Za-z0-9_]*)= ]]; then shown+=("${BASH_REMATCH[1]}=…"); else shown+=("$arg"); fi
  done
  printf '\n==== %s: %s\n' "$(date -Is)" "${shown[*]}" >>"$logfile"
  # Open files: the soft limit up to the hard one (1024 by default on many hosts, while a tracker
  # costs the ingest a socket and nginx two); the process inherits it.
  ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
  # fd 8 is the stack's lock (platform.sh): the long-running processes must not inherit it
  PLATFORM_STACK_DIR="$STACK_DIR" setsid "$@" >>"$logfile" 2>&1 </dev/null 8>&- &
  local pid=$!
  echo "$pid $(proc_starttime "$pid")" >"$pidfile"
}

# rotate_logs DIR: each log over LOG_ROTATE_MB (default 100) becomes NAME.log.1, replacing the one
# before, so a stack started and stopped for months keeps at most two of each. Run after a stop:
# a process still writing would go on writing into the .1.
rotate_logs() {
  local limit=$((${LOG_ROTATE_MB:-100} * 1024 * 1024)) file
  for file in "$1"/*.log; do
    [[ -f "$file" ]] || continue
    if (($(stat -c %s "$file") > limit)); then
      mv -f "$file" "$file.1"
      log "rotated $(basename "$file") (over ${LOG_ROTATE_MB:-100} MB) to $(basename "$file").1"
    fi
  done
}

# stop_pid NAME PID [TIMEOUT_S] [GROUP=1]: SIGTERM (the whole process group if GROUP=1 and the
# pid leads one), wait, then SIGKILL.
stop_pid() {
  local name="$1" pid="$2" timeout="${3:-20}" group="${4:-1}" target i
  target="$pid"
  if [[ "$group" == 1 ]] && [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
    target="-$pid"
  fi
  kill -TERM -- "$target" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  warn "$name (pid $pid) did not stop within ${timeout}s; sending SIGKILL"
  kill -KILL -- "$target" 2>/dev/null || true
  sleep 0.2
}

# stop_pidfile NAME PIDFILE [TIMEOUT_S]: stop the process of PIDFILE if it is ours.
stop_pidfile() {
  local name="$1" pidfile="$2" timeout="${3:-20}" pid
  if pid=$(read_pid "$pidfile") && pid_is_ours "$pid" "$pidfile"; then
    log "stopping $name (pid $pid)"
    stop_pid "$name" "$pid" "$timeout"
  fi
  rm -f "$pidfile"
}

# ---------------------------------------------------------------------------------------------
# Network and waiting

# port_open PORT [HOST]: something accepts TCP connections there
port_open() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# ensure_port_free NAME PORT: fail clearly if a foreign process holds the port
ensure_port_free() {
  local name="$1" port="$2"
  if port_open "$port"; then
    local who=''
    who=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n1 || true)
    die "$name: port $port on 127.0.0.1 is already in use by something this stack did not start${who:+ ($who)}. Stop it, or choose another port (see docs/runbooks/native-stack.md, 'Ports')."
  fi
}

# http_code URL [curl args...] -> HTTP status (000 if unreachable)
http_code() {
  local url="$1"
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" "$url" 2>/dev/null || true
}

# wait_for DESC TIMEOUT_S LOGFILE PIDFILE CMD...: poll CMD until it succeeds. Fails (returns 1,
# after printing the log's tail) on timeout or when the process of PIDFILE (if given) is gone.
wait_for() {
  local desc="$1" timeout="$2" logfile="$3" pidfile="$4"
  shift 4
  local deadline=$(($(date +%s) + timeout))
  while true; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if [[ -n "$pidfile" ]] && ! running "$pidfile"; then
      printf '%s[platform] error:%s %s: the process exited before it was ready; see %s\n' \
        "$_c_red" "$_c_off" "$desc" "$logfile" >&2
      show_log_tail "$logfile"
      return 1
    fi
    if (($(date +%s) >= deadline)); then
      printf '%s[platform] error:%s %s: not ready after %ss; see %s\n' \
        "$_c_red" "$_c_off" "$desc" "$timeout" "$logfile" >&2
      show_log_tail "$logfile"
      return 1
    fi
    sleep 0.5
  done
}

# http_ok URL: 2xx
http_ok() {
  [[ "$(http_code "$1")" == 2* ]]
}

# ---------------------------------------------------------------------------------------------
# Misc

# run_privileged CMD...: as root directly, otherwise through sudo (apt only).
run_privileged() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' (no sudo found). Install the missing packages by hand."
  fi
}

# sha256 of stdin
sha256() { sha256sum | cut -d' ' -f1; }

ensure_state_dirs() {
  mkdir -p "$STACK_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 0755 "$STACK_DIR" "$RUN_DIR" "$LOG_DIR"
}
