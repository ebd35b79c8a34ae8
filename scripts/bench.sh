#!/usr/bin/env bash
# The site's speed and size figures (a benchmark that prints numbers, not a test):
#  - raw, gzip and brotli bytes of each asset (the wasm's among them), and what a first visit
#    to each route downloads, with brotli and with gzip (scripts/first-visit.mjs, in Chromium);
#  - Lighthouse (mobile preset, median of 3) for a page of each kind: the four category scores,
#    FCP, LCP, TBT and CLS, and each route's LCP as a ratio to the baseline measured in the
#    same run: the back-pain article as one self-contained HTML file (same Markdown, styles
#    inline, nothing else fetched: the physical limit for this article on this machine);
#  - how cost grows: the same site with 500 generated articles added: the time to build the
#    library and prerender it, first-visit bytes and LCP for the article, for both libraries.
# Usage: scripts/bench.sh   (make bench builds first). Needs Chromium (make tools-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
PORT=${BENCH_PORT:-8383}
RUNS=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# Lighthouse 12 still supports the Node.js on these machines (13 needs Node 22.19).
if [ ! -x "$work/lh/node_modules/.bin/lighthouse" ]; then
  (mkdir -p "$work/lh" && cd "$work/lh" && npm install --no-audit --no-fund --loglevel=error lighthouse@12.8.2 >/dev/null)
fi
LH="$work/lh/node_modules/.bin/lighthouse"

# The baseline: the article as one self-contained file, served beside the site, and
# compressed as the build compresses every page.
mkdir -p dist/bench
baseline=dist/bench/back-pain-static.html
cargo run --quiet --release -p site-build --bin static-article -- back-pain "$(ls dist/main-*.css | head -1)" > "$baseline"
node -e '
  const fs = require("fs"), zlib = require("zlib"), file = process.argv[1], raw = fs.readFileSync(file);
  fs.writeFileSync(file + ".gz", zlib.gzipSync(raw, { level: 9 }));
  fs.writeFileSync(file + ".br", zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
' "$baseline"

target/release/booking-api --listen "127.0.0.1:$PORT" --site dist --database "$work/bench.sqlite" 2>/dev/null &
server=$!
sleep 1

# One page of every kind the prerenderer writes: home, library, article (the baseline's and
# another), the other static pages, the booking form, the self-check's start and a step. The
# step is the first: a later one opened in a fresh tab (as Lighthouse opens every page) has
# no answers before it, so the app replaces it with the first step and says why, and that
# page's largest paint is the app's, by design (src/pages/self_check/step.rs).
ROUTES=(/ /articles /articles/back-pain /articles/deep-tissue-or-swedish /services /privacy
  /self-check /self-check/emergency_signs /book)

# The build wrote a .gz and a .br copy of each (site-build's finish-site).
size() { if [ -f "$1" ]; then wc -c < "$1"; else echo 0; fi; }
echo "Assets (bytes; gzip and brotli as the build compressed them):"
printf '  %-44s %9s %9s %9s\n' file raw gzip brotli
for f in dist/index.html dist/articles/back-pain/index.html dist/sw.js dist/*.js dist/*_bg.wasm dist/*.css "$baseline"; do
  printf '  %-44s %9d %9d %9d\n' "${f#dist/}" "$(size "$f")" "$(size "$f.gz")" "$(size "$f.br")"
done | awk '!seen[$1]++'
# The site's app and the booking page's and self-check's own (massage_core::pages::PageApp).
for wasm in dist/*_bg.wasm; do
  printf '  wasm %-39s %d raw, %d gzip, %d brotli\n' "${wasm#dist/}" "$(size "$wasm")" "$(size "$wasm.gz")" "$(size "$wasm.br")"
done
echo
# Measured in Chromium: every response of a fresh visit, as sent (compressed) by the receiver.
# Reading pages fetch the app only when the visitor reaches for a control; the booking and
# self-check pages fetch it after their first paint.
first_visit() { # base route... -> one line per route
  node scripts/first-visit.mjs "$@" | awk -F '\t' '{ printf "  %-30s %9d %9d %9d %11d   %s\n", $1, $3, $4, $2, $5, $6 }'
}
echo "First visit, bytes over the wire (target for every route, with brotli: 204800):"
printf '  %-30s %9s %9s %9s %11s   %s\n' route brotli gzip here sw-after files
first_visit "http://127.0.0.1:$PORT" "${ROUTES[@]}" /bench/back-pain-static.html
echo "  (here: as this Chromium took them over http; sw-after: brotli bytes the service worker"
echo "   fetches after the page has painted, to keep the site for offline)"

lighthouse_median() { # url -> "perf a11y bp seo fcp lcp tbt cls observed-lcp" (median of RUNS)
  for i in $(seq "$RUNS"); do
    CHROME_PATH=/usr/bin/chromium "$LH" "$1" --quiet --output=json --output-path="$work/lh-$i.json" \
      --form-factor=mobile --screenEmulation.mobile \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run" >/dev/null 2>&1 || true
  done
  node -e '
    const fs = require("fs");
    const runs = process.argv.slice(1).filter(f => fs.existsSync(f)).map(f => JSON.parse(fs.readFileSync(f)));
    const med = (xs) => { xs.sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)]; };
    const score = (k) => Math.round(100 * med(runs.map(r => r.categories[k].score ?? 0)));
    const audit = (k) => med(runs.map(r => r.audits[k].numericValue ?? 0));
    console.log([score("performance"), score("accessibility"), score("best-practices"), score("seo"),
      Math.round(audit("first-contentful-paint")), Math.round(audit("largest-contentful-paint")),
      Math.round(audit("total-blocking-time")), audit("cumulative-layout-shift").toFixed(3),
      med(runs.map(r => r.audits.metrics.details.items[0].observedLargestContentfulPaint ?? 0))].join(" "));
  ' $(for i in $(seq "$RUNS"); do echo "$work/lh-$i.json"; done)
}

echo
echo "Lighthouse, mobile preset, median of $RUNS (targets: perf 100, a11y/bp/seo 100, CLS 0;"
echo "LCP at most 1.1x the self-contained file's, measured first in this run; LCP is Lighthouse's"
echo "simulation of a slow phone, obsLCP what this Chromium painted, unthrottled, with its ratio):"
printf '  %-28s %5s %5s %5s %5s %7s %7s %6s %6s %6s %8s %6s\n' route perf a11y bp seo FCPms LCPms ratio TBTms CLS obsLCPms ratio
base_lcp=
base_obs=
ratio_of() { awk -v a="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", a / s; else print "-" }'; }
for route in /bench/back-pain-static.html "${ROUTES[@]}"; do
  read -r perf a11y bp seo fcp l tbt cls obs < <(lighthouse_median "http://127.0.0.1:$PORT$route")
  base_lcp=${base_lcp:-$l}
  base_obs=${base_obs:-$obs}
  printf '  %-28s %5s %5s %5s %5s %7s %7s %6s %6s %6s %8s %6s\n' "$route" "$perf" "$a11y" "$bp" "$seo" "$fcp" "$l" \
    "$(ratio_of "$l" "$base_lcp")" "$tbt" "$cls" "$obs" "$(ratio_of "$obs" "$base_obs")"
done
rm -rf dist/bench

# Growth. The wasm does not contain the articles (they are files it fetches), so its build is
# the same for any library; what grows is the library's build step and its prerendering.
echo
echo "With 500 generated articles added (the app's build does not change; timed: site-build + prerender):"
cargo build --quiet --release -p site-build --bins
cargo build --quiet --locked -p massage-site --no-default-features --features ssr --bin prerender
cargo run --quiet --release -p site-build --bin library-bench -- --generate 500 "$work/content-500" >/dev/null
build_library() { # content dir, output site dir -> seconds
  rm -rf "$2" && cp -r dist "$2" && cp "$2/shell.html" "$2/index.html"
  local t0 t1
  t0=$(date +%s%N)
  target/release/site-build --content "$1" --out "$2" >/dev/null 2>&1 && target/debug/prerender "$2" 2>/dev/null \
    || { echo "bench: building the library in $1 failed" >&2; return 1; }
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
real_s=$(build_library content "$work/site-real") || exit 1
big_s=$(build_library "$work/content-500" "$work/site-500") || exit 1
target/release/booking-api --listen "127.0.0.1:$((PORT + 1))" --site "$work/site-500" --database "$work/bench-500.sqlite" 2>/dev/null &
server_500=$!
trap 'kill "$server" "$server_500" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
printf '  %-24s %12s %12s %12s %10s\n' library articles build_s article_bytes LCPms
row_for() { # label content base build_seconds
  local count bytes l
  count=$(ls "$2"/articles/*.md | wc -l)
  bytes=$(node scripts/first-visit.mjs "$3" /articles/back-pain | cut -f2)
  read -r _ _ _ _ _ l _ _ _ < <(lighthouse_median "$3/articles/back-pain")
  printf '  %-24s %12s %12s %12s %10s\n' "$1" "$count" "$4" "$bytes" "$l"
}
row_for "real" content "http://127.0.0.1:$PORT" "$real_s"
row_for "with 500 more" "$work/content-500" "http://127.0.0.1:$((PORT + 1))" "$big_s"
