#!/bin/bash
# PostgreSQL 15 for the one-node cluster (the postgres image of scripts/build-images.sh), configured like the
# official image: POSTGRES_PASSWORD (required on first start), POSTGRES_USER (default postgres), POSTGRES_DB
# (default: the user's name), PGDATA (default /var/lib/postgresql/data/pgdata: a directory under the mounted volume,
# which initdb must own). The root filesystem may be read-only: only the volume is written, the Unix socket
# included.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
: "${PGDATA:?PGDATA must name the data directory}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  [[ -n "${POSTGRES_PASSWORD:-}" ]] || { echo "error: POSTGRES_PASSWORD is required to initialise $PGDATA" >&2; exit 1; }
  "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --auth=scram-sha-256 \
    -E UTF8 --locale=C >/dev/null
  # initdb allows loopback only; clients come from the pod network.
  printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  if [[ "$db" != postgres ]]; then
    echo "CREATE DATABASE \"${db//\"/\"\"}\" OWNER \"${user//\"/\"\"}\"" | "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
fi

# jit=off: the image ships without the LLVM JIT provider.
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses="${POSTGRES_LISTEN_ADDRESSES:-*}" -c unix_socket_directories="$PGDATA" \
  -c jit=off
