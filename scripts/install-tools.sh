#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there at the right
# version. Every tool comes from a package registry (crates.io, npm, Debian): this project's
# machines reach nothing else, so nothing here may download a prebuilt binary.
# Usage: scripts/install-tools.sh [build|browser|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen version pinned in Cargo.toml (and so in Cargo.lock).
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132

what=${1:-all}
log() { printf '\033[1m[install]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

have_version() { # command, expected substring of its --version
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

install_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! have_version trunk "$TRUNK_VERSION"; then
    log "installing trunk $TRUNK_VERSION (about 7 minutes on 2 cores)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    # Not --locked: the CLI's own lockfile names a crate version the registry no longer has.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if ! have_version wasm-opt "version_$BINARYEN_VERSION" || [ ! -d node_modules ]; then
    log "installing npm packages (binaryen $BINARYEN_VERSION, playwright-core, axe-core)"
    # Playwright drives Debian's chromium; it must never try to download a browser of its own.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  fi
}

install_browser() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing Debian chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
}

case "$what" in
  build) install_build ;;
  browser) install_browser ;;
  all) install_build; install_browser ;;
  *) echo "usage: $0 [build|browser|all]" >&2; exit 2 ;;
esac
