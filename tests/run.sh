#!/usr/bin/env bash
# The project's test command, from a fresh clone:
#   1. a virtualenv with ansible-core and the test dependencies (cached, reused when unchanged);
#   2. the checkout copied to <build>/ansible_collections/iamops/identity, so every tool sees
#      the real FQCN;
#   3. ansible-test sanity on that copy;
#   4. unit tests, then integration tests against a real Keystone that the test fixtures install
#      (tests/keystone/keystone_server.py, cached venv) and start on 127.0.0.1, and stop after.
# Usage: tests/run.sh [sanity|units|integration ...] [-- extra pytest args]
# IAMOPS_BUILD_DIR: where the collection tree is copied (default under the cache), so that
# several runs can share one checkout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${IAMOPS_CACHE:-$HOME/.cache/iamops}
venv=$cache/test-venv
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

parts=()
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; pytest_args=("$@"); break ;;
    *) parts+=("$1"); shift ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(sanity units integration)

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%H:%M:%S)"; }

step "test virtualenv $venv"
mkdir -p "$cache"
stamp=$(sha256sum "$repo/tests/requirements.txt" | cut -c1-16)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$repo/tests/requirements.txt"
  echo "$stamp" > "$venv/.stamp"
fi
export PATH="$venv/bin:$PATH"
ansible --version | sed -n 1p

step "collection tree"
# outside the checkout: inside it, ansible-test would see git ignore every file of the copy
root=${IAMOPS_BUILD_DIR:-$cache/build-$(printf %s "$repo" | sha256sum | cut -c1-10)}
dest=$root/ansible_collections/iamops/identity
rm -rf "$dest" && mkdir -p "$dest"
# tracked files plus untracked ones git does not ignore: what a clean clone would hold
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
   [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$dest"
export ANSIBLE_COLLECTIONS_PATH=$root
export IAMOPS_COLLECTION_DIR=$dest
echo "$dest"

status=0
for part in "${parts[@]}"; do
  case "$part" in
    sanity)
      step "ansible-test sanity"
      # ansible-test downloads get-pip.py from a host outside the package index; give it ours
      pipv=$(python -c 'import ansible_test._internal.python_requirements as p, ansible_test._internal.host_configs as h; print(p.get_venv_packages(h.NativePythonConfig(version="3.11"))["pip"])' 2>/dev/null || echo 24.2)
      mkdir -p ~/.ansible/test/cache
      cp "$repo/tests/sanity/get_pip_offline.py" ~/.ansible/test/cache/get_pip_${pipv//./_}.py
      (cd "$dest" && ansible-test sanity --python 3.11 --requirements --color no) || status=1 ;;
    units)
      step "unit tests"
      (cd "$dest" && python -m pytest -q -p no:cacheprovider tests/unit "${pytest_args[@]}") || status=1 ;;
    integration)
      step "integration tests (real Keystone on 127.0.0.1)"
      (cd "$dest" && python -m pytest -q -p no:cacheprovider tests/integration "${pytest_args[@]}") || status=1 ;;
    *) echo "unknown part: $part (sanity, units, integration)" >&2; exit 2 ;;
  esac
done
exit $status
