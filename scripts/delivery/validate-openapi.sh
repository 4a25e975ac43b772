#!/usr/bin/env bash
# Exports the OpenAPI document from the real application and lints it with redocly.
#
#   scripts/delivery/validate-openapi.sh [out-file]      (default: a temporary file)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

out="${1:-}"
if [[ -z "$out" ]]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  out="$scratch/openapi.json"
fi

# Node runs the exporter itself (not tsx): it compiles src/ with decorator metadata, which Nest needs.
node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON scripts/export-openapi.ts "$out"
# No telemetry or update check from a CI job.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npx --no-install redocly lint "$out" --config scripts/delivery/redocly.yaml --format=stylish
