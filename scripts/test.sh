#!/usr/bin/env bash
# The project's test command (`npm test`): system deps, then unit specs, then e2e specs.
# Extra arguments are forwarded to both jest runs (e.g. a test path pattern or -t NAME).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
# The multi-process e2e specs run the app as `npm run start:prod` does: from dist/.
npm run build --silent
# ts-jest transpiles without type-checking (isolatedModules): check the whole tree, specs included, once.
npm run typecheck --silent

# A filter may leave one project without matches: that is fine then, not with no filter.
filter=()
if [ "$#" -gt 0 ]; then filter=(--passWithNoTests); fi

npx jest --config jest.config.js --selectProjects unit "${filter[@]}" "$@"
npx jest --config jest.config.js --selectProjects e2e --runInBand "${filter[@]}" "$@"
