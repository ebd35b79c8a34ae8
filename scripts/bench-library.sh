#!/usr/bin/env bash
# Prints the article library's figures (a benchmark, not a test):
#  - time to render each article and to search 100 articles, natively in release mode;
#  - what a first visit to an article downloads (gzip -9 and raw), with the real library and
#    with 500 generated articles added: the code must stay the same, only the index grows.
# Usage: scripts/bench-library.sh   (expects the release site in dist/: make site)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "build the site first: make site" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release -p site-build --bin library-bench -- --generate 500 "$work/content"
cargo run --quiet --release -p site-build --bin site-build -- --content "$work/content" --out "$work/out" 2>/dev/null

gz() { gzip -9 -c "$1" | wc -c; }
row() { printf '  %-38s %9s %9s\n' "$1" "$2" "$3"; }
echo
echo "First visit to /articles/back-pain (bytes):"
row file raw gzip
total_raw=0; total_gz=0
for f in dist/index.html dist/*.js dist/*_bg.wasm dist/*.css dist/content/library.json dist/content/articles/back-pain.md; do
  raw=$(wc -c < "$f"); g=$(gz "$f")
  row "${f#dist/}" "$raw" "$g"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + g))
done
row "total" "$total_raw" "$total_gz"
code_gz=$(( $(gz dist/*_bg.wasm) + $(gz "$(ls dist/*.js | head -1)") ))
echo
echo "With 500 generated articles added ($(ls "$work/content/articles" | wc -l) in all):"
row file raw gzip
row "code (wasm + js): unchanged" "-" "$code_gz"
for f in library.json search.json; do
  row "content/$f (real library)" "$(wc -c < "dist/content/$f")" "$(gz "dist/content/$f")"
  row "content/$f (with 500 more)" "$(wc -c < "$work/out/content/$f")" "$(gz "$work/out/content/$f")"
done
echo
echo "The wasm is built from src/ and content/services.toml only (build.rs); articles reach"
echo "the browser as the files above, so the code a first visit downloads does not grow."
