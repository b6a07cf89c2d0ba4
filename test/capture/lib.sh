# Shared helpers of the capture scripts (sourced, not run). See README.md.
# Everything runs on loopback addresses only; every process started here is killed by PID on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIXTURES="$ROOT/test/fixtures/captured"
WORK=$(mktemp -d /tmp/bgp-capture.XXXXXX)
declare -a PIDS=()
declare -A CTL_FD=() HARNESS_PID=() TSHARK_PID=()

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Builds the harness and fixture builder if needed (tsc emits them under dist/).
build() {
  if [ ! -f "$ROOT/dist/test/capture/harness.js" ] || [ "${BUILD:-1}" = 1 ]; then
    (cd "$ROOT" && npx tsc -p . >/dev/null 2>&1 || true)
  fi
  [ -f "$ROOT/dist/test/capture/harness.js" ] || { log "build failed"; exit 1; }
}

# start_tshark NAME FILTER: capture loopback traffic matching FILTER into $WORK/NAME.pcap.
start_tshark() {
  local name=$1 filter=$2
  tshark -i lo -f "$filter" -w "$WORK/$name.pcap" >"$WORK/$name.tshark.log" 2>&1 &
  TSHARK_PID[$name]=$!
  PIDS+=($!)
  local i
  for i in $(seq 50); do
    grep -q 'Capturing on' "$WORK/$name.tshark.log" 2>/dev/null && return 0
    sleep 0.1
  done
  log "tshark did not start"; cat "$WORK/$name.tshark.log" >&2; exit 1
}

stop_tshark() {
  local name=$1
  sleep 1
  kill -INT "${TSHARK_PID[$name]}" 2>/dev/null || true
  wait "${TSHARK_PID[$name]}" 2>/dev/null || true
}

# start_harness NAME ARGS...: runs the harness, its stdin on a FIFO that ctl writes to.
start_harness() {
  local name=$1
  shift
  mkfifo "$WORK/$name.ctl"
  node "$ROOT/dist/test/capture/harness.js" "$@" --out "$WORK/$name.jsonl" <"$WORK/$name.ctl" \
    >"$WORK/$name.harness.log" 2>&1 &
  HARNESS_PID[$name]=$!
  PIDS+=($!)
  local fd
  exec {fd}>"$WORK/$name.ctl"
  CTL_FD[$name]=$fd
}

# ctl NAME COMMAND...: one harness command (mark, refresh, notify, close, quit).
ctl() {
  local name=$1
  shift
  echo "$*" >&"${CTL_FD[$name]}"
}

# step MARK DESCRIPTION: names the next messages in every running harness.
step() {
  local name
  for name in "${!CTL_FD[@]}"; do
    kill -0 "${HARNESS_PID[$name]}" 2>/dev/null && ctl "$name" "mark $1 $2" || true
  done
  sleep 0.3
}

# wait_established NAME [SECONDS]: until the harness logged the peer's KEEPALIVE after its OPEN.
wait_established() {
  local name=$1 limit=${2:-30} i
  for i in $(seq $((limit * 10))); do
    if grep -q '"negotiated"' "$WORK/$name.jsonl" 2>/dev/null && grep -q '"type":4' "$WORK/$name.jsonl"; then
      return 0
    fi
    sleep 0.1
  done
  log "session $name not established"; cat "$WORK/$name.jsonl" "$WORK/$name.harness.log" >&2 || true; exit 1
}

# wait_harness NAME [SECONDS]: until the harness exits (peer closed, notify or quit).
wait_harness() {
  local name=$1 limit=${2:-20} i
  for i in $(seq $((limit * 10))); do
    kill -0 "${HARNESS_PID[$name]}" 2>/dev/null || return 0
    sleep 0.1
  done
  ctl "$name" quit || true
  sleep 0.5
}

# fixtures PEER VERSION NAME PORT [PREFIX]: harness log + pcap → fixture files.
fixtures() {
  local peer=$1 version=$2 name=$3 port=$4 prefix=${5:-}
  mkdir -p "$FIXTURES/$peer/pcap"
  install -m 644 "$WORK/$name.pcap" "$FIXTURES/$peer/pcap/$name.pcap"
  (cd "$ROOT" && node dist/test/capture/make-fixtures.js --peer "$peer" --peer-version "$version" \
    --log "$WORK/$name.jsonl" --pcap "$WORK/$name.pcap" --port "$port" --prefix "$prefix" --out "$FIXTURES")
}

# fresh PEER: removes the fixtures of PEER before a new capture.
fresh() {
  rm -rf "${FIXTURES:?}/$1"
  mkdir -p "$FIXTURES/$1"
}
