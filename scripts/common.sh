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
# every file of the copy. IAMOPS_BUILD_DIR overrides where; an argument names another root (the
# static checks' own copy, so that tests writing beside their files never touch what they check).
iamops_collection_tree() {
  root=${1:-${IAMOPS_BUILD_DIR:-$cache/build-$(printf %s "$repo" | sha256sum | cut -c1-10)}}
  dest=$root/ansible_collections/iamops/identity
  rm -rf "$dest" && mkdir -p "$dest"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
     [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$dest"
  export ANSIBLE_COLLECTIONS_PATH=$root
  echo "$dest"
}

# The path of a Python X.Y that runs: pythonX.Y on PATH, else a pyenv installation of it
# (pyenv's shims answer only for the versions selected, so look in its versions/ directly).
iamops_python() {
  local p
  for p in "python$1" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/"python$1"; do
    if "$p" -c '' 2>/dev/null; then command -v "$p"; return 0; fi
  done
  echo "Python $1 not found (on PATH or under pyenv)" >&2
  return 1
}

# A cached virtualenv for one tool: iamops_tool_venv NAME PYTHON-VERSION REQUIREMENT...
# ($cache/NAME, rebuilt only when the Python or the requirements change). Sets $tool_venv.
# Explicit returns: callers run it under || where set -e does not apply.
iamops_tool_venv() {
  local name=$1 version=$2 python stamp
  shift 2
  tool_venv=$cache/$name
  stamp=$(printf '%s\n' "$version" "$@" | sha256sum | cut -c1-16)
  if [ ! -x "$tool_venv/bin/python" ] || [ "$(cat "$tool_venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
    python=$(iamops_python "$version") || return 1
    rm -rf "$tool_venv"
    "$python" -m venv "$tool_venv" || return 1
    "$tool_venv/bin/pip" install -q --disable-pip-version-check "$@" || return 1
    echo "$stamp" > "$tool_venv/.stamp"
  fi
}
