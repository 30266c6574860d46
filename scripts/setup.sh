#!/usr/bin/env bash
# Installs every Debian package Kappa needs to build, test and run its demo.
# Idempotent and non-interactive: does nothing when all packages are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libboost-system-dev
  libsimdjson-dev libabsl-dev
  libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev
  librdkafka-dev libcli11-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  kcat python3-kafka
  python3-avro  # independent reader of our Iceberg manifests (tests/integration/test_iceberg_avro.py)
  postgresql-client python3-psycopg2  # pg-wire clients (tests/integration/test_pgwire.py)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm run the independent test clients (tests/package.json). A
# nodejs build that bundles npm (and conflicts with Debian's npm) counts.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Test clients from npm (@duckdb/node-api, pg, kafkajs), pinned by
# tests/package-lock.json; skipped while node_modules is newer than the lock
# (npm ci writes node_modules/.package-lock.json last).
TESTS_DIR="$(dirname "$0")/../tests"
if [ ! "$TESTS_DIR/node_modules/.package-lock.json" -nt "$TESTS_DIR/package-lock.json" ]; then
  echo "setup: npm ci --prefix tests"
  npm ci --prefix "$TESTS_DIR" --no-audit --no-fund --loglevel=error >/dev/null
fi
