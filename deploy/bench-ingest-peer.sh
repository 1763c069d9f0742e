#!/usr/bin/env bash
# The product's ingest against PostgreSQL's \copy on the same CSV, on the
# same machine, in interleaved rounds (`make bench-ingest-peer`, issue 20):
#
#   1. the file: the national demo dataset's incidents CSV (`antq demo
#      --scale national --no-ingest`: 12.5 M rows, 11 columns as a police
#      office exports them, Vietnamese headers, dates dd/mm/yyyy, places as
#      pre-2025 commune, district and province names), made once into
#      $CACHE_DIR/bench-ingest-peer/; ROWS=N takes every k-th row of it
#      (all 34 provinces, N rows; cached beside it) for a shorter run;
#   2. the product: the whole job of `antq ingest --kind incidents FILE`
#      into a fresh data directory each round: engine start, migrations,
#      reference tables, then read, restate to 2025 communes, validate, key,
#      dedupe, write, aggregates, commit. Timed twice: the whole command
#      (wall clock) and the job alone (the summary's "time" line). Peak RSS
#      and the process's CPU seconds (user+sys, steadier than wall time on
#      a shared machine) from /usr/bin/time -v (the embedded engine runs in
#      the process, so it counts);
#   3. the peer: PostgreSQL 15 from Debian's packages (installed with apt-get
#      when missing), a private cluster under a temporary directory on
#      127.0.0.1:$PGPORT (as the user postgres when run as root), configured
#      as deploy/bench-peer.sh's (fsync off, 512 MB shared buffers). Each
#      round, timed from one psql: CREATE TABLE with the file's 11 columns
#      as text (typed dates would reject the file's deliberately invalid
#      rows, which the product reports instead; text is also the peer's
#      cheapest load), \copy of the same file (FORMAT csv, HEADER), then the
#      two indexes a lookup needs: on the record key (what the product
#      dedupes on) and on (province, commune, district) text (what it
#      restates). The peer neither restates, validates, dedupes nor
#      aggregates: it is the bar the issue set, not equal work;
#   4. $ROUNDS rounds, each: every product binary of $BINS, then the peer;
#      the medians, rows/s per side, and the ratio product ÷ peer (above 1:
#      the product loads faster), with the machine's load average.
#
#   deploy/bench-ingest-peer.sh    # ROUNDS=3 ROWS= (all) BINS=bin/antq PGPORT=55433
#
# BINS="old/antq new/antq" measures several builds side by side in the same
# rounds. Needs ANTQ_LIBCHDB as `make bench-ingest-peer` sets it. Run it
# under `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in -h | --help) sed -n '2,40p' "$0"; exit 0 ;; esac
BINS=${BINS:-bin/antq}
ROUNDS=${ROUNDS:-3}
ROWS=${ROWS:-}
PGPORT=${PGPORT:-55433}
CACHE_DIR=${ANTQ_CACHE:-$HOME/.cache/antq}
DIR=$CACHE_DIR/bench-ingest-peer
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
read -r -a BINV <<<"$BINS"
for b in "${BINV[@]}"; do [ -x "$b" ] || { echo "$b missing: make build"; exit 1; }; done
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)"; exit 1; }

# Debian packages, installed only when missing (as the Makefile's deps).
missing=""
for p in postgresql-15; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $missing) >/dev/null ||
    { echo "could not install$missing (run as root, or install them)"; exit 1; }
fi

# 1. The file, made once.
FULL=$DIR/csv/demo_national_vu_viec.csv
if [ ! -f "$DIR/.ready" ]; then
  rm -rf "$DIR" && mkdir -p "$DIR"
  echo "making the national demo files in $DIR (once)..."
  "${BINV[0]}" demo --scale national --no-ingest --data "$DIR/data" --out "$DIR/csv" | tail -2
  rm -rf "$DIR/data" "$DIR"/csv/demo_national_{mo_hinh,diem_mo_hinh,xep_loai}.csv
  touch "$DIR/.ready"
fi
CSV=$FULL
if [ -n "$ROWS" ]; then
  CSV=$DIR/incidents-$ROWS.csv
  if [ ! -f "$CSV" ]; then
    total=$(($(wc -l <"$FULL") - 1))
    awk -v k="$(( total / ROWS > 0 ? total / ROWS : 1 ))" -v n="$ROWS" 'NR == 1 { print; next } (NR - 2) % k == 0 && c < n { print; c++ }' "$FULL" >"$CSV.tmp"
    mv "$CSV.tmp" "$CSV"
  fi
fi
N=$(($(wc -l <"$CSV") - 1))
echo "file: $CSV ($N rows, $(du -m "$CSV" | cut -f1) MiB)"

WORK=$(mktemp -d)
chmod 755 "$WORK"
PGDATA="$WORK/pg"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); chmod o+rx "$DIR" && chmod o+r "$CSV"; fi # initdb refuses root; the server reads nothing, psql does
cleanup() {
  [ -f "$PGDATA/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# 3. The peer's cluster (as deploy/bench-peer.sh's).
. deploy/bench-peer/cluster.sh
pg_cluster_init <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 8GB
jit = off
EOF
pg_cluster_start
export PGOPTIONS='-c client_min_messages=warning'
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres)
cat >"$WORK/peer.sql" <<EOF
CREATE TABLE incidents_raw (
    record_key text, site_key text, category text, received text, closed text, outcome text,
    tip text, tip_useful text, commune text, district text, province text
);
\\copy incidents_raw FROM '$CSV' (FORMAT csv, HEADER true)
CREATE INDEX incidents_raw_key ON incidents_raw (record_key);
CREATE INDEX incidents_raw_place ON incidents_raw (province, commune, district);
EOF

now() { date +%s.%N; }
RES="$WORK/results.tsv"
: >"$RES"
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!BINV[@]}"; do
    rm -rf "$WORK/store"
    t0=$(now)
    rc=0
    /usr/bin/time -v -o "$WORK/time.txt" "${BINV[$i]}" ingest --lang en --kind incidents --data "$WORK/store" "$CSV" >"$WORK/ingest.out" 2>"$WORK/ingest.err" || rc=$?
    t1=$(now)
    # 0: every row loaded; 2: some rows rejected (the file's deliberately
    # invalid ones, written to the rejects file).
    if [ "$rc" != 0 ] && [ "$rc" != 2 ]; then echo "${BINV[$i]} ingest failed ($rc):"; tail -5 "$WORK/ingest.err" "$WORK/ingest.out"; exit 1; fi
    read_n=$(awk '/^total/ { gsub(",", "", $3); print $3 }' "$WORK/ingest.out")
    [ "$read_n" = "$N" ] || { echo "${BINV[$i]} read ${read_n:-?} rows of $N:"; cat "$WORK/ingest.out"; exit 1; }
    job=$(awk '/^time / { s = $2; sub(/,$/, "", s); if (s ~ /ms$/) { sub(/ms$/, "", s); s /= 1000 } else if (s ~ /m/) { split(s, p, "m"); sub(/s$/, "", p[2]); s = p[1] * 60 + p[2] } else sub(/s$/, "", s); print s }' "$WORK/ingest.out")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time.txt")
    printf '%s\twall\t%s\n%s\tjob\t%s\n%s\trss\t%s\n%s\tcpu\t%s\n' "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$i" "$job" "$i" "$rss" "$i" "$cpu" >>"$RES"
    grep -h '^total' "$WORK/ingest.out" | sed "s|^|round $r ${BINV[$i]}: |"
  done
  "${PSQL[@]}" -c 'DROP TABLE IF EXISTS incidents_raw' -c CHECKPOINT
  t0=$(now)
  "${PSQL[@]}" -f "$WORK/peer.sql"
  t1=$(now)
  got=$("${PSQL[@]}" -At -c 'SELECT count(*) FROM incidents_raw')
  [ "$got" = "$N" ] || { echo "peer loaded $got rows of $N"; exit 1; }
  printf 'peer\twall\t%s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >>"$RES"
  echo "round $r of $ROUNDS done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done

median() { sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else printf "%.3f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
med() { awk -F'\t' -v i="$1" -v s="$2" '$1 == i && $2 == s {print $3}' "$RES" | median; }
all() { awk -F"\t" -v i="$1" -v s="$2" '$1 == i && $2 == s {printf "%s%.1f", sep, $3; sep = " "}' "$RES"; }
peer=$(med peer wall)
echo
echo "$N incident rows, $ROUNDS interleaved rounds; medians; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "| side | seconds (each round) | rows/s | product ÷ peer | peak RSS | process CPU s, user+sys (each round) |"
echo "|---|---|---|---|---|---|"
for i in "${!BINV[@]}"; do
  for s in wall job; do
    what="whole command"; [ "$s" = job ] && what="job (summary time)"
    awk -v n="$N" -v b="${BINV[$i]}" -v w="$what" -v t="$(med "$i" "$s")" -v each="$(all "$i" "$s")" -v p="$peer" -v rss="$(med "$i" rss)" \
      -v cpu="$(med "$i" cpu)" -v cpus="$(all "$i" cpu)" \
      'BEGIN { printf "| product %s, %s | %.1f s (%s) | %.0f k | **%.2f×** | %.0f MiB | %.1f (%s) |\n", b, w, t, each, n / t / 1000, p / t, rss / 1024, cpu, cpus }'
  done
done
awk -v n="$N" -v t="$peer" -v each="$(all peer wall)" \
  'BEGIN { printf "| PostgreSQL 15 \\copy + 2 indexes | %.1f s (%s) | %.0f k | 1 | | |\n", t, each, n / t / 1000 }'
