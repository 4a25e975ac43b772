#!/usr/bin/env bash
# The alerts, checked by Prometheus' own tool: `promtool check rules` on the rule groups of
# deploy/base/monitoring/prometheus-rules.yaml (the PrometheusRule's spec, extracted to a plain
# rules file), then `promtool test rules` on deploy/base/monitoring/alerts.test.yaml, the unit
# tests that show each alert firing on the series that should fire it and silent otherwise.
# Installs Debian's `prometheus` package (which ships promtool) when promtool is missing.
#
#   scripts/delivery/promtool-rules.sh
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT" || exit 1

MONITORING=deploy/base/monitoring
if ! command -v promtool >/dev/null 2>&1; then
  ensure_apt_packages prometheus
fi
command -v promtool >/dev/null 2>&1 || fail "promtool not found (Debian package prometheus)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The test file names its rules file `alerts.rules.yaml`, relative to itself.
# shellcheck disable=SC2016 # JavaScript, not shell: its template literal must not expand.
node -e '
  const { parse, stringify } = require("yaml");
  const { readFileSync, writeFileSync } = require("node:fs");
  const rule = parse(readFileSync(process.argv[1], "utf8"));
  if (rule.kind !== "PrometheusRule" || !Array.isArray(rule.spec?.groups)) {
    throw new Error(`${process.argv[1]} is not a PrometheusRule with spec.groups`);
  }
  writeFileSync(process.argv[2], stringify(rule.spec));
' "$MONITORING/prometheus-rules.yaml" "$work/alerts.rules.yaml" || fail "could not extract the rule groups"
cp "$MONITORING/alerts.test.yaml" "$work/alerts.test.yaml"

status=0
# The first line only, read from the whole answer (head -n 1 in a pipe risks SIGPIPE under pipefail).
promtool_version="$(promtool --version 2>&1)"
echo "${promtool_version%%$'\n'*}"
(cd "$work" && promtool check rules alerts.rules.yaml) || status=1
(cd "$work" && promtool test rules alerts.test.yaml) || status=1
exit "$status"
