#!/usr/bin/env bash
# Map latency on the national demo dataset (the API's speed targets), on
# loopback with wrk (Debian package `wrk`):
#
#   1. national map (3,321 communes), response cache off, one connection: p50   target ≤ 30 ms
#   2. national map with compare, cache off, one connection: p50                 target ≤ 50 ms
#   3. province maps (8 provinces × 3 metrics), cache off, one connection, then 64: p99
#   4. the same with the response cache on, 64 connections: p99                  target ≤ 20 ms
#
# The data directory is made once with `antq demo --scale national` (34
# provinces, ≈ 2,500 models, ≈ 124,000 sites, ≈ 10 M incidents; a few
# minutes) and kept in $DATA for later runs (`rm -rf` it after a schema
# change). Needs bin/antq (make build) and ANTQ_LIBCHDB / ANTQ_VNAD /
# ANTQ_REFDATA as `make bench` sets them.
#
#   deploy/bench-national.sh     # DATA=~/.cache/antq/bench-national DURATION=15s PORT=18081
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-bin/antq}
PORT=${PORT:-18081}
DURATION=${DURATION:-15s}
DATA=${DATA:-${ANTQ_CACHE:-$HOME/.cache/antq}/bench-national}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x "$BIN" ] || { echo "$BIN missing: make build"; exit 1; }

if [ ! -f "$DATA/.bench-ready" ]; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  echo "making the national demo dataset in $DATA (once)..."
  start=$(date +%s)
  "$BIN" demo --scale national --data "$DATA" | tail -5
  echo "demo dataset made and loaded in $(( $(date +%s) - start )) s"
  rm -rf "$DATA/demo-national" # the CSV files; the engine holds the data
  touch "$DATA/.bench-ready"
fi

PID=
stop() {
  if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; fi
  PID=
}
trap stop EXIT

serve() { # serve CACHE_MB
  "$BIN" serve --public --rate-limit 0 --cache-mb "$1" --log-format json --addr "127.0.0.1:$PORT" --data "$DATA" 2>"$DATA/serve.log" &
  PID=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || { echo "server exited:"; tail -20 "$DATA/serve.log"; exit 1; }
    sleep 0.5
  done
  echo "not ready"; tail -20 "$DATA/serve.log"; exit 1
}

BASE="http://127.0.0.1:$PORT"
# run TITLE CONNECTIONS PATH... : every path must answer 200 first.
run() {
  local title=$1 conns=$2
  shift 2
  for p in "$@"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: gzip' "$BASE$p")
    [ "$code" = 200 ] || { echo "$p answered $code"; exit 1; }
  done
  echo "== $title ($conns connections, $DURATION)"
  wrk -t "$(( conns < $(nproc) ? conns : $(nproc) ))" -c "$conns" -d "$DURATION" -s deploy/loadtest.lua "$BASE" -- "$@" |
    grep -E '^(requests|errors|latency)'
}

PROVINCES=(08 25 01 79 48 92 38 31)
province_paths() {
  for p in "${PROVINCES[@]}"; do
    for m in sites incidents resolution_rate; do
      echo "/api/v1/map.geojson?province=$p&metric=$m&period=2025"
    done
  done
}
mapfile -t PROV < <(province_paths)

serve 0
run "national map, cache off" 1 "/api/v1/map.geojson?province=all&metric=sites&period=2025"
run "national map, incidents, cache off" 1 "/api/v1/map.geojson?province=all&metric=incidents&period=2025"
run "national map with compare, cache off" 1 "/api/v1/map.geojson?province=all&metric=resolution_rate&period=2025&compare=prev"
run "province maps, cache off" 1 "${PROV[@]}"
run "province maps, cache off" 64 "${PROV[@]}"
stop
serve 64
run "province maps, cache on" 64 "${PROV[@]}"
stop
