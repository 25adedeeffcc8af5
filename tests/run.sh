#!/usr/bin/env bash
# The project's test command, from a fresh clone:
#   1. a virtualenv with ansible-core and the test dependencies (cached, reused when unchanged);
#   2. the checkout copied to <build>/ansible_collections/iamops/identity, so every tool sees
#      the real FQCN;
#   3. ansible-test sanity on that copy;
#   4. unit tests, then integration tests against a real Keystone that the test fixtures install
#      (tests/keystone/keystone_server.py, cached venv) and start on 127.0.0.1, and stop after.
# Usage: tests/run.sh [sanity|units|emulators|integration ...] [-- extra pytest args]
# IAMOPS_BUILD_DIR: where the collection tree is copied (default under the cache), so that
# several runs can share one checkout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

parts=()
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; pytest_args=("$@"); break ;;
    *) parts+=("$1"); shift ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(sanity units emulators integration)

step "test virtualenv $venv"
iamops_venv

step "collection tree"
iamops_collection_tree

status=0
for part in "${parts[@]}"; do
  case "$part" in
    sanity)
      step "ansible-test sanity"
      # ansible-test downloads get-pip.py from a host outside the package index; give it ours
      pipv=$(python -c 'import ansible_test._internal.python_requirements as p, ansible_test._internal.host_configs as h; print(p.get_venv_packages(h.NativePythonConfig(version="3.11"))["pip"])' 2>/dev/null || echo 24.2)
      mkdir -p "$HOME/.ansible/test/cache"
      cp "$repo/tests/sanity/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${pipv//./_}.py"
      (cd "$dest" && ansible-test sanity --python 3.11 --requirements --color no) || status=1 ;;
    units)
      step "unit tests"
      (cd "$dest" && python -m pytest -q -p no:cacheprovider tests/unit "${pytest_args[@]}") || status=1 ;;
    emulators)
      step "emulator conformance (vendor SDKs against tests/emulators)"
      (cd "$dest" && python -m pytest -q -p no:cacheprovider tests/emulators "${pytest_args[@]}") || status=1 ;;
    integration)
      step "integration tests (real Keystone on 127.0.0.1)"
      (cd "$dest" && python -m pytest -q -p no:cacheprovider tests/integration "${pytest_args[@]}") || status=1 ;;
    *) echo "unknown part: $part (sanity, units, emulators, integration)" >&2; exit 2 ;;
  esac
done
exit $status
