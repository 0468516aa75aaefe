#!/usr/bin/env bash
# `npm run bench`: au against bare Nest + Bull (see bench/README.md). Needs redis-server (scripts/ensure-deps.sh
# installs it); starts its own on a free port and stops it at the end. Arguments are not used: settings are env vars
# (bench/config.ts), e.g. BENCH_ROUNDS=3 BENCH_ONLY=1,2 npm run bench. BENCH_NODE=/path/to/node runs the whole
# benchmark (every app and runner it starts) on that Node binary instead of the one on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || {
  echo "bench: redis-server not found; run 'bash scripts/ensure-deps.sh' (or apt-get install -y redis-server)" >&2
  exit 1
}

# The au app runs from dist/ as `npm run start:prod` does; the bench compiles to .bench-dist/.
npm run build --silent
rm -rf .bench-dist
npx tsc -p bench/tsconfig.json
"${BENCH_NODE:-node}" .bench-dist/bench/main.js
