#!/usr/bin/env bash
# solhint on every Solidity source (contracts/**/*.sol) with .solhint.json. Exits non-zero on an
# error, and on more than SOLHINT_MAX_WARNINGS warnings when it is set: `make lint` sets it to 0, so
# a warning fails the gate too. Run bare, it prints and counts warnings without failing on them.
# An inline `solhint-disable` is for a rule that misreads a deliberate choice, with a one-line reason.
#
# .solhint.json, rule by rule (JSON has no comments, so the reasons live here):
#   extends solhint:recommended   solhint's own baseline (security, naming, best practice).
#   compiler-version 0.8.28       error: the pragma is pinned to the compiler the project pins.
#   no-global-import              error: named imports only (house style).
#   gas-custom-errors             error: custom errors, never revert strings (ERC-6093 style).
#   named-parameters-mapping      error: `mapping(address account => uint256)`, keys named.
#   ordering                      warn: types, constants, storage, events, errors, modifiers,
#                                 constructor/initializer, external, public, internal, private.
#   func-visibility               warn, constructors exempt: they take no visibility since 0.7.
#   use-natspec                   warn: NatSpec on contracts and public surface, `@inheritdoc` counts;
#                                 no @author (the project, not a person, owns the code).
#   no-inline-assembly            off: assembly appears only in ERC-7201 storage accessors
#                                 (`$.slot := X`); slither's `assembly` detector lists any other use.
#   gas-indexed-events            off: amounts are not indexed on purpose (nobody filters logs by
#                                 amount, and an indexed value costs more to emit).
#   gas-small-strings             off: the long strings are EIP-712 type strings hashed at compile time.
#   gas-strict-inequalities       off: EIP-3009's validAfter/validBefore bounds are specified as they
#                                 are written; semantics win over a few gas.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SOLHINT="${SOLHINT:-$ROOT/node_modules/.bin/solhint}"
if [ ! -x "$SOLHINT" ]; then
  echo "solhint not found at $SOLHINT: add it to package.json devDependencies and run npm ci" >&2
  exit 2
fi

args=(--disc --noPoster --config .solhint.json --formatter unix)  # --disc: no update check (offline)
if [ -n "${SOLHINT_MAX_WARNINGS:-}" ]; then
  args+=(--max-warnings "$SOLHINT_MAX_WARNINGS")
fi
# solhint expands the quoted glob itself, node_modules never included. The output is kept in
# reports/solhint.txt for the summary at the end of make test.
mkdir -p reports
"$SOLHINT" "${args[@]}" 'contracts/**/*.sol' | tee reports/solhint.txt
exit "${PIPESTATUS[0]}"
