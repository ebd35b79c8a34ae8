#!/usr/bin/env bash
# The site's speed and size figures (a benchmark that prints numbers, not a test):
#  - raw and gzip bytes of each asset, and what a first visit to each route downloads;
#  - Lighthouse (mobile preset, median of 3) for the main routes: the four category scores,
#    FCP, LCP, TBT and CLS;
#  - the back-pain article as a plain static page (same Markdown, no JS) in the same run,
#    and the ratio of the app's article LCP to it.
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

# The plain static article, served beside the site.
css=$(cd dist && ls main-*.css | head -1)
mkdir -p dist/bench
cargo run --quiet --release -p site-build --bin static-article -- back-pain "/$css" > dist/bench/back-pain-static.html

target/release/booking-api --listen "127.0.0.1:$PORT" --site dist --database "$work/bench.sqlite" 2>/dev/null &
server=$!
sleep 1

gz() { gzip -9 -c "$1" | wc -c; }
echo "Assets (bytes):"
printf '  %-44s %9s %9s\n' file raw gzip
app_gz=0
for f in dist/index.html dist/articles/back-pain/index.html dist/*.js dist/*_bg.wasm dist/*.css; do
  printf '  %-44s %9d %9d\n' "${f#dist/}" "$(wc -c < "$f")" "$(gz "$f")"
done
for f in dist/*.js dist/*_bg.wasm dist/main-*.css; do app_gz=$((app_gz + $(gz "$f"))); done
index_gz=$(gz dist/content/library.json)
article_gz=$(gz dist/content/articles/back-pain.md)
echo
# Each page is prerendered HTML; the app then loads (JS, wasm) and, on pages that show the
# library, fetches its index (and the article's Markdown) before taking the page over.
echo "First visit (gzip bytes; budget 200000):"
printf '  %-30s %9d\n' "/" $(( $(gz dist/index.html) + app_gz ))
printf '  %-30s %9d\n' "/articles/back-pain" $(( $(gz dist/articles/back-pain/index.html) + app_gz + index_gz + article_gz ))
printf '  %-30s %9d\n' "  of which HTML + CSS" $(( $(gz dist/articles/back-pain/index.html) + $(gz "dist/$css") ))
printf '  %-30s %9d\n' "static back-pain page" $(( $(gz dist/bench/back-pain-static.html) + $(gz "dist/$css") ))

lighthouse_median() { # url -> "perf a11y bp seo fcp lcp tbt cls" (median of RUNS)
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
      Math.round(audit("total-blocking-time")), audit("cumulative-layout-shift").toFixed(3)].join(" "));
  ' $(for i in $(seq "$RUNS"); do echo "$work/lh-$i.json"; done)
}

echo
echo "Lighthouse, mobile preset, median of $RUNS (targets: perf >= 95, a11y/bp/seo 100, CLS < 0.02):"
printf '  %-28s %5s %5s %5s %5s %7s %7s %6s %6s\n' route perf a11y bp seo FCPms LCPms TBTms CLS
declare -A lcp
for route in / /articles /articles/back-pain /self-check /book /bench/back-pain-static.html; do
  read -r perf a11y bp seo fcp l tbt cls < <(lighthouse_median "http://127.0.0.1:$PORT$route")
  lcp[$route]=$l
  printf '  %-28s %5s %5s %5s %5s %7s %7s %6s %6s\n' "$route" "$perf" "$a11y" "$bp" "$seo" "$fcp" "$l" "$tbt" "$cls"
done
echo
awk -v a="${lcp[/articles/back-pain]}" -v s="${lcp[/bench/back-pain-static.html]}" \
  'BEGIN { if (s > 0) printf "Article LCP / static page LCP: %.2f (target <= 1.15)\n", a / s }'
rm -rf dist/bench
