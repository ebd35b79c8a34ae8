# Two commands for a newcomer: `make run` and `make test` (see README.md).
# Every target installs what it needs first (scripts/install-tools.sh skips what is there).

SHELL := /bin/bash
PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Trunk must never try to download wasm-bindgen or wasm-opt (the machines have no internet).
export TRUNK_OFFLINE := true

RECEIVER := target/release/booking-api
# The app's components rendering pages natively: the receiver runs it when the therapist
# publishes from the inbox's article editor (see docs/inbox.md).
PRERENDER := target/release/prerender

.PHONY: run build site receiver test test-native test-browser test-e2e test-hostile fuzz lint tools tools-browser bench bench-library bench-server bench-publish bench-diary content test-deploy clean

## run: install what is missing, build, and serve the site and booking receiver on $(PORT),
## with the inbox's article editor writing into content/
run: build
	$(RECEIVER) --listen 127.0.0.1:$(PORT) --site dist --database var/bookings.sqlite \
		--content content --prerender $(PRERENDER)

## build: the release site in dist/ and the receiver
build: site receiver

site: tools
	cargo fetch --locked  # Trunk runs cargo offline: the crates must be here first
	trunk build --release

receiver:
	cargo build --release -p booking-api
	cargo build --release -p massage-site --no-default-features --features ssr --bin prerender

## content: publish the articles again on the built site in dist/, without compiling the app
## (seconds, not minutes): the build's content steps on a copy, swapped in atomically. A change
## to services.toml or self-check.toml is compiled into the app: that needs `make build`.
content:
	@[ -f dist/shell.html ] || { echo "build the site first (make build)" >&2; exit 1; }
	cargo build --quiet --locked -p site-build --bin publish
	cargo build --quiet --locked -p massage-site --no-default-features --features ssr --bin prerender
	target/debug/publish --content content --prerender target/debug/prerender dist

## test: every layer — lint, native unit tests, browser tests, end-to-end tests
test: lint test-native test-browser test-e2e test-hostile test-deploy

lint: tools
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude massage-site --all-targets -- -D warnings
	cargo clippy -p massage-site --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p massage-site --no-default-features --features ssr --bin prerender --test prerender_snapshot --test publish -- -D warnings

# The app crate's components are tested in the browser (their logic lives in crates/core);
# natively, only its prerenderer: one page as a reviewed snapshot.
# The fuzz targets (tests/fuzz.rs in massage-core and booking-api) run a few cases here;
# `make fuzz` runs many more.
test-native:
	PROPTEST_CASES=64 cargo test --workspace --exclude massage-site
	cargo test -p massage-site --no-default-features --features ssr --test prerender_snapshot --test publish

## fuzz: the receiver, the front matter parser and the Markdown pipeline with many random
## inputs (proptest; a failure is shrunk and kept in tests/fuzz.regressions: commit it)
fuzz:
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test -p massage-core --features content --test fuzz
	PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test -p booking-api --test fuzz

test-browser: tools tools-browser
	cargo test -p massage-site --target wasm32-unknown-unknown

test-e2e: tools-browser build
	npx playwright test

## test-hostile: hostile values in every article field, on the receiver and on a plain static
## server (no headers): nothing runs, and each page's own CSP <meta> blocks injected scripts.
## A copy of dist/ with a hostile article added; no second wasm build.
test-hostile: tools-browser build
	tests/e2e/hostile/prepare.sh var/hostile
	npx playwright test -c playwright.hostile.config.ts

## test-deploy: the systemd units, env example and Caddyfile in deploy/ (systemd-analyze verify
## and security, caddy validate; installs systemd and Caddy from Debian when missing)
test-deploy:
	tests/deploy/verify.sh

## bench: sizes and Lighthouse figures for the built site (prints; not part of make test)
bench: tools-browser build
	scripts/bench.sh

## bench-library: render and search timings, first-visit bytes with 500 more articles
bench-library: site
	scripts/bench-library.sh

## bench-diary: free start times for 90 days over a 5,000-event calendar feed, and reading it (prints)
bench-diary:
	cargo run --quiet --release --locked -p massage-core --example availability_bench --features feeds,content

## bench-publish: an edited article from `make content` to the receiver serving it (prints)
bench-publish: build
	scripts/bench-publish.sh

## bench-server: the receiver serving files beside nginx (req/s, p50/p99, ratio; not a test)
bench-server:
	scripts/bench-server.sh

tools:
	scripts/install-tools.sh build

tools-browser:
	scripts/install-tools.sh browser

clean:
	cargo clean
	rm -rf dist test-results playwright-report
