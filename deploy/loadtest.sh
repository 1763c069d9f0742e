#!/usr/bin/env bash
# Load test on loopback: starts `bin/antq serve --demo --public` on a fresh
# data directory, waits for /readyz, runs wrk (Debian package `wrk`) at 128
# connections for 60 s over the main routes (map, summary, series,
# ranking), then prints throughput, errors, latency percentiles and the
# server's peak and final RSS from /proc, and stops the server (SIGTERM).
# A second phase sends 20 concurrent large-PNG requests of random sizes
# (render admission): it prints their statuses (503s with Retry-After are
# the admission refusing work), the server's and its rasterisers' peak
# RSS, and what other routes answered meanwhile.
#
#   deploy/loadtest.sh                 # DURATION=60s CONNECTIONS=128 THREADS=2 PORT=18080
#
# Issue 20's concurrency target (64 connections, the province map, cache
# off), with the figures in memory and then from SQL, phase 2 left out:
#
#   ROUTES=province-map CACHE_MB=0 CONNECTIONS=64 PHASE2=0 deploy/loadtest.sh
#   ROUTES=province-map CACHE_MB=0 CONNECTIONS=64 PHASE2=0 MEM_AGGREGATES=false deploy/loadtest.sh
#
# ROUTES=province-map asks only province 08's map: sites, resolution rate
# and incidents 2025 against 2022 (the workloads of make bench-peer).
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
# --trusted-proxy: phase 2 sends X-Forwarded-For to act as 20 clients.
"$BIN" serve --demo --public --rate-limit 0 --cache-mb "${CACHE_MB:-64}" --mem-aggregates="${MEM_AGGREGATES:-true}" --trusted-proxy 127.0.0.1 --log-format json --addr "127.0.0.1:$PORT" --data "$DATA" 2>"$LOG" &
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
if [ "${ROUTES:-main}" = province-map ]; then
  PATHS=(
    "/api/v1/map.geojson?province=08&metric=sites&period=2025"
    "/api/v1/map.geojson?province=08&metric=resolution_rate&period=2025"
    "/api/v1/map.geojson?province=08&metric=incidents&period=2025&compare=2022"
  )
fi
echo "routes: ${ROUTES:-main}; cache ${CACHE_MB:-64} MiB; figures in memory: ${MEM_AGGREGATES:-true}; $CONNECTIONS connections, $THREADS threads, $DURATION"
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
[ "${PHASE2:-1}" = 0 ] && exit 0

# Phase 2: render admission. 20 concurrent PNGs of random sizes (each a
# distinct drawing after snapping, mostly large; some over 16 Mpx, refused
# with 400), each from its own client address (X-Forwarded-For), while
# another loop asks a JSON route; the server's RSS and that of its
# rsvg-convert children are sampled throughout.
PNGS=${PNGS:-20}
CURLS=()
OUT="$DATA/png"
mkdir -p "$OUT"
children_rss() { # KiB of the server's child processes (rsvg-convert)
  local sum=0 c
  for c in $(pgrep -P "$PID" 2>/dev/null); do
    sum=$(( sum + $(awk '/^VmRSS/ {print $2}' "/proc/$c/status" 2>/dev/null || echo 0) ))
  done
  echo "$sum"
}
peak_server=$(rss); peak_children=0
echo "phase 2: $PNGS concurrent large PNGs with random sizes"
for i in $(seq 1 "$PNGS"); do
  w=$(( 1600 + RANDOM % 2497 )); h=$(( 1200 + RANDOM % 2897 )); sc=$(( 1 + RANDOM % 2 ))
  chart=$(( RANDOM % 2 )); [ "$chart" = 0 ] && name=map || name=delta
  curl -s -o /dev/null -D "$OUT/$i.head" -w '%{http_code} %{time_total}s '"$name ${w}x${h}@${sc}"'\n' \
    -H "X-Forwarded-For: 10.0.0.$i" \
    "$BASE/charts/$name.png?province=25&metric=sites&period=2025&compare=prev&width=$w&height=$h&scale=$sc" >"$OUT/$i.code" &
  CURLS+=($!)
done
running() { local p; for p in "${CURLS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
other_ok=0; other_bad=0
while running; do
  r=$(rss); [ "$r" -gt "$peak_server" ] && peak_server=$r
  c=$(children_rss); [ "$c" -gt "$peak_children" ] && peak_children=$c
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/api/v1/summary?province=08&period=2025&compare=prev")
  [ "$code" = 200 ] && other_ok=$((other_ok + 1)) || other_bad=$((other_bad + 1))
  sleep 0.2
done
wait "${CURLS[@]}" || true
ok=$(cat "$OUT"/*.code | grep -c '^200 ' || true)
busy=$(cat "$OUT"/*.code | grep -c '^503 ' || true)
retry=$(grep -il '^retry-after:' "$OUT"/*.head | wc -l)
big=$(cat "$OUT"/*.code | grep -c '^400 ' || true)
bad=$(( PNGS - ok - busy - big ))
sort -n "$OUT"/*.code | sed 's/^/  /'
echo "PNGs: $ok drawn (200), $busy refused by admission (503; $retry responses carried Retry-After), $big over 16 Mpx (400), $bad other"
echo "other routes meanwhile: $other_ok answered 200, $other_bad did not"
echo "peak RSS during the PNG phase: server $(( peak_server / 1024 )) MiB, rsvg-convert children $(( peak_children / 1024 )) MiB (sampled every 0.2 s)"
echo "server RSS after: $(( $(rss) / 1024 )) MiB, peak over the whole run (VmHWM): $(( $(hwm) / 1024 )) MiB"
