#!/usr/bin/env bash
# Serves the built site with the real receiver for the end-to-end tests, on a fresh database.
# Usage: tests/e2e/serve.sh PORT DATABASE
set -euo pipefail
port=$1 db=$2
mkdir -p "$(dirname "$db")"
rm -f "$db" "$db-wal" "$db-shm"
exec target/release/booking-api --listen "127.0.0.1:$port" --site dist --database "$db" --rate-limit 1000
