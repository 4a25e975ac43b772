#!/usr/bin/env bash
# `docker compose up` with a .env copied from .env.example, for real: docker-compose drives
# podman through podman's Docker-compatible API socket. It checks that Redis becomes healthy,
# that it runs with the memory bound and eviction policy the file sets, that it refuses a client
# without the password (NOAUTH, from another container on the compose network too), that the API
# starts only after it, answers /health and reports Redis up on /health/ready (so its REDIS_URL
# carries the password), and that `down` stops everything.
#
#   scripts/delivery/compose-test.sh        (run container-test.sh first: it builds the image)
#
# What differs from a developer's machine, because no image registry is reachable here:
# - the API image is the one container-test.sh built from the Dockerfile (`up --no-build`);
# - redis:7.4-alpine is a stand-in made from this machine's redis-server, tagged with that name
#   only for the length of the test;
# - podman's healthchecks need systemd timers, absent here, so this script runs them every
#   second instead (`podman healthcheck run`), as the timers would.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

API_IMAGE="localhost/github-dashboard-backend:container-test"
PROJECT="gdb-compose-test"
NAMESPACE="compose-test"
REDIS_REF="docker.io/library/redis:7.4-alpine"
POSTGRES_REF="docker.io/library/postgres:16-alpine"

ensure_podman
ensure_apt_packages docker-compose redis-server postgresql
podman image exists "$API_IMAGE" || fail "$API_IMAGE is missing: run scripts/delivery/container-test.sh first"
grep -q "image: redis:7.4-alpine" docker-compose.yml || fail "docker-compose.yml no longer uses redis:7.4-alpine: update REDIS_REF here"
grep -q "image: postgres:16-alpine" docker-compose.yml || fail "docker-compose.yml no longer uses postgres:16-alpine: update POSTGRES_REF here"

workdir="$(mktemp -d)"
service_pid=""
healthcheck_pid=""
redis_tagged=""
postgres_tagged=""
export DOCKER_HOST="unix://$workdir/podman.sock"
compose() { docker-compose --project-name "$PROJECT" --file "$workdir/project/docker-compose.yml" "$@"; }
cleanup() {
  [[ -n "$healthcheck_pid" ]] && kill "$healthcheck_pid" 2>/dev/null
  if [[ -n "$service_pid" ]]; then
    compose down --volumes --timeout 5 >/dev/null 2>&1 || true
    kill "$service_pid" 2>/dev/null
    wait "$service_pid" 2>/dev/null
  fi
  podman image rm "docker.io/$NAMESPACE/github-dashboard-backend:latest" >/dev/null 2>&1 || true
  [[ -n "$redis_tagged" ]] && podman image rm "$REDIS_REF" >/dev/null 2>&1
  [[ -n "$postgres_tagged" ]] && podman image rm "$POSTGRES_REF" >/dev/null 2>&1
  rm -rf "$workdir"
}
trap cleanup EXIT

# ---- images ---------------------------------------------------------------------------------------
if podman image exists "$REDIS_REF" && [[ "$(podman image inspect "$REDIS_REF" --format '{{index .Config.Labels "stand-in"}}')" != yes ]]; then
  echo "using the real $REDIS_REF found in local storage"
else
  log "Redis stand-in from this machine's redis-server"
  rootfs="$workdir/redis-rootfs"
  mkdir -p "$rootfs"/{bin,usr/bin,usr/local/bin,etc,data,tmp}
  chmod 1777 "$rootfs/tmp"
  for binary in /usr/bin/redis-server /usr/bin/redis-cli; do
    cp -L "$binary" "$rootfs/usr/local/bin/"
    for library in $(ldd "$binary" | awk '/=>/ { print $3 } /^\s*\/[^ ]+ \(/ { print $1 }'); do
      mkdir -p "$rootfs$(dirname "$library")"
      cp -L "$library" "$rootfs$library"
    done
  done
  cp /bin/busybox "$rootfs/bin/busybox"
  ln -s busybox "$rootfs/bin/sh"
  ln -s busybox "$rootfs/bin/grep"
  printf 'root:x:0:0::/root:/bin/sh\nredis:x:999:1000::/data:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nredis:x:1000:\n' >"$rootfs/etc/group"
  chown 999:1000 "$rootfs/data"
  tar --numeric-owner -C "$rootfs" -cf - . | podman import --quiet \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'WORKDIR /data' \
    --change 'USER 999:1000' \
    --change 'LABEL stand-in=yes' \
    --change 'CMD ["redis-server"]' \
    - "$REDIS_REF" >/dev/null
  redis_tagged=yes
fi
# PostgreSQL: no registry but npm and Debian is reachable, so the same kind of stand-in, made
# from this machine's PostgreSQL (whatever its major version) with an entrypoint that does what
# the official image's does for POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB (trust auth on the
# compose network: the stand-in checks wiring, not authentication).
if podman image exists "$POSTGRES_REF" && [[ "$(podman image inspect "$POSTGRES_REF" --format '{{index .Config.Labels "stand-in"}}')" != yes ]]; then
  echo "using the real $POSTGRES_REF found in local storage"
else
  log "PostgreSQL stand-in from this machine's PostgreSQL"
  pg_version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)"
  pg_home="/usr/lib/postgresql/$pg_version"
  rootfs="$workdir/postgres-rootfs"
  mkdir -p "$rootfs"/{bin,etc,tmp,usr/share,var/lib/postgresql/data,var/run/postgresql}
  chmod 1777 "$rootfs/tmp"
  mkdir -p "$rootfs$pg_home" "$rootfs/usr/share/postgresql"
  cp -a "$pg_home/bin" "$pg_home/lib" "$rootfs$pg_home/"
  cp -a "/usr/share/postgresql/$pg_version" "$rootfs/usr/share/postgresql/"
  cp -a /usr/share/zoneinfo "$rootfs/usr/share/"
  for binary in "$pg_home"/bin/* "$pg_home"/lib/*.so; do
    for library in $(ldd "$binary" 2>/dev/null | awk '/=>/ { print $3 } /^\s*\/[^ ]+ \(/ { print $1 }'); do
      mkdir -p "$rootfs$(dirname "$library")"
      [[ -e "$rootfs$library" ]] || cp -L "$library" "$rootfs$library"
    done
  done
  cp /bin/busybox "$rootfs/bin/busybox"
  ln -s busybox "$rootfs/bin/sh"
  cat >"$rootfs/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
set -e
PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --auth=trust --locale=C --encoding=UTF8 >/dev/null
  echo "host all all 0.0.0.0/0 trust" >>"$PGDATA/pg_hba.conf"
  echo "CREATE DATABASE \"${POSTGRES_DB:-postgres}\";" | postgres --single -j -D "$PGDATA" postgres >/dev/null
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
ENTRYPOINT
  chmod 755 "$rootfs/bin/docker-entrypoint.sh"
  printf 'root:x:0:0::/root:/bin/sh\npostgres:x:999:999::/var/lib/postgresql:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\npostgres:x:999:\n' >"$rootfs/etc/group"
  chown -R 999:999 "$rootfs/var/lib/postgresql" "$rootfs/var/run/postgresql"
  chmod 700 "$rootfs/var/lib/postgresql/data"
  tar --numeric-owner -C "$rootfs" -cf - . | podman import --quiet \
    --change "ENV PATH=$pg_home/bin:/bin" \
    --change 'USER 999:999' \
    --change 'LABEL stand-in=yes' \
    --change 'CMD ["/bin/docker-entrypoint.sh"]' \
    - "$POSTGRES_REF" >/dev/null
  postgres_tagged=yes
fi
# The name docker-compose.yml gives the API image, with DOCKERHUB_NAMESPACE=$NAMESPACE.
podman tag "$API_IMAGE" "docker.io/$NAMESPACE/github-dashboard-backend:latest"

# ---- a fresh clone's project directory: the compose file and `cp .env.example .env` ------------
mkdir -p "$workdir/project"
cp docker-compose.yml "$workdir/project/"
if [[ -f .env.example ]]; then cp .env.example "$workdir/project/.env"; else : >"$workdir/project/.env"; fi

log "podman's Docker API on $DOCKER_HOST"
podman system service --time 0 "$DOCKER_HOST" >"$workdir/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 50); do
  [[ -S "$workdir/podman.sock" ]] && break
  sleep 0.1
done
[[ -S "$workdir/podman.sock" ]] || { cat "$workdir/service.log" >&2; fail "podman system service did not start"; }

# The timers podman would use for HEALTHCHECK intervals need systemd; run the checks instead.
(
  while sleep 1; do
    for id in $(podman ps --quiet --filter "label=com.docker.compose.project=$PROJECT"); do
      podman healthcheck run "$id" >/dev/null 2>&1 || true
    done
  done
) &
healthcheck_pid=$!

api_port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export API_HOST_PORT="$api_port" DOCKERHUB_NAMESPACE="$NAMESPACE"
log "docker-compose up -d --no-build (API on 127.0.0.1:$api_port)"
compose down --volumes --timeout 1 >/dev/null 2>&1 || true
up_started="$(now_ms)"
compose up -d --no-build 2>&1 | grep -v 'level=' || fail "docker-compose up failed"
up_ms=$(( $(now_ms) - up_started ))

passed=0
pass() { passed=$(( passed + 1 )); echo "ok   $*"; }

state() { podman inspect "$1" --format '{{.State.Status}} {{.State.Health.Status}}' 2>/dev/null; }
redis_container="$(podman ps --quiet --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=redis")"
api_container="$(podman ps --quiet --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=api")"
[[ -n "$redis_container" && -n "$api_container" ]] || { compose ps; fail "both services should be running"; }
[[ "$(state "$redis_container")" == "running healthy" ]] || fail "redis is '$(state "$redis_container")', expected running healthy before the API starts"
pass "redis healthy, then api started (depends_on: service_healthy), up took ${up_ms} ms"

# What the running server took from the command line, not what the file says: a cache that
# grows without bound would take the host's memory, or be OOM-killed, before anyone noticed.
redis_config() { podman exec "$redis_container" redis-cli config get "$1" | sed -n 2p; }
maxmemory="$(redis_config maxmemory)"
policy="$(redis_config maxmemory-policy)"
[[ "$maxmemory" == "$(( 256 * 1024 * 1024 ))" ]] || fail "redis maxmemory is '$maxmemory', expected 256mb"
[[ "$policy" == "allkeys-lru" ]] || fail "redis maxmemory-policy is '$policy', expected allkeys-lru"
redis_limit="$(podman inspect "$redis_container" --format '{{.HostConfig.Memory}}')"
(( redis_limit > maxmemory )) || fail "redis container memory limit is '$redis_limit', expected above maxmemory"
pass "redis bounded: maxmemory $maxmemory bytes under a $redis_limit-byte limit, allkeys-lru"

# The password: the container's own redis-cli has it (REDISCLI_AUTH, which the healthcheck and
# the checks above use); without it, a client gets NOAUTH for a read and for a write alike, both
# inside the Redis container and from another container on the compose network, which is where
# a stranger would stand. The API's own connection with the password is /health/ready below.
without_password="$(podman exec "$redis_container" sh -c 'unset REDISCLI_AUTH; redis-cli ping; redis-cli set compose-test:intruder 1' 2>&1)"
[[ "$(grep -c '^NOAUTH' <<<"$without_password")" == 2 ]] || fail "redis answered a client without the password: $without_password"
redis_ip="$(podman inspect "$redis_container" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')"
network="$(podman inspect "$redis_container" --format '{{range $name, $n := .NetworkSettings.Networks}}{{$name}}{{end}}')"
from_network="$(podman run --rm --network "$network" --entrypoint redis-cli "$REDIS_REF" -h "$redis_ip" ping 2>&1)"
[[ "$from_network" == NOAUTH* ]] || fail "redis answered another container on $network without the password: $from_network"
[[ "$(podman exec "$redis_container" redis-cli ping)" == PONG ]] || fail "redis does not answer its own redis-cli with REDISCLI_AUTH"
pass "redis asks for the password: NOAUTH without it (ping and set, in the container and from $network), PONG with it"

ready=""
for _ in $(seq 1 60); do
  if [[ "$(state "$api_container")" == "running healthy" ]]; then ready=yes; break; fi
  sleep 0.5
done
[[ -n "$ready" ]] || { compose logs api >&2; fail "api is '$(state "$api_container")', not healthy after 30 s"; }
pass "api healthy (its compose healthcheck)"

health="$(curl -fsS "http://127.0.0.1:$api_port/health")" || fail "GET /health on the published port failed"
grep -q '"environment":"production"' <<<"$health" || fail "/health: $health"
pass "GET /health on the published port -> ok, production (APP_ENV from .env overridden)"

ready_body="$(curl -sS "http://127.0.0.1:$api_port/health/ready")"
if ! grep -q '"redis":"up"' <<<"$ready_body"; then
  podman exec "$api_container" /bin/sh -c 'cat /etc/resolv.conf; nslookup redis 2>&1 || getent hosts redis' >&2 || true
  compose logs --tail 20 api >&2 || true
  fail "/health/ready does not report Redis up: $ready_body"
fi
pass "GET /health/ready -> Redis up, reached by its service name with the password in REDIS_URL"

# History opens its database in the background: give it a few seconds after the API is healthy.
history_up=""
for _ in $(seq 1 40); do
  ready_body="$(curl -sS "http://127.0.0.1:$api_port/health/ready")"
  if grep -q '"history":{"backend":"postgres","database":"up"' <<<"$ready_body"; then history_up=yes; break; fi
  sleep 0.5
done
[[ -n "$history_up" ]] || { compose logs --tail 20 api postgres >&2 || true; fail "/health/ready does not report history on PostgreSQL up: $ready_body"; }
pass "GET /health/ready -> history up on the compose PostgreSQL (DATABASE_URL, depends_on healthy)"

[[ "$(podman inspect "$api_container" --format '{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}')" == "true 1000:1000" ]] \
  || fail "api is not read-only as uid 1000"
pass "api runs read-only as uid 1000"

down_started="$(now_ms)"
compose down --volumes 2>&1 | grep -v 'level=' || fail "docker-compose down failed"
down_ms=$(( $(now_ms) - down_started ))
[[ -z "$(podman ps --all --quiet --filter "label=com.docker.compose.project=$PROJECT")" ]] || fail "containers left after down"
pass "docker-compose down -> everything removed in ${down_ms} ms"

echo
echo "compose test: $passed passed, 0 failed"
