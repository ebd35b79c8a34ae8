#!/usr/bin/env bash
# Builds a copy of the site with a hostile article added (tests/e2e/hostile.spec.ts), without a
# second wasm build: the built dist/ is copied and only the build's content steps run again on
# the copy (as Trunk's post_build hook runs them, see Trunk.toml), with the real articles plus
# hostile-content.md. Usage: tests/e2e/hostile/prepare.sh [OUT] (default var/hostile).
set -euo pipefail
out=${1:-var/hostile}
[[ -f dist/shell.html ]] || { echo "build the site first (make build)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cp -r content "$out/content"
cp tests/e2e/hostile/hostile-content.md "$out/content/articles/"
cp -r dist "$out/site"
# Trunk's page again (prerender refuses a prerendered index.html), and nothing left from the
# first build's content: the library files, pages and compressed copies are written anew.
cp "$out/site/shell.html" "$out/site/index.html"
rm -rf "$out/site/content" "$out/site/articles"
find "$out/site" \( -name '*.br' -o -name '*.gz' \) -delete
cargo run --quiet --locked -p site-build --bin site-build -- --content "$out/content" --out "$out/site"
cargo run --quiet --locked -p massage-site --no-default-features --features ssr --bin prerender -- "$out/site"
