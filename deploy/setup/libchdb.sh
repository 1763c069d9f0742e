#!/usr/bin/env bash
# Prints the path of the embedded ClickHouse engine (libchdb.so), fetching it
# once if needed. The work is done by `antq setup` (npm package
# @chdb/lib-linux-x64-gnu at the pinned version, sha512-checked, unpacked
# into ~/.cache/antq/chdb/<version>/); this script is kept for callers of
# the old path. ANTQ_LIBCHDB, ANTQ_CACHE and ANTQ_NPM_REGISTRY apply.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec go run ./cmd/antq setup
