#!/bin/sh
# build.sh copies the front-end assets from node_modules (installed by
# `npm ci`) into dist/, which package web embeds into the Go binary.
# Run it through `make -C dashboard/web` or `npm --prefix dashboard/web run build`.
set -eu
cd "$(dirname "$0")"

want=$(node -p "require('./package.json').dependencies.echarts")
got=$(node -p "require('./node_modules/echarts/package.json').version" 2>/dev/null || true)
if [ "$got" != "$want" ]; then
	echo "build.sh: node_modules has echarts '${got:-none}', package.json pins '$want': run npm ci first" >&2
	exit 1
fi

mkdir -p dist
cp node_modules/echarts/dist/echarts.min.js dist/echarts.min.js
cp node_modules/echarts/i18n/langVI.js dist/langVI.js
cp node_modules/echarts/LICENSE dist/LICENSE.echarts.txt
cp node_modules/echarts/NOTICE dist/NOTICE.echarts.txt
cp src/antq.js dist/antq.js
# The page: copied as written (no bundler; plain ES5/ES2015 scripts).
for f in index.html embed.html app.js embed.js app.css favicon.svg; do
	cp "src/$f" "dist/$f"
done
printf '%s\n' "$want" > dist/echarts.version
echo "build.sh: dist/ has echarts $want"
