#!/usr/bin/env bash
# The dashboard page's types of our API, generated from the app's own OpenAPI document
# (scripts/export-openapi.ts boots the real app) by openapi-typescript, so the page cannot drift
# from what the routes answer.
#
#   scripts/api-types.sh            writes web/src/api/schema.d.ts   (npm run api-types)
#   scripts/api-types.sh --check    fails when the committed file is not what the app documents
#                                   now (npm run test:web runs it)
set -euo pipefail
cd "$(dirname "$0")/.."

target=web/src/api/schema.d.ts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON --disable-warning=ExperimentalWarning \
  scripts/export-openapi.ts "$scratch/openapi.json" >/dev/null
npx --no-install openapi-typescript "$scratch/openapi.json" --output "$scratch/raw.d.ts" >/dev/null
# Formatted like the rest of the code base, so the committed file passes prettier --check.
npx --no-install prettier --stdin-filepath "$target" <"$scratch/raw.d.ts" >"$scratch/schema.d.ts"

if [ "${1:-}" = "--check" ]; then
  if ! diff -u "$target" "$scratch/schema.d.ts"; then
    echo "$target does not match the API's OpenAPI document: run npm run api-types and commit it" >&2
    exit 1
  fi
  echo "$target matches the API's OpenAPI document"
else
  cp "$scratch/schema.d.ts" "$target"
  echo "wrote $target"
fi
