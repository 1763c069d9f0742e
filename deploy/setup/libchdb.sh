#!/usr/bin/env bash
# Fetches the embedded ClickHouse engine (libchdb.so, chDB) from the npm registry
# package @chdb/lib-linux-x64-gnu, checks npm's sha512 integrity, and unpacks it
# into a cache outside the clone so repeated runs reuse it. Prints the path.
# Idempotent; the library is never committed.
#   ANTQ_LIBCHDB   use this file instead (nothing is fetched)
#   ANTQ_CACHE     cache root (default ~/.cache/antq)
set -euo pipefail
VERSION="26.7.3-stable.1"
PKG="@chdb/lib-linux-x64-gnu"
# `npm view @chdb/lib-linux-x64-gnu@26.7.3-stable.1 dist.integrity`
INTEGRITY="sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw=="

if [ -n "${ANTQ_LIBCHDB:-}" ]; then
  [ -s "$ANTQ_LIBCHDB" ] || { echo "libchdb: ANTQ_LIBCHDB=$ANTQ_LIBCHDB does not exist or is empty" >&2; exit 1; }
  echo "$ANTQ_LIBCHDB"; exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "libchdb: only linux x86_64 is handled (set ANTQ_LIBCHDB to a libchdb.so for this platform)" >&2; exit 1;;
esac
DEST="${ANTQ_CACHE:-$HOME/.cache/antq}/chdb/$VERSION"
if [ -s "$DEST/libchdb.so" ] && [ -f "$DEST/.verified" ]; then echo "$DEST/libchdb.so"; exit 0; fi
command -v npm >/dev/null || { echo "libchdb: npm is needed to fetch $PKG@$VERSION" >&2; exit 1; }
mkdir -p "$DEST"
work="$(mktemp -d "$DEST/.fetch.XXXXXX")"; trap 'rm -rf "$work"' EXIT
echo "libchdb: fetching $PKG@$VERSION from the npm registry (≈180 MB, once)" >&2
( cd "$work" && npm pack --silent "$PKG@$VERSION" >/dev/null 2>"$work/npm.err" ) || { cat "$work/npm.err" >&2; exit 1; }
tgz="$(ls "$work"/*.tgz)"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "libchdb: integrity mismatch for $PKG@$VERSION: got $got, want $INTEGRITY" >&2; exit 1
fi
tar -xzf "$tgz" -C "$work" package/libchdb.so
mv "$work/package/libchdb.so" "$DEST/libchdb.so.tmp"
mv "$DEST/libchdb.so.tmp" "$DEST/libchdb.so"
echo "$VERSION $INTEGRITY" > "$DEST/.verified"
echo "$DEST/libchdb.so"
