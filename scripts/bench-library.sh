#!/usr/bin/env bash
# Prints the article library's figures (a benchmark, not a test):
#  - time to render each article and to search 100 articles, natively in release mode;
#  - the library's files with the real library and with 500 generated articles added: the
#    code must stay the same, only the index grows. (`make bench` measures first visits and
#    build times for both in the browser.)
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
code_gz=$(( $(gz dist/massage-site-*_bg.wasm) + $(gz dist/massage-site-*[0-9a-f].js) ))
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
echo "the browser as the files above (the index only when the app runs), so the code does not grow."
