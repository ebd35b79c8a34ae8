#!/usr/bin/env bash
# Serves the built site with the real receiver for the end-to-end tests, on a fresh database.
# The inbox gets a password (E2E_INBOX_PASSWORD), and every e-mail goes to a loopback SMTP
# sink on PORT+1 that writes each message to DATABASE's folder/mail/ (tests/e2e/smtp-sink.mjs).
# Her own calendar is DATABASE's folder/calendar.ics, an empty calendar, served on PORT+2
# (tests/e2e/calendar-feed.mjs) and fetched every second; a test moves it away to see the
# feed fail.
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
rm -f "$dir/calendar.ics.away"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//EN\r\nEND:VCALENDAR\r\n' >"$dir/calendar.ics"
node tests/e2e/calendar-feed.mjs "$((port + 2))" "$dir/calendar.ics" &
# The feed answers before the receiver starts, so its first fetch reads it (until a read, no
# day is known and the booking page is told of none).
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$((port + 2))") 2>/dev/null && break
  sleep 0.1
done
export SMTP_HOST=127.0.0.1 SMTP_PORT=$((port + 1)) SMTP_TLS=none
export NOTIFY_TO=therapist@example.com SMTP_FROM=bookings@example.com NOTIFY_RETRY_SECONDS=1
exec target/release/booking-api --listen "127.0.0.1:$port" --site "$dir/site" --database "$db" \
  --content "$dir/content" --prerender target/release/prerender \
  --rate-limit 1000 --public-url "http://127.0.0.1:$port" --in-call-address "1 Example Mews, London W1" \
  --calendar-feed "http://127.0.0.1:$((port + 2))/calendar.ics" --calendar-feed-every 1s
