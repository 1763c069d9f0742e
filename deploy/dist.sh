#!/usr/bin/env bash
# Builds the release tarball dist/antq-<version>-linux-amd64.tar.gz (run by
# `make dist`): the static binary, README, INSTALL, the project's NOTICE
# with every NOTICE file of the tree (ECharts, reference data), the licence
# files of every Go module linked into the binary, the systemd unit and the
# env example. The engine library is not in it (≈ 540 MB; fetched by
# `antq setup` or copied by hand, see deploy/INSTALL.md).
#   VERSION  release version (default: git describe)
#   GO       go command (default: go)
#   DIST_DIR where the tarball goes (default: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"
VERSION="${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}"
name="antq-$VERSION-linux-amd64"
DIST_DIR="${DIST_DIR:-dist}"
out="$DIST_DIR/$name.tar.gz"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
root="$work/$name"
mkdir -p "$root/licenses" "$root/deploy"

CGO_ENABLED=0 GOOS=linux GOARCH=amd64 "$GO" build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$root/antq" ./cmd/antq
cp README.md "$root/README.md"
cp deploy/INSTALL.md "$root/INSTALL.md"
cp deploy/antq.service deploy/antq.env.example "$root/deploy/"
cp NOTICE "$root/NOTICE"
# Every other NOTICE/LICENSE file of the tree (ECharts in dashboard/web/dist,
# the reference bundle), under its path.
git ls-files -co --exclude-standard '*NOTICE*' '*LICENSE*' | grep -v '^NOTICE$' | grep -v node_modules | while read -r f; do
	mkdir -p "$root/licenses/$(dirname "$f")"
	cp "$f" "$root/licenses/$f"
done
# The licence of every Go module in the binary.
"$GO" list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}' ./cmd/antq | sort -u |
	while read -r mod dir; do
		[ -n "$dir" ] || continue
		for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
			[ -f "$f" ] || continue
			mkdir -p "$root/licenses/go/$mod"
			cp "$f" "$root/licenses/go/$mod/"
		done
	done
mkdir -p "$DIST_DIR"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$out.tmp" "$name"
mv "$out.tmp" "$out"
echo "$out"
