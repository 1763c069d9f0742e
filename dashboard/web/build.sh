#!/bin/sh
# build.sh copies the npm-built front-end files from node_modules (installed
# by `npm ci` from package-lock.json) into dist/, which is committed and
# embedded into the Go binary by package web, and writes dist/manifest.json:
# the ECharts version and integrity of the lock file and the SHA-256 of every
# copied file with its source path (TestDistMatchesLock holds them together).
# The page itself (src/) is embedded as written, not copied.
# Run it through `make assets` or `make -C dashboard/web`.
set -eu
cd "$(dirname "$0")"

want=$(node -p "require('./package-lock.json').packages['node_modules/echarts'].version")
got=$(node -p "require('./node_modules/echarts/package.json').version" 2>/dev/null || true)
if [ "$got" != "$want" ]; then
	echo "build.sh: node_modules has echarts '${got:-none}', package-lock.json pins '$want': run npm ci first" >&2
	exit 1
fi

mkdir -p dist
find dist -mindepth 1 ! -name README.txt -delete
node - <<'JS'
const fs = require('fs'), crypto = require('crypto');
const lock = require('./package-lock.json').packages['node_modules/echarts'];
const files = {
  'echarts.min.js': 'node_modules/echarts/dist/echarts.min.js',
  'langVI.js': 'node_modules/echarts/i18n/langVI.js',
  'LICENSE.echarts.txt': 'node_modules/echarts/LICENSE',
  'NOTICE.echarts.txt': 'node_modules/echarts/NOTICE',
};
const manifest = { package: 'echarts', version: lock.version, integrity: lock.integrity, files: {} };
for (const [name, from] of Object.entries(files)) {
  const b = fs.readFileSync(from);
  fs.writeFileSync('dist/' + name, b);
  manifest.files[name] = { from, sha256: crypto.createHash('sha256').update(b).digest('hex') };
}
fs.writeFileSync('dist/manifest.json', JSON.stringify(manifest, null, 2) + '\n');
JS
echo "build.sh: dist/ has echarts $want"
