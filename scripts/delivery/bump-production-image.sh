#!/usr/bin/env bash
# Sets the API image tag of the production overlay to a released version, and nothing else:
# the one `newTag:` line of the github-dashboard-backend entry under `images:` in
# deploy/overlays/production/kustomization.yaml. The release workflow runs it, then proposes
# the change as a pull request (deploy = merge it, roll back = revert it; RELEASING.md).
#
#   scripts/delivery/bump-production-image.sh X.Y.Z [kustomization.yaml]
#
# Exits 0 with the file changed (or already at X.Y.Z), 1 when the version is not X.Y.Z or the
# file does not hold exactly one such entry, leaving the file untouched.
set -euo pipefail

version="${1:-}"
file="${2:-deploy/overlays/production/kustomization.yaml}"
image_suffix="/github-dashboard-backend"

if ! printf '%s\n' "$version" | grep -Eq '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$'; then
  echo "::error::'$version' is not a final release version X.Y.Z: production runs final releases only." >&2
  exit 1
fi
[[ -f "$file" ]] || { echo "::error::$file not found" >&2; exit 1; }

# Within `images:`, the item whose `name:` ends with the image's name, its keys in any order:
# its `newTag:` line (the value replaced, indentation and any comment kept). Items are buffered
# until they end, then printed; the matches are counted, so that zero or several fail rather
# than edit the wrong thing.
updated="$(mktemp)"
trap 'rm -f "$updated"' EXIT
awk -v version="$version" -v suffix="$image_suffix" '
  function flush(   i, name, rest, head, comment) {
    for (i = 1; i <= n; i++) {
      if (is_ours && i == tag_line) {
        match(buf[i], /^ *(- )?newTag:[[:space:]]*/); head = substr(buf[i], 1, RLENGTH)
        rest = substr(buf[i], RLENGTH + 1); comment = ""
        if (match(rest, /[[:space:]]+#.*$/)) comment = substr(rest, RSTART)
        print head version comment
        replaced++
      } else {
        print buf[i]
      }
    }
    n = 0; is_ours = 0; tag_line = 0
  }
  function keep(line, name) {
    buf[++n] = line
    if (line ~ /^ *(- )?name:[[:space:]]*/) {
      name = line; sub(/^ *(- )?name:[[:space:]]*/, "", name); sub(/[[:space:]]+#.*$/, "", name)
      gsub(/["\x27]/, "", name)
      is_ours = length(name) >= length(suffix) && substr(name, length(name) - length(suffix) + 1) == suffix
    }
    if (line ~ /^ *(- )?newTag:[[:space:]]*/) tag_line = n
  }
  # A top-level key ends the list (and any item); `images:` starts it.
  /^[^ #-]/ { flush(); in_images = ($0 ~ /^images:[[:space:]]*$/); print; next }
  in_images && /^ *- / { flush(); keep($0); next }
  in_images && n > 0 { keep($0); next }
  { print }
  END { flush(); exit replaced == 1 ? 0 : 3 }
' "$file" >"$updated" || {
  echo "::error::$file must have exactly one images entry named *$image_suffix with a newTag line; nothing changed." >&2
  exit 1
}

# The promise, checked rather than trusted: at most one line differs, and it is that newTag.
delta="$(diff "$file" "$updated" || true)"
changed="$(printf '%s\n' "$delta" | grep -c '^[<>]' || true)"
if (( changed == 0 )); then
  echo "$file already deploys $version."
  exit 0
fi
if (( changed != 2 )) || ! printf '%s\n' "$delta" | grep -Eq "^> +(- )?newTag: +$version( |\$)"; then
  echo "::error::refusing an edit that changes more than the image tag:" >&2
  printf '%s\n' "$delta" >&2
  exit 1
fi
cat "$updated" >"$file"
echo "$file: github-dashboard-backend set to $version."
