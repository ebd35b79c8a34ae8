#!/usr/bin/env bash
# Publish-to-live (a benchmark that prints numbers, not a test): an article's title is edited,
# `publish` runs the content steps on the built site (as `make content` does) and the
# receiver, serving that site on loopback, is asked for the page until it shows the new
# title. Printed: each run's time from the edit to the page served, their median, and the
# median as a ratio to copying the built site alone (the floor of any publish, same run).
# Issue 24's target: under 5 s. Works on copies in a temporary folder: dist/ and content/ are
# never touched. Usage: scripts/bench-publish.sh (make bench-publish). RUNS sets the count.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PORT=${BENCH_PUBLISH_PORT:-8393}
[ -f dist/shell.html ] || { echo "build the site first (make build)" >&2; exit 1; }

cargo build --quiet --locked -p site-build --bin publish
cargo build --quiet --locked -p massage-site --no-default-features --features ssr --bin prerender
cargo build --quiet --locked --release -p booking-api

work=$(mktemp -d)
receiver=''
cleanup() {
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null && wait "$receiver" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cp -a dist "$work/site"
cp -r content "$work/content"

target/release/booking-api --listen "127.0.0.1:$PORT" --site "$work/site" \
  --database "$work/bookings.sqlite" >"$work/receiver.log" 2>&1 &
receiver=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/robots.txt" 2>/dev/null && break
  kill -0 "$receiver" 2>/dev/null || { cat "$work/receiver.log" >&2; exit 1; }
  sleep 0.1
done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

article=$work/content/articles/back-pain.md
times=()
for run in $(seq 1 "$RUNS"); do
  marker="Back pain, edition $run $$"
  sed -i "s/^title: .*/title: \"$marker\"/" "$article"
  start=$(now_ms)
  target/debug/publish --content "$work/content" --prerender target/debug/prerender "$work/site" 2>"$work/publish.log" \
    || { cat "$work/publish.log" >&2; exit 1; }
  until curl -fsS "http://127.0.0.1:$PORT/articles/back-pain" | grep -q "$marker"; do
    [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "run $run: the page never showed the edit" >&2; exit 1; }
  done
  took=$(( $(now_ms) - start ))
  times+=("$took")
  printf 'run %d: edit to live in %d ms (%s)\n' "$run" "$took" "$(grep -o '[0-9]* files compressed ([0-9]* unchanged)' "$work/publish.log")"
done

copies=()
for _ in $(seq 1 "$RUNS"); do
  start=$(now_ms)
  cp -a dist "$work/copy"
  copies+=($(( $(now_ms) - start )))
  rm -rf "$work/copy"
done

live=$(printf '%s\n' "${times[@]}" | median)
copy=$(printf '%s\n' "${copies[@]}" | median)
printf '\npublish to live, median of %d: %d ms (target: under 5000 ms)\n' "$RUNS" "$live"
printf 'copying the built site alone (baseline): %d ms; ratio %s\n' "$copy" \
  "$(awk -v a="$live" -v b="$copy" 'BEGIN { if (b < 1) b = 1; printf "%.1fx", a / b }')"
