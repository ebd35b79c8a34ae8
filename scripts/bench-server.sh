#!/usr/bin/env bash
# The receiver as a static file server, beside nginx serving the same files (a benchmark that
# prints numbers, not a test): requests per second and p50/p99 latency from wrk, with one
# keep-alive connection and with 32, on /robots.txt and on an article page, and the
# receiver's throughput as a ratio to nginx's. Issue 21's target: at 32 connections, at least
# 0.5x nginx and p99 under 5 ms. Both servers listen on loopback only; both are stopped on
# exit, however the script ends.
# Usage: scripts/bench-server.sh   (make bench-server). Serves dist/ when it has been built
# (make build), else a small stand-in site made here. BENCH_SECONDS sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${BENCH_SECONDS:-3}
RECEIVER_PORT=${BENCH_RECEIVER_PORT:-8391}
NGINX_PORT=${BENCH_NGINX_PORT:-8392}

if ! command -v wrk >/dev/null || { ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; }; then
  echo "Installing wrk and nginx (Debian packages)..."
  # The package would start nginx as a system service on port 80; this bench runs its own.
  no_start=''
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    no_start=/usr/sbin/policy-rc.d
  fi
  status=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; } || status=$?
  [ -z "$no_start" ] || rm -f "$no_start"
  [ "$status" = 0 ] || { echo "could not install wrk and nginx" >&2; exit 1; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --quiet --release -p booking-api

work=$(mktemp -d)
receiver='' nginx=''
cleanup() {
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null && wait "$receiver" 2>/dev/null
  [ -n "$nginx" ] && kill "$nginx" 2>/dev/null && wait "$nginx" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ -f dist/index.html ]; then
  site=$PWD/dist
else
  # No build: a stand-in with the same shapes (a tiny text file, an article-sized page).
  site=$work/site
  mkdir -p "$site/articles/back-pain"
  echo '<!doctype html><title>Home</title><p>Stand-in site for the server bench.' > "$site/index.html"
  echo '<!doctype html><title>Not found</title>' > "$site/404.html"
  printf 'User-agent: *\nAllow: /\n' > "$site/robots.txt"
  { echo '<!doctype html><html lang="en"><title>Back pain</title><main>'
    for i in $(seq 1 60); do echo "<p>Paragraph $i of a stand-in article, about as long as a real one.</p>"; done
    echo '</main></html>'; } > "$site/articles/back-pain/index.html"
  echo "(no dist/: serving a stand-in site; make build first to measure the real one)"
fi
article=/articles/back-pain/
[ -f "$site/articles/back-pain/index.html" ] || article=/$(cd "$site" && dirname "$(ls articles/*/index.html | head -1)")/

# Waits until a server answers, or fails naming it (no fixed sleep).
wait_for() {
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/robots.txt" && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited before answering" >&2; return 1; }
    sleep 0.1
  done
  echo "$3 did not answer on port $1" >&2
  return 1
}

# The log goes where a service manager would take it; here, nowhere.
target/release/booking-api --listen "127.0.0.1:$RECEIVER_PORT" --site "$site" \
  --database "$work/bench.sqlite" 2>/dev/null &
receiver=$!

# nginx as a static host would run it: sendfile, keep-alive, no access log.
mkdir -p "$work/nginx"
user=''
[ "$(id -u)" = 0 ] && user='user root;'  # the stand-in lives in a folder only its owner can read
cat > "$work/nginx/nginx.conf" <<EOF
$user
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $site;
    location / { try_files \$uri \$uri/index.html =404; }
  }
}
EOF
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx=$!

wait_for "$RECEIVER_PORT" "$receiver" booking-api
wait_for "$NGINX_PORT" "$nginx" nginx

# wrk's latency in milliseconds (it prints us, ms or s).
to_ms() { awk '{ v = $1; if (v ~ /us$/) v /= 1000; else if (v ~ /ms$/) v += 0; else if (v ~ /s$/) v *= 1000; printf "%.2f", v }' <<< "$1"; }

# One run: "requests/s p50 p99" for a URL at a number of connections.
measure() {
  local out threads=$(( $2 < 2 ? 1 : 2 ))
  out=$(wrk -t"$threads" -c"$2" -d"${SECONDS_EACH}s" --latency "$1")
  printf '%s %s %s\n' \
    "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out")" \
    "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<< "$out")")" \
    "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")"
}

echo
echo "Static files on loopback, ${SECONDS_EACH} s each (wrk; $(nproc) cores shared by wrk and the server):"
printf '  %-22s %5s | %10s %8s %8s | %10s %8s %8s | %6s\n' path conns 'receiver/s' p50_ms p99_ms 'nginx/s' p50_ms p99_ms ratio
misses=()
for path in /robots.txt "$article"; do
  for conns in 1 32; do
    read -r r_rps r_p50 r_p99 < <(measure "http://127.0.0.1:$RECEIVER_PORT$path" "$conns")
    read -r n_rps n_p50 n_p99 < <(measure "http://127.0.0.1:$NGINX_PORT$path" "$conns")
    ratio=$(awk -v r="$r_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", (n > 0 ? r / n : 0) }')
    printf '  %-22s %5d | %10d %8s %8s | %10d %8s %8s | %5sx\n' \
      "$path" "$conns" "$r_rps" "$r_p50" "$r_p99" "$n_rps" "$n_p50" "$n_p99" "$ratio"
    if [ "$conns" = 32 ]; then
      awk -v q="$ratio" 'BEGIN { exit !(q < 0.5) }' && misses+=("$path: ${ratio}x nginx")
      awk -v p="$r_p99" 'BEGIN { exit !(p >= 5) }' && misses+=("$path: p99 $r_p99 ms")
    fi
  done
done
echo
if [ ${#misses[@]} = 0 ]; then verdict=met; else verdict="not met: $(printf '%s; ' "${misses[@]}")"; fi
echo "Target at 32 connections (receiver at least 0.5x nginx, p99 under 5 ms): $verdict"
busy=$(ps -eo pcpu=,comm= | awk '$2 != "wrk" && $2 != "nginx" && $2 != "booking-api" && $1 > 20 { print $2 }' | sort -u | tr '\n' ' ')
[ -z "$busy" ] || echo "(other processes were busy meanwhile: $busy; the figures are low by their share)"
