#!/usr/bin/env bash
# Container smoke test: builds the real Dockerfile with podman, runs the image the way
# Kubernetes runs it (read-only root filesystem, no capabilities, no privilege escalation) and
# checks what the issue promises:
#   /health answers, with the version baked in from the build argument, and /health/ready too;
#   /github/repos/octocat works against the fake GitHub on the host (test/fake-github);
#   the process is not root; the image's HEALTHCHECK reports healthy; `stop` takes under 2 s;
#   the image holds no sources, dev tools or package manager.
# Prints the image size, the build time and the stop time.
#
#   scripts/delivery/container-test.sh
#
# Environment: CONTAINER_TEST_NO_CACHE=1 builds without podman's layer cache (a cold build's
# time); NODE_IMAGE=<ref> builds on that base instead of the local stand-in (e.g. node:24-alpine
# where a registry is reachable). Idempotent: it replaces its own container and image tag.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

IMAGE="localhost/github-dashboard-backend:container-test"
CONTAINER="github-dashboard-backend-container-test"
STOP_LIMIT_MS=2000
passed=0
pass() { passed=$(( passed + 1 )); echo "ok   $*"; }

ensure_podman
[[ -d node_modules/tsx ]] || fail "node_modules is missing: run npm ci first"

workdir="$(mktemp -d)"
fake_pid=""
redis_prefix=""
cleanup() {
  podman rm --force --ignore --time 0 "$CONTAINER" >/dev/null 2>&1 || true
  if [[ -n "$redis_prefix" ]]; then
    redis-cli -h 127.0.0.1 --scan --pattern "$redis_prefix:*" | xargs -r redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
  fi
  if [[ -n "$fake_pid" ]]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT
podman rm --force --ignore --time 0 "$CONTAINER" >/dev/null 2>&1 || true

# ---- base image -----------------------------------------------------------------------------------
if [[ -n "${NODE_IMAGE:-}" ]]; then
  base_image="$NODE_IMAGE"
else
  log "Local base image (no image registry is reachable here)"
  base_image="$("$DELIVERY_DIR/build-local-base.sh")"
fi
echo "base image: $base_image"

# ---- build ----------------------------------------------------------------------------------------
# npm inside the build goes out through this machine's TLS-intercepting proxy: it needs the
# host's CA bundle (mounted read-only, never copied into a layer) and any proxy npm is set to use.
npmrc="$workdir/npmrc"
: >"$npmrc"
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
  echo "cafile=/etc/ssl/certs/ca-certificates.crt" >>"$npmrc"
fi
for key in proxy https-proxy noproxy registry; do
  value="$(npm config get "$key" 2>/dev/null || true)"
  [[ -n "$value" && "$value" != "null" && "$value" != "undefined" ]] && echo "$key=$value" >>"$npmrc"
done
proxy_args=()
for var in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [[ -n "${!var:-}" ]] && proxy_args+=(--build-arg "$var=${!var}")
done
cache_args=()
[[ "${CONTAINER_TEST_NO_CACHE:-0}" == 1 ]] && cache_args+=(--no-cache)

version="$(node -p "require('./package.json').version")"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"

log "Building $IMAGE from the Dockerfile"
build_started="$(now_ms)"
podman build \
  --format docker \
  --network host \
  --volume /etc/ssl/certs:/etc/ssl/certs:ro \
  --volume "$npmrc:/usr/local/etc/npmrc:ro" \
  --build-arg "NODE_IMAGE=$base_image" \
  --build-arg "APP_VERSION=$version" \
  --build-arg "REVISION=$revision" \
  --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --build-arg "SOURCE=https://github.com/example/github-dashboard-backend" \
  "${proxy_args[@]}" "${cache_args[@]}" \
  --tag "$IMAGE" \
  --file Dockerfile . >"$workdir/build.log" 2>&1 || { tail -40 "$workdir/build.log" >&2; fail "podman build failed"; }
build_ms=$(( $(now_ms) - build_started ))
cached_steps="$(grep -c -- '--> Using cache' "$workdir/build.log" || true)"

# ---- the image itself -----------------------------------------------------------------------------
log "Inspecting the image"
inspect() { podman image inspect "$IMAGE" --format "$1"; }
image_bytes="$(inspect '{{.Size}}')"
base_bytes="$(podman image inspect "$base_image" --format '{{.Size}}')"
[[ "$(inspect '{{.Config.User}}')" == "1000:1000" ]] || fail "image USER is '$(inspect '{{.Config.User}}')', expected 1000:1000"
inspect '{{json .Config.Healthcheck}}' | grep -q '"node","-e"' || fail "image has no node-based HEALTHCHECK (built without --format docker?)"
inspect '{{json .Config.ExposedPorts}}' | grep -q '8000/tcp' || fail "image does not EXPOSE 8000"
inspect '{{json .Config.Env}}' | grep -q '"NODE_ENV=production"' || fail "NODE_ENV=production is not set"
# Node writes its compile cache (~12 MB) at exit into /tmp, which is in memory on Kubernetes.
inspect '{{json .Config.Env}}' | grep -q '"NODE_DISABLE_COMPILE_CACHE=1"' || fail "NODE_DISABLE_COMPILE_CACHE=1 is not set"
inspect '{{json .Config.Env}}' | grep -q "\"APP_VERSION=$version\"" || fail "APP_VERSION=$version is not baked in"
for label in version revision source created; do
  value="$(inspect "{{index .Config.Labels \"org.opencontainers.image.$label\"}}")"
  [[ -n "$value" && "$value" != "<no value>" ]] || fail "label org.opencontainers.image.$label is missing"
done
[[ "$(inspect '{{index .Config.Labels "org.opencontainers.image.version"}}')" == "$version" ]] || fail "version label is not $version"
pass "image config: USER 1000:1000, HEALTHCHECK, EXPOSE 8000, NODE_ENV, no compile cache, APP_VERSION, OCI labels"

# What must not be in a production image: sources, source maps, secrets, dev tools, npm.
podman run --rm --network none --health-interval disable --entrypoint /bin/sh "$IMAGE" -c '
  set -e
  cd /app
  for path in src test scripts .env .git tsconfig.json node_modules/jest node_modules/@nestjs/cli node_modules/ts-jest node_modules/eslint /usr/local/bin/npm /usr/local/lib/node_modules/npm; do
    if [ -e "$path" ]; then echo "unexpected in image: $path"; exit 1; fi
  done
  if find dist -name "*.map" -o -name "*.ts" | grep -q .; then echo "source maps or .ts files in dist"; exit 1; fi
  test -f dist/main.js && test -f package.json
' 2>"$workdir/contents.err" || { grep -v 'systemd' "$workdir/contents.err" >&2; fail "image contents"; }
pass "image contents: dist and production node_modules only; no sources, maps, .env, dev tools or npm"

# V8's heap must fit the container: under a 256 MiB limit, as in deploy/k8s, at most ~60 % of it
# (old space is half of the limit; the young generation comes on top).
heap_mb="$(podman run --rm --network none --health-interval disable --memory 256m --entrypoint node "$IMAGE" \
  -e "console.log(Math.round(require('v8').getHeapStatistics().heap_size_limit / 1048576))" 2>/dev/null)"
[[ "$heap_mb" =~ ^[0-9]+$ ]] || fail "could not read V8's heap limit under --memory 256m (got '$heap_mb')"
(( heap_mb <= 160 )) || fail "V8's heap limit under a 256 MiB container is $heap_mb MB: it would outgrow the container"
pass "V8 heap limit under a 256 MiB container: $heap_mb MB"

# ---- the fake GitHub on the host ------------------------------------------------------------------
log "Starting the fake GitHub"
mkfifo "$workdir/fake.out"
node --import tsx test/fake-github/main.ts --host 127.0.0.1 --port 0 --users octocat:1234,ghost:0 >"$workdir/fake.out" 2>"$workdir/fake.err" &
fake_pid=$!
exec 3<"$workdir/fake.out"
read -r -t 30 fake_url <&3 || { cat "$workdir/fake.err" >&2; fail "the fake GitHub did not print its URL"; }
echo "fake GitHub: $fake_url"

# ---- run it like Kubernetes does ------------------------------------------------------------------
# Host networking: the container reaches the fake GitHub on the host's loopback, and nothing
# else; the app listens on a free port so a developer's own server on 8000 is no obstacle.
app_port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

# The environment docker-compose.yml gives the API: .env (a copy of .env.example) overridden by
# the compose file's own `environment:`. Redis is this machine's own on 127.0.0.1:6379 where it
# runs, under a key prefix of this run's (removed afterwards).
env_args=()
[[ -f .env.example ]] && env_args+=(--env-file .env.example)
env_args+=(--env APP_ENV=production --env "PORT=$app_port" --env "GITHUB_API_URL=$fake_url" --env LOG_LEVEL=warn)
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis_prefix="container-test-$$"
  env_args+=(--env REDIS_URL=redis://127.0.0.1:6379 --env "CACHE_KEY_PREFIX=$redis_prefix")
  echo "Redis: 127.0.0.1:6379, key prefix $redis_prefix"
else
  echo "Redis: none on 127.0.0.1:6379, the app uses its in-process cache"
fi
log "Running the container on port $app_port"
run_started="$(now_ms)"
# The HEALTHCHECK's own timer needs systemd, which this machine lacks; the check is run on demand
# below with `podman healthcheck run` instead (the image's command, interval aside).
podman run --detach --name "$CONTAINER" \
  --network host \
  --health-interval disable \
  --read-only --cap-drop ALL --security-opt no-new-privileges \
  "${env_args[@]}" \
  "$IMAGE" >/dev/null 2>"$workdir/run.err" || { cat "$workdir/run.err" >&2; fail "podman run failed"; }

base_url="http://127.0.0.1:$app_port"
ready=""
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$base_url/health" 2>/dev/null; then ready=yes; break; fi
  [[ "$(podman inspect "$CONTAINER" --format '{{.State.Running}}')" == true ]] || break
  sleep 0.1
done
[[ -n "$ready" ]] || { podman logs "$CONTAINER" >&2 || true; fail "/health did not answer within 30 s"; }
ready_ms=$(( $(now_ms) - run_started ))

log "Checking the running container"
health="$(curl -fsS "$base_url/health")"
node -e '
  const [body, version] = process.argv.slice(1);
  const health = JSON.parse(body);
  if (health.status !== "ok") throw new Error("status is " + health.status);
  if (health.info.app.version !== version) throw new Error("version is " + health.info.app.version + ", expected " + version);
  if (health.info.app.environment !== "production") throw new Error("environment is " + health.info.app.environment);
' "$health" "$version" || fail "/health answered $health"
pass "GET /health -> status ok, version $version, environment production"

status="$(curl -sS -o "$workdir/ready.json" -w '%{http_code}' "$base_url/health/ready")"
[[ "$status" == 200 ]] || fail "GET /health/ready answered $status: $(cat "$workdir/ready.json")"
if [[ -n "$redis_prefix" ]]; then
  grep -q '"redis":"up"' "$workdir/ready.json" || fail "/health/ready does not report Redis up: $(cat "$workdir/ready.json")"
  pass "GET /health/ready -> 200, Redis up"
else
  pass "GET /health/ready -> 200"
fi

status="$(curl -sS -o "$workdir/repos.json" -w '%{http_code}' "$base_url/github/repos/octocat")"
[[ "$status" == 200 ]] || { cat "$workdir/repos.json" >&2; fail "GET /github/repos/octocat answered $status"; }
node -e '
  const list = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (list.username !== "octocat") throw new Error("username is " + list.username);
  if (list.total !== 1234) throw new Error("total is " + list.total + ", the fake GitHub has 1234");
  if (!Array.isArray(list.repos) || list.repos.length === 0) throw new Error("no repos in the page");
' "$workdir/repos.json" || fail "GET /github/repos/octocat: $(head -c 400 "$workdir/repos.json")"
pass "GET /github/repos/octocat -> 200, 1234 repositories through the fake GitHub"

status="$(curl -sS -o "$workdir/missing.json" -w '%{http_code}' "$base_url/github/repos/no-such-user-here")"
[[ "$status" == 404 ]] || fail "GET /github/repos/no-such-user-here answered $status, expected 404"
grep -q '"status":404' "$workdir/missing.json" || fail "404 body is not a problem document: $(cat "$workdir/missing.json")"
pass "GET /github/repos/no-such-user-here -> 404 problem document"

uid="$(podman exec "$CONTAINER" /bin/sh -c 'awk "/^Uid:/ { print \$2 }" /proc/1/status')"
[[ "$uid" == 1000 ]] || fail "PID 1 runs as uid $uid"
pass "PID 1 runs as uid 1000 (not root), read-only root filesystem, no capabilities"

podman healthcheck run "$CONTAINER" >/dev/null 2>"$workdir/hc.err" || { cat "$workdir/hc.err" >&2; fail "podman healthcheck run: unhealthy"; }
health_status="$(podman inspect "$CONTAINER" --format '{{.State.Health.Status}}' 2>/dev/null || true)"
[[ "$health_status" == healthy ]] || fail "health status is '$health_status' after the HEALTHCHECK ran"
pass "HEALTHCHECK -> healthy"

stop_started="$(now_ms)"
podman stop --time 10 "$CONTAINER" >/dev/null 2>&1
stop_ms=$(( $(now_ms) - stop_started ))
exit_code="$(podman inspect "$CONTAINER" --format '{{.State.ExitCode}}')"
(( stop_ms < STOP_LIMIT_MS )) || fail "stop took ${stop_ms} ms (limit ${STOP_LIMIT_MS} ms): SIGTERM is not handled"
[[ "$exit_code" != 137 ]] || fail "the container was killed (exit 137), not stopped by SIGTERM"
pass "podman stop -> exited ($exit_code) after ${stop_ms} ms"

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000 / 1000 }'; }
log "Figures"
echo "image size:  $(mb "$image_bytes") (base $(mb "$base_bytes") + app layers $(mb $(( image_bytes - base_bytes ))))"
echo "start:       podman run -> /health 200 in ${ready_ms} ms"
echo "build time:  $(awk -v ms="$build_ms" 'BEGIN { printf "%.1f s", ms / 1000 }') ($cached_steps steps from cache)"
echo "stop time:   ${stop_ms} ms"
echo
echo "container test: $passed passed, 0 failed"
