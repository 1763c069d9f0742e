#!/usr/bin/env bash
# The product against a PostGIS peer on the same machine (`make bench-peer`):
#
#   1. the dataset: the demo (2 provinces) by default, made once into
#      $DATA; --national: the national demo dataset of deploy/bench-national.sh;
#   2. its rows as the figures read them (`antq export-rows`: the newest version
#      of each key, restated to its 2025 commune) and the served geometry (the
#      product's own map responses, identity);
#   3. the peer: PostgreSQL 15 + PostGIS 3 from Debian's packages (installed
#      with apt-get when missing), a private cluster under a temporary
#      directory on 127.0.0.1:$PGPORT (as the user postgres when run as root),
#      tuned to its best: incidents pre-aggregated per commune and half-month
#      and clustered by date, covering indexes, pre-encoded GeoJSON, prepared
#      statements (deploy/bench-peer/*.sql);
#   4. every workload's answer checked: the value of every commune (and its
#      comparison value and delta) equal on both sides;
#   5. $ROUNDS interleaved rounds, $REQUESTS requests in a row on one
#      connection per side and workload: the product with the response cache
#      off (--cache-mb 0) over HTTP with curl (keep-alive), identity and gzip;
#      the peer with pgbench (-M prepared); then the table of medians, peer ÷
#      product, with the machine's load average, and the product server's
#      CPU time per request (from /proc; steadier than the wall time on a
#      busy machine). BINS="a b ...": several builds side by side in the
#      same rounds, each serving its own copy of the dataset on its own
#      port (PORT, PORT+1, ...), each with its table against the same peer
#      medians (a build before and after a change, in one run).
#
# Workloads (the map of issue 20): a province's map (PROVINCE, default 08)
# and the country's, each of sites, resolution rate and incidents PERIOD
# against COMPARE (delta).
#
#   deploy/bench-peer.sh [--national]   # ROUNDS=3 REQUESTS=20 PROVINCE=08 PERIOD=2025 COMPARE=2022 PORT=18082 PGPORT=55432 BINS=bin/antq
#
# Needs bin/antq (make build), ANTQ_LIBCHDB as `make bench-peer` sets it,
# jq and curl. Run it under `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

NATIONAL=0
for a in "$@"; do
  case "$a" in
    --national) NATIONAL=1 ;;
    -h | --help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "unknown argument $a (--national)"; exit 2 ;;
  esac
done
BIN=${BIN:-bin/antq}
read -r -a BINS <<<"${BINS:-$BIN}"
BIN=${BINS[0]} # makes the dataset, exports the rows
PORT=${PORT:-18082}
PGPORT=${PGPORT:-55432}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-20}
PROVINCE=${PROVINCE:-08}
PERIOD=${PERIOD:-2025}
COMPARE=${COMPARE:-2022}
CACHE_DIR=${ANTQ_CACHE:-$HOME/.cache/antq}
if [ "$NATIONAL" = 1 ]; then DATA=${DATA:-$CACHE_DIR/bench-national}; else DATA=${DATA:-$CACHE_DIR/bench-peer-demo}; fi
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
for b in "${BINS[@]}"; do [ -x "$b" ] || { echo "$b missing: make build"; exit 1; }; done

# Debian packages, installed only when missing (as the Makefile's deps).
missing=""
for p in postgresql-15 postgresql-15-postgis-3 jq curl; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $missing) >/dev/null ||
    { echo "could not install$missing (run as root, or install them)"; exit 1; }
fi

# 1. The dataset, made once.
if [ ! -f "$DATA/.bench-ready" ]; then
  rm -rf "$DATA" && mkdir -p "$DATA"
  scale=provinces; [ "$NATIONAL" = 1 ] && scale=national
  echo "making the demo dataset ($scale) in $DATA (once)..."
  "$BIN" demo --scale "$scale" --data "$DATA" | tail -3
  rm -rf "$DATA/demo" "$DATA/demo-national" # the CSV files; the engine holds the data
  touch "$DATA/.bench-ready"
fi

WORK=$(mktemp -d)
chmod 755 "$WORK"
PIDS=()
PGDATA="$WORK/pg"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); fi # initdb refuses root
stop() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop
  [ -f "$PGDATA/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# 2. The rows (before serving: one process owns the data directory).
for k in sites incidents; do "$BIN" export-rows --data "$DATA" --kind "$k" --out "$WORK/$k.csv" 2>&1 | sed 's/^/export: /'; done

# One server per build, each on its own copy of the dataset (one process
# owns a data directory), the first on PORT.
BASES=()
for k in "${!BINS[@]}"; do
  d=$DATA
  if [ "${#BINS[@]}" -gt 1 ]; then d="$WORK/data.$k" && cp -a "$DATA" "$d"; fi
  "${BINS[$k]}" serve --public --rate-limit 0 --cache-mb 0 --log-format json --addr "127.0.0.1:$((PORT + k))" --data "$d" 2>"$WORK/serve.$k.log" &
  PIDS+=($!)
  BASES+=("http://127.0.0.1:$((PORT + k))")
done
for k in "${!BINS[@]}"; do
  for _ in $(seq 1 240); do
    curl -fsS "${BASES[$k]}/readyz" >/dev/null 2>&1 && break
    kill -0 "${PIDS[$k]}" 2>/dev/null || { echo "server ${BINS[$k]} exited:"; tail -20 "$WORK/serve.$k.log"; exit 1; }
    sleep 0.5
  done
done
BASE=${BASES[0]}
get() { curl -fsS "${3:-$BASE}$1" -o "$2" || { echo "GET $1 failed"; exit 1; }; }

# The workloads: name, product path, SQL template, scope.
NAMES=() PATHS=() TEMPLATES=() SCOPES=()
add() { NAMES+=("$1"); PATHS+=("$2"); TEMPLATES+=("$3"); SCOPES+=("$4"); }
for scope in "$PROVINCE" all; do
  label="province $PROVINCE"; [ "$scope" = all ] && label=national
  add "$label sites" "/api/v1/map.geojson?province=$scope&metric=sites&period=$PERIOD" sites "$scope"
  add "$label resolution rate" "/api/v1/map.geojson?province=$scope&metric=resolution_rate&period=$PERIOD" resolution_rate "$scope"
  add "$label delta $PERIOD vs $COMPARE" "/api/v1/map.geojson?province=$scope&metric=incidents&period=$PERIOD&compare=$COMPARE" delta "$scope"
done

# The product's answers (identity), its communes and served geometry; every
# other build's answers byte for byte the first's.
for i in "${!NAMES[@]}"; do get "${PATHS[$i]}" "$WORK/product.$i.json"; done
for k in "${!BINS[@]}"; do
  [ "$k" = 0 ] && continue
  for i in "${!NAMES[@]}"; do
    get "${PATHS[$i]}" "$WORK/product.$i.$k.json" "${BASES[$k]}"
    cmp -s "$WORK/product.$i.json" "$WORK/product.$i.$k.json" || { echo "${BINS[$k]} answers ${NAMES[$i]} differently from ${BINS[0]}: no timing"; exit 1; }
  done
done
get "/api/v1/communes?province=all" "$WORK/communes.json"
jq -r --slurpfile c "$WORK/communes.json" --slurpfile p "$WORK/product.0.json" '
  ($c[0].communes | map({key: .code, value: .province}) | from_entries) as $prov |
  ($p[0].features | map({key: .id, value: (.geometry | tojson)}) | from_entries) as $gp |
  .features[] | [.id, $prov[.id], .properties.name, .properties.kind, ($gp[.id] // null),
                 (if .geometry then (.geometry | tojson) else null end)] | @csv' "$WORK/product.3.json" >"$WORK/communes.csv"
# The windows the product read: [from, to) with to the day after the last.
win() { jq -r ".antq.$1.$2" "$WORK/product.2.json"; }
FROM=$(win window from) TO=$(date -u -d "$(win window to) + 1 day" +%F)
CFROM=$(win window_compare from) CTO=$(date -u -d "$(win window_compare to) + 1 day" +%F)
echo "windows: [$FROM, $TO) and [$CFROM, $CTO)"

# 3. The peer.
. deploy/bench-peer/cluster.sh
pg_cluster_init <<EOF
random_page_cost = 1.1
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
EOF
pg_cluster_start
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres)
start=$(date +%s.%N)
"${PSQL[@]}" -f deploy/bench-peer/schema.sql
"${PSQL[@]}" -c "\\copy communes (code, province_code, name, kind, geo_province, geo_national) FROM '$WORK/communes.csv' (FORMAT csv)"
"${PSQL[@]}" -c "\\copy sites FROM '$WORK/sites.csv' (FORMAT csv, HEADER true)"
"${PSQL[@]}" -c "\\copy incidents FROM '$WORK/incidents.csv' (FORMAT csv, HEADER true)"
loaded=$(date +%s.%N)
"${PSQL[@]}" -f deploy/bench-peer/build.sql
built=$(date +%s.%N)
"${PSQL[@]}" -At -c "SELECT format('peer: %s communes, %s sites, %s incidents, %s half-month rows', (SELECT count(*) FROM communes), (SELECT count(*) FROM sites), (SELECT count(*) FROM incidents), (SELECT count(*) FROM incidents_hm))"
awk -v a="$start" -v b="$loaded" -v c="$built" 'BEGIN { printf "peer: schema and \\copy %.1f s, aggregate/index/cluster/analyze %.1f s\n", b - a, c - b }'

# The workload files: the template with its scope.
for i in "${!NAMES[@]}"; do
  if [ "${SCOPES[$i]}" = all ]; then
    sed -e 's/@PROVINCE@//g; s/@CPROVINCE@//g; s/@GEO@/geo_national/g' "deploy/bench-peer/${TEMPLATES[$i]}.sql"
  else
    sed -e 's/@PROVINCE@/province_code = :p AND/g; s/@CPROVINCE@/c.province_code = :p AND/g; s/@GEO@/geo_province/g' "deploy/bench-peer/${TEMPLATES[$i]}.sql"
  fi | grep -v '^--' >"$WORK/peer.$i.sql"
done

# 4. The same answer: every commune's value (and comparison value and delta).
bad=0
for i in "${!NAMES[@]}"; do
  "${PSQL[@]}" -At -v p="'$PROVINCE'" -v from="'$FROM'" -v to="'$TO'" -v cfrom="'$CFROM'" -v cto="'$CTO'" \
    -f "$WORK/peer.$i.sql" >"$WORK/peer.$i.json"
  verdict=$(jq -n -r --slurpfile a "$WORK/product.$i.json" --slurpfile b "$WORK/peer.$i.json" '
    def vals: [.features[] | {key: .id, value: [.properties.value, .properties.value_compare, .properties.delta]}] | from_entries;
    def same(x; y): (x == null and y == null) or (x != null and y != null and ((x - y) | fabs) <= 1e-6 * ([1, (x | fabs)] | max));
    ($a[0] | vals) as $p | ($b[0] | vals) as $q |
    [$p | keys[] | select(($q[.] == null) or (same($p[.][0]; $q[.][0]) and same($p[.][1]; $q[.][1]) and same($p[.][2]; $q[.][2]) | not))] as $diff |
    ($p | length) as $n |
    if ($q | length) != $n then "differ: \($n) communes vs \($q | length)"
    elif ($diff | length) > 0 then "differ in \($diff | length) of \($n) communes, e.g. \($diff[0]): \($p[$diff[0]]) vs \($q[$diff[0]])"
    else "same values in \($n) communes (\([$p[] | select(.[0] != null)] | length) with a value)" end')
  echo "check ${NAMES[$i]}: $verdict"
  case "$verdict" in same*) ;; *) bad=1 ;; esac
done
[ "$bad" = 0 ] || { echo "the answers differ: no timing"; exit 1; }

# 5. Interleaved rounds: the median of $REQUESTS requests in a row on one
# connection, per side and workload (a count, not a duration: a loaded
# machine still gives every side the same number of samples).
http_p50() { # K PATH [gzip]: build K, one connection (keep-alive), $REQUESTS requests in a row
  # prints the median ms, then the server's CPU ms per request (user +
  # system, from /proc: less disturbed by other work than the wall time)
  local h=() urls=() out t0 t1 pid=${PIDS[$1]}
  [ "${3:-}" = gzip ] && h=(-H "Accept-Encoding: gzip")
  for _ in $(seq 1 "$REQUESTS"); do urls+=(-o /dev/null "${BASES[$1]}$2"); done
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(curl -sS "${h[@]}" -w '%{http_code} %{time_total}\n' "${urls[@]}" 2>&1) || true
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  [ "$(echo "$out" | grep -c '^200 ')" = "$REQUESTS" ] || { echo "GET $2: $out" >&2; exit 1; }
  echo "$out" | awk '{print $2 * 1000}' | sort -g | awk -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" -v n="$REQUESTS" \
    '{a[NR] = $1} END {printf "%.2f %.2f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2, (t1 - t0) * 1000 / hz / n}'
}
pg_p50() { # I
  local vars=(-D p="$PROVINCE" -D from="$FROM" -D to="$TO" -D cfrom="$CFROM" -D cto="$CTO") n=0
  # pgbench's per-transaction log (-l) has come back empty now and then on a
  # busy machine; a median of no samples must not print as 0 ms: try again,
  # then stop.
  for _ in 1 2 3; do
    rm -f "$WORK"/pgb.*
    pgbench -n -M prepared -c 1 -t "$REQUESTS" "${vars[@]}" -f "$WORK/peer.$1.sql" -l --log-prefix="$WORK/pgb" \
      -h 127.0.0.1 -p "$PGPORT" -U postgres postgres >/dev/null 2>"$WORK/pgbench.err" || { cat "$WORK/pgbench.err" >&2; exit 1; }
    n=$(cat "$WORK"/pgb.* 2>/dev/null | wc -l)
    [ "$n" = "$REQUESTS" ] && break
    echo "pgbench workload $1: $n of $REQUESTS transactions logged, again" >&2
  done
  [ "$n" = "$REQUESTS" ] || { echo "pgbench workload $1: no complete log" >&2; exit 1; }
  cat "$WORK"/pgb.* | awk '{print $3 / 1000}' | sort -g | awk '{a[NR] = $1} END {printf "%.2f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
RES="$WORK/results.tsv"
: >"$RES"
for r in $(seq 1 "$ROUNDS"); do
  # The builds in turn, in reverse order every other round.
  order=("${!BINS[@]}")
  if [ $((r % 2)) = 0 ]; then order=(); for k in "${!BINS[@]}"; do order=("$k" "${order[@]}"); done; fi
  for i in "${!NAMES[@]}"; do
    for k in "${order[@]}"; do
      read -r id idcpu < <(http_p50 "$k" "${PATHS[$i]}")
      read -r gz gzcpu < <(http_p50 "$k" "${PATHS[$i]}" gzip)
      printf '%s\tidentity.%s\t%s\n%s\tgzip.%s\t%s\n' "$i" "$k" "$id" "$i" "$k" "$gz" >>"$RES"
      printf '%s\tidentity-cpu.%s\t%s\n%s\tgzip-cpu.%s\t%s\n' "$i" "$k" "$idcpu" "$i" "$k" "$gzcpu" >>"$RES"
    done
    pg=$(pg_p50 "$i")
    printf '%s\tpeer\t%s\n' "$i" "$pg" >>"$RES"
  done
  echo "round $r of $ROUNDS done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done

median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else printf "%.1f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
med() { awk -F'\t' -v i="$1" -v s="$2" '$1 == i && $2 == s {print $3}' "$RES" | median; }
ds=demo; [ "$NATIONAL" = 1 ] && ds="national demo"
echo
echo "$ds dataset, $ROUNDS interleaved rounds of $REQUESTS requests per side and workload, one connection; medians over the rounds of each round's median (ms); load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for k in "${!BINS[@]}"; do
  [ "${#BINS[@]}" -gt 1 ] && printf '\nproduct: %s\n' "${BINS[$k]}"
  echo "| workload | product identity | product gzip | PostGIS | peer ÷ product (identity / gzip) | product CPU per request (identity / gzip) |"
  echo "|---|---|---|---|---|---|"
  for i in "${!NAMES[@]}"; do
    id=$(med "$i" "identity.$k") gz=$(med "$i" "gzip.$k") pg=$(med "$i" peer) idc=$(med "$i" "identity-cpu.$k") gzc=$(med "$i" "gzip-cpu.$k")
    awk -v n="${NAMES[$i]}" -v a="$id" -v b="$gz" -v c="$pg" -v d="$idc" -v e="$gzc" \
      'BEGIN { printf "| %s | %.1f ms | %.1f ms | %.1f ms | %.2f / %.2f | %.1f / %.1f ms |\n", n, a, b, c, c / a, c / b, d, e }'
  done
done
