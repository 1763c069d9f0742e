# Sourced by deploy/bench-peer.sh and deploy/bench-ingest-peer.sh: a private
# PostgreSQL cluster in $PGDATA on 127.0.0.1:$PGPORT (as the user postgres
# when run as root: $RUNAS), with the settings both benchmarks share; the
# caller's own settings come on stdin. Then pg_cluster_start starts it.
pg_cluster_init() {
  mkdir -m 700 "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA"; fi
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  {
    cat <<EOF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 256MB
effective_cache_size = 4GB
EOF
    cat
  } >>"$PGDATA/postgresql.conf"
}

pg_cluster_start() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w start >/dev/null
}
