#!/usr/bin/env bash
# Every delivery check, non-interactively, from a fresh clone (this is what .ci/run calls):
#   1. the tools: the Debian packages it needs (podman, buildah, runc, docker-compose,
#      busybox-static, the shell linter) installed if missing, node_modules likewise;
#   2. static validations: workflows, release workflow test, compose, Dockerfile, Kubernetes;
#   3. the OpenAPI document exported from the app, linted with redocly;
#   4. the container smoke test (podman build of the real Dockerfile, run, checks, figures);
#   5. docker-compose up/down of docker-compose.yml, driving podman through its Docker API.
#
#   scripts/delivery/check-all.sh
#
# Runs all of them even after a failure, prints a summary, exits non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT" || exit 1

started="$(now_ms)"
log "Tools"
ensure_podman
ensure_apt_packages docker-compose shellcheck redis-server
if [[ ! -d node_modules ]]; then
  log "Installing node_modules (npm ci)"
  npm ci --no-audit --no-fund || fail "npm ci failed"
fi
echo "node $(node --version), npm $(npm --version), $(podman --version), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /')"

passed=0
failed=()
step() {
  local name="$1"
  shift
  log "$name"
  if "$@"; then
    passed=$(( passed + 1 ))
  else
    failed+=("$name")
  fi
}

step "Static validations of the delivery files" bash "$DELIVERY_DIR/validate.sh"
step "OpenAPI export and redocly lint" bash "$DELIVERY_DIR/validate-openapi.sh"
step "Container smoke test" bash "$DELIVERY_DIR/container-test.sh"
# After the container test, whose image it starts.
step "docker-compose up with .env from .env.example" bash "$DELIVERY_DIR/compose-test.sh"

log "Summary ($(( ($(now_ms) - started) / 1000 )) s)"
for name in "${failed[@]}"; do
  echo "FAIL $name"
done
echo "delivery checks: $passed passed, ${#failed[@]} failed"
(( ${#failed[@]} == 0 ))
