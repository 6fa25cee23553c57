#!/usr/bin/env bash
# Sets causeway up (scripts/setup.sh) and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# One test process at a time: the suites use every core themselves.
ctest --test-dir build --output-on-failure
