#!/usr/bin/env bash
# Serves the built site with the real receiver for the end-to-end tests, on a fresh database.
# The inbox gets a password (E2E_INBOX_PASSWORD), and every e-mail goes to a loopback SMTP
# sink on PORT+1 that writes each message to DATABASE's folder/mail/ (tests/e2e/smtp-sink.mjs).
# The article editor is on: it writes articles and publishes, so the receiver gets copies of
# content/ and dist/, made fresh in DATABASE's folder (content/ and site/), never the
# repository's own files or the built site the size checks read.
# Usage: tests/e2e/serve.sh PORT DATABASE
set -euo pipefail
port=$1 db=$2
dir=$(dirname "$db")
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm"
rm -rf "$dir/mail" "$dir/content" "$dir/site"
cp -r content "$dir/content"
cp -a dist "$dir/site"
printf '%s\n' "${E2E_INBOX_PASSWORD:-e2e inbox password}" |
  target/release/booking-api set-password --database "$db"
node tests/e2e/smtp-sink.mjs "$((port + 1))" "$dir/mail" &
export SMTP_HOST=127.0.0.1 SMTP_PORT=$((port + 1)) SMTP_TLS=none
export NOTIFY_TO=therapist@example.com SMTP_FROM=bookings@example.com NOTIFY_RETRY_SECONDS=1
exec target/release/booking-api --listen "127.0.0.1:$port" --site "$dir/site" --database "$db" \
  --content "$dir/content" --prerender target/release/prerender \
  --rate-limit 1000 --public-url "http://127.0.0.1:$port" --in-call-address "1 Example Mews, London W1"
