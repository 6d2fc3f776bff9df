#!/usr/bin/env bash
# `npm test`: the mocha specs in one lane, the static checks (type-check, ESLint, Prettier) and
# the policy enforcement on both stacks in another, side by side on the machine's cores. The
# second lane's output is held back and printed after mocha's, so the two never interleave.
# Exit status: 0 only when both lanes pass.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
{ npm run --silent typecheck && npm run --silent lint && npm run --silent enforce:all; } >"$log" 2>&1 &
checks=$!
npm run --silent spec
spec=$?
wait "$checks"
checked=$?
cat "$log"
[ "$checked" -eq 0 ] || echo "npm test: the type-check, lint or policy enforcement failed (above)" >&2
[ "$spec" -eq 0 ] && [ "$checked" -eq 0 ]
