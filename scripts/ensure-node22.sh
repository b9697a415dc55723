#!/usr/bin/env bash
# Prints the path of a Node 22 binary, installing the `node@22` package from the npm registry into
# .cache/node22 when it is not there yet. Users run Node 22 and 24; npm scripts pin 24.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node22
version=22.23.3
bin="$dir/node_modules/node/bin/node"
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node@$version" >&2
fi
echo "$PWD/$bin"
