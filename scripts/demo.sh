#!/usr/bin/env bash
# The collection's main job on an embedded default: one people file onboarded on four identity
# providers at once - a local Keystone (SQLite, 127.0.0.1) started for you and the OneLogin,
# Authress and Posit Connect emulators of tests/emulators started as local servers - then two of
# the people offboarded (their access recorded in a report first), one of them restored from
# the report; each run shown first in check mode with --diff. Stops everything at the end.
# Needs only Python 3 and the package registries; everything goes under ~/.cache/iamops.
#   scripts/demo.sh                  the four providers
#   scripts/demo.sh --keystone-only  the short path: Keystone alone
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keystone_only=0
case "${1:-}" in
  --keystone-only) keystone_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--keystone-only]" >&2; exit 2 ;;
esac
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
work=$cache/demo-work
rm -rf "$work" && mkdir -m 700 -p "$work"
stack_pid=
cleanup() {
  python "$server" stop --dir "$dir" >/dev/null 2>&1 || true
  if [ -n "$stack_pid" ]; then kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
step "local Keystone in $dir"
python "$server" start --dir "$dir"
export OS_CLIENT_CONFIG_FILE=$dir/clouds.yaml OS_CLOUD=iamops-test
python "$repo/scripts/demo_seed.py" "$dir/env.json"

# The people file holds vault references only; a throw-away vault for this local demo.
python - "$work/vault.yml" <<'PY'
import os, secrets, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, 'w') as handle:
    handle.write('vault_initial_passwords:\n')
    for name in ('ada', 'grace', 'alan'):
        handle.write('  %s: "Demo-%s"\n' % (name, secrets.token_urlsafe(12)))
PY

providers=()
if [ "$keystone_only" = 0 ]; then
  step "OneLogin, Authress and Posit Connect emulators on 127.0.0.1 (ada, grace and alan have logged in to Authress once)"
  python "$dest/tests/integration/multi/stack.py" "$work/providers.json" ada,grace,alan &
  stack_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/providers.json" ] && break; sleep 0.1; done
  [ -s "$work/providers.json" ] || { echo "the emulators did not start" >&2; exit 1; }
  # Keystone's connection comes from OS_CLOUD, the others' from the file (mode 0600)
  python - "$work/providers.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data['identity_providers']['keystone'] = {}
open(sys.argv[1], 'w').write(json.dumps(data))
PY
  providers=(-e @"$work/providers.json")
fi

demo=$repo/playbooks/demo
examples=$repo/docs/examples
reports=(-e offboarding_report_dir="$work/reports")
play() { ansible-playbook "$@"; }
step "demo groups (Keystone)"
play "$demo/setup.yml"
step "onboarding, check mode: what would change (no write is sent)"
play iamops.identity.onboard -e @"$examples/people.yml" -e @"$work/vault.yml" "${providers[@]}" --check --diff
step "onboarding"
play iamops.identity.onboard -e @"$examples/people.yml" -e @"$work/vault.yml" "${providers[@]}"
step "onboarding again: nothing to change"
play iamops.identity.onboard -e @"$examples/people.yml" -e @"$work/vault.yml" "${providers[@]}"
step "offboarding alan and grace: their access recorded in a report, then revoked (diff: every revoked assignment and membership)"
play iamops.identity.offboard -e @"$examples/leavers.yml" "${providers[@]}" "${reports[@]}" --diff
step "onboarding again with the same list: the leavers' disabled accounts are left alone"
play iamops.identity.onboard -e @"$examples/people.yml" -e @"$work/vault.yml" "${providers[@]}"
report=$(ls "$work"/reports/offboarding-*.json | head -1)
step "grace was offboarded by mistake: her access back from the report $report"
play iamops.identity.onboard -e onboarding_restore_from="$report" -e '{"onboarding_restore_people": ["grace"]}' "${providers[@]}"
step "who has access now (Keystone)"
play "$demo/report.yml"
cleanup
trap - EXIT
echo
if [ "$keystone_only" = 0 ]; then
  echo "Done: onboarded ada, grace and alan on Keystone, OneLogin, Authress and Posit Connect in one run each;"
  echo "offboarded alan and grace (access recorded in $report, then revoked; accounts disabled or locked and kept);"
  echo "restored grace from the report. Keystone and the emulators are stopped."
else
  echo "Done: onboarded ada, grace and alan (accounts, groups, role assignments), offboarded alan and grace" \
       "(access recorded in $report, then revoked, accounts disabled and kept), restored grace from the report;" \
       "ada keeps her access. The local Keystone is stopped."
fi
