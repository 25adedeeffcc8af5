# shellcheck shell=bash
# shellcheck disable=SC2154  # repo is set by the sourcing script
# Sourced by tests/run.sh and scripts/demo.sh: the tool virtualenv and the collection tree.
# Needs: $repo (the checkout). Sets: $cache, $venv, PATH, $root, $dest, ANSIBLE_COLLECTIONS_PATH.

cache=${IAMOPS_CACHE:-$HOME/.cache/iamops}
venv=$cache/test-venv

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

# A virtualenv with ansible-core and the test dependencies; rebuilt only when
# tests/requirements.txt changes.
iamops_venv() {
  local python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null || python=python3
  mkdir -p "$cache"
  local stamp
  stamp=$(sha256sum "$repo/tests/requirements.txt" | cut -c1-16)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$repo/tests/requirements.txt"
    echo "$stamp" > "$venv/.stamp"
  fi
  export PATH="$venv/bin:$PATH"
  ansible --version | sed -n 1p
}

# The checkout copied to <root>/ansible_collections/iamops/identity (tracked files plus
# untracked ones git does not ignore: what a clean clone would hold), so every tool sees the
# real FQCN. The copy lives outside the checkout: inside it, ansible-test would see git ignore
# every file of the copy. IAMOPS_BUILD_DIR overrides where.
iamops_collection_tree() {
  root=${IAMOPS_BUILD_DIR:-$cache/build-$(printf %s "$repo" | sha256sum | cut -c1-10)}
  dest=$root/ansible_collections/iamops/identity
  rm -rf "$dest" && mkdir -p "$dest"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$dest"
  export ANSIBLE_COLLECTIONS_PATH=$root
  echo "$dest"
}
