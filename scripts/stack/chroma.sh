# shellcheck shell=bash
# ChromaDB of the native stack: `chroma run` from the chromadb npm package (installed in the cache
# by deps.sh), data in .stack/chroma, on 127.0.0.1:$CHROMA_PORT. It serves the v2 API only
# (/api/v1/* answers 410).
# Sourced by scripts/platform.sh.

CHROMA_DATA="$STACK_DIR/chroma"
CHROMA_PID="$RUN_DIR/chroma.pid"
CHROMA_LOG="$LOG_DIR/chroma.log"

chroma_running() { running "$CHROMA_PID"; }

chroma_ready() {
  http_ok "http://127.0.0.1:$CHROMA_PORT/api/v2/heartbeat"
}

chroma_start() {
  mkdir -p "$CHROMA_DATA"
  if chroma_running; then
    log "chroma already running (pid $(read_pid "$CHROMA_PID")) on 127.0.0.1:$CHROMA_PORT"
  else
    ensure_port_free chroma "$CHROMA_PORT"
    log "starting chroma on 127.0.0.1:$CHROMA_PORT (data $CHROMA_DATA, log $CHROMA_LOG)"
    ANONYMIZED_TELEMETRY=False NO_COLOR=1 \
      launch "$CHROMA_LOG" "$CHROMA_PID" node "$(chroma_cli)" run \
      --host 127.0.0.1 --port "$CHROMA_PORT" --path "$CHROMA_DATA"
  fi
}

chroma_wait() {
  wait_for "chroma" "$CHROMA_READY_TIMEOUT" "$CHROMA_LOG" "$CHROMA_PID" chroma_ready || die "chroma is not ready"
}

chroma_stop() {
  stop_pidfile chroma "$CHROMA_PID" 20
}
