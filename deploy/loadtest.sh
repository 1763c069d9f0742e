#!/usr/bin/env bash
# Load test on loopback: starts `bin/antq serve --demo --public` on a fresh
# data directory, waits for /readyz, runs wrk (Debian package `wrk`) at 128
# connections for 60 s over the main routes (map, summary, series,
# ranking), then prints throughput, errors, latency percentiles and the
# server's peak and final RSS from /proc, and stops the server (SIGTERM).
#
#   deploy/loadtest.sh                 # DURATION=60s CONNECTIONS=128 THREADS=2 PORT=18080
#
# The rate limit is off (--rate-limit 0): wrk is one client. Needs
# ANTQ_LIBCHDB / ANTQ_VNAD / ANTQ_REFDATA as `make run` sets them.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-bin/antq}
PORT=${PORT:-18080}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-128}
THREADS=${THREADS:-$(nproc)}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x "$BIN" ] || { echo "$BIN missing: make build"; exit 1; }

DATA=$(mktemp -d)
LOG="$DATA/serve.log"
"$BIN" serve --demo --public --rate-limit 0 --log-format json --addr "127.0.0.1:$PORT" --data "$DATA" 2>"$LOG" &
PID=$!
cleanup() {
  kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$DATA"
}
trap cleanup EXIT

BASE="http://127.0.0.1:$PORT"
echo "waiting for $BASE/readyz (the demo dataset loads on first start)..."
for _ in $(seq 1 600); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "server exited:"; tail -20 "$LOG"; exit 1; }
  sleep 1
done
curl -fsS "$BASE/readyz" >/dev/null || { echo "not ready after 10 min"; tail -20 "$LOG"; exit 1; }

PATHS=(
  "/api/v1/map.geojson?province=08&metric=sites&period=2025"
  "/api/v1/map.geojson?province=25&metric=incidents&period=2025&compare=prev"
  "/api/v1/summary?province=08&period=2025&compare=prev"
  "/api/v1/summary?province=25&period=2025"
  "/api/v1/series?province=08&metric=sites"
  "/api/v1/series?province=25&metric=incidents&by=quarter"
  "/api/v1/ranking?province=08&metric=sites&period=2025&limit=10"
  "/api/v1/ranking?province=25&metric=resolution_rate&period=2025"
)
# Every route must answer 200 before the run (0 errors means 0 of these failing).
for p in "${PATHS[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' "$BASE$p")
  [ "$code" = 200 ] || { echo "$p answered $code"; exit 1; }
done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$PID/status"; }
echo "RSS before: $(( $(rss) / 1024 )) MiB"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s deploy/loadtest.lua "$BASE" -- "${PATHS[@]}"
echo "RSS after: $(( $(rss) / 1024 )) MiB, peak (VmHWM): $(( $(hwm) / 1024 )) MiB"
curl -fsS "$BASE/readyz" >/dev/null && echo "readyz: ok after the run"
