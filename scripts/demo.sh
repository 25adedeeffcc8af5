#!/usr/bin/env bash
# The collection's main job on an embedded default: a local Keystone (SQLite, 127.0.0.1) started
# for you, seeded with two projects and three groups, then the onboarding of three people and the
# offboarding of two of them, each shown first in check mode with --diff. Stops Keystone at the
# end. Needs only Python 3 and the package registries; everything goes under ~/.cache/iamops.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

step "tool virtualenv $venv"
iamops_venv
step "collection tree"
iamops_collection_tree
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1} ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
  ANSIBLE_DISPLAY_SKIPPED_HOSTS=0

server=$dest/tests/keystone/keystone_server.py
dir=$cache/demo-keystone
step "local Keystone in $dir"
python "$server" start --dir "$dir"
trap 'python "$server" stop --dir "$dir" >/dev/null' EXIT
export OS_CLIENT_CONFIG_FILE=$dir/clouds.yaml OS_CLOUD=iamops-test
python "$repo/scripts/demo_seed.py" "$dir/env.json"

demo=$repo/playbooks/demo
examples=$repo/docs/examples
play() { ansible-playbook "$@"; }
step "demo groups"
play "$demo/setup.yml"
step "onboarding, check mode: what would change (no write is sent)"
play iamops.identity.onboard -e @"$examples/people.yml" --check --diff
step "onboarding"
play iamops.identity.onboard -e @"$examples/people.yml"
step "onboarding again: nothing to change"
play iamops.identity.onboard -e @"$examples/people.yml"
step "offboarding alan and grace (diff: every revoked assignment and membership)"
play iamops.identity.offboard -e @"$examples/leavers.yml" --diff
step "onboarding again with the same list: the leavers' disabled accounts are left alone"
play iamops.identity.onboard -e @"$examples/people.yml"
step "who has access now"
play "$demo/report.yml"
python "$server" stop --dir "$dir" >/dev/null
trap - EXIT
echo
echo "Done: onboarded ada, grace and alan (accounts, groups, role assignments), offboarded alan and grace" \
     "(every role assignment and group membership revoked, accounts disabled and kept); ada keeps her" \
     "access. The local Keystone is stopped."
