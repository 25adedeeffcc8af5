#!/usr/bin/env bash
# The project's test command, from a fresh clone:
#   1. a virtualenv with ansible-core and the test dependencies (cached, reused when unchanged);
#   2. the checkout copied to <build>/ansible_collections/iamops/identity, so every tool sees
#      the real FQCN;
#   3. ansible-test sanity on that copy, once per supported ansible-core (each in its own cached
#      virtualenv, see $cores below);
#   4. the publishing gates (ansible-lint, galaxy-importer, docs and changelog lint), each tool in
#      its own cached virtualenv;
#   5. unit tests, then integration tests against a real Keystone that the test fixtures install
#      (tests/keystone/keystone_server.py, cached venv) and start on 127.0.0.1, and stop after.
#   Steps 3 and 4 run beside step 5, on their own copy of the tree, and the integration tests
#   run as two pytest processes side by side (see run_integration_shards); the output of what ran
#   beside is printed after. IAMOPS_SERIAL=1 runs everything one after the other, in one pytest.
# Usage: tests/run.sh [sanity|gates|units|emulators|integration ...] [-- extra pytest args]
# IAMOPS_BUILD_DIR: where the collection tree is copied (default under the cache), so that
# several runs can share one checkout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

# The ansible-core releases the collection supports (meta/runtime.yml requires_ansible: the
# maintained cores, see README "Supported versions") and the Python each one's sanity runs on
# (inside that core's controller range). Units and integration run on tests/requirements.txt's core.
cores=(2.19:3.11 2.20:3.12 2.21:3.13)
# Pinned tools of the gates (bump deliberately: a new ansible-lint brings new rules).
lint_tools=(ansible-lint==26.10.1 'ansible-core~=2.21.0')
importer_tools=(galaxy-importer==0.4.44 ansible-lint==26.10.1 'ansible-core~=2.21.0')
docs_tools=(antsibull-docs==2.28.0 'ansible-core~=2.21.0' sphinx==9.1.1 sphinx-ansible-theme==0.10.4 ansible-pygments==0.1.2)
changelog_tools=(antsibull-changelog==0.36.0 'ansible-core~=2.21.0')  # ansible-core: finds new roles
tools_python=3.12

timings=()
timed() {  # timed LABEL COMMAND...: run, record the wall time, keep going on failure
  local label=$1 start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  timings+=("$(printf '%-34s %4ss  %s' "$label" $((SECONDS - start)) "$([ $rc = 0 ] && echo ok || echo FAILED)")")
  return $rc
}

run_pytest() {  # run_pytest DIR [PYTEST-ARG...]: pytest on one directory of the collection tree
  # (or, when the extra pytest args name test paths under DIR, on those alone)
  local dir=$1 arg
  shift
  local targets=("$dir")
  for arg in "${pytest_args[@]}"; do
    case "$arg" in "$dir"/*) targets=() ;; esac
  done
  (cd "$dest" && python -m pytest -q -p no:cacheprovider "${targets[@]}" "$@" "${pytest_args[@]}")
}

# The integration tests as two pytest processes side by side (one uses about one CPU: the other
# waits on Keystone, the emulators and the module processes): the SaaS providers' and AWX's
# folders, and the rest (Keystone, LDAP, MariaDB, the roles). Each has its own temporary
# directory and its own Keystone; the output of the second follows the first's; the secret scans
# of both are merged, so each secret is still checked against every output, then deleted (they
# hold the tests' secrets). The slowest tests of each are listed.
# (awx/ with the providers: it balances the two, 1043 s and 633 s without it on 2 CPUs)
provider_dirs=(onelogin authress posit_connect scim awx)
shards=(
  "keystone:tests/integration${provider_dirs[*]/#/ --ignore=tests/integration/}"
  "providers:${provider_dirs[*]/#/tests/integration/}"
)
run_shard() {  # run_shard NAME ARGS: one pytest process of the integration tests, in $root/shards/NAME
  local name=$1 dir=$root/shards/$1 args
  read -r -a args <<< "$2"
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  (cd "$dest" && IAMOPS_SECRET_SCAN_DUMP=$dir/scan.json IAMOPS_KEYSTONE_DIR=$dest/.build/keystone-it-$name \
     python -m pytest -q -p no:cacheprovider --basetemp="$dir/tmp" --durations=15 --durations-min=5 "${args[@]}")
}
run_integration_shards() {  # the first shard in the foreground, the others beside it
  local shard name rc=0 scans=() pids=()
  # what both would install at once into one virtualenv on a fresh machine, installed first
  python "$dest/tests/support/install_servers.py" || return 1
  for shard in "${shards[@]:1}"; do
    name=${shard%%:*}
    rm -f "$root/shard-$name.time" "$root/shard-$name.log"
    (started=$SECONDS code=0
     run_shard "$name" "${shard#*:}" || code=$?
     printf '%-34s %4ss  %s\n' "integration tests ($name)" $((SECONDS - started)) "$([ $code = 0 ] && echo ok || echo FAILED)" \
       > "$root/shard-$name.time"
     exit $code) > "$root/shard-$name.log" 2>&1 &
    pids+=($!)
  done
  shard=${shards[0]}
  timed "integration tests (${shard%%:*})" run_shard "${shard%%:*}" "${shard#*:}" || rc=1
  for shard in "${shards[@]:1}"; do
    name=${shard%%:*}
    wait "${pids[0]}" || rc=1
    pids=("${pids[@]:1}")
    step "integration tests ($name), run beside the above"
    cat "$root/shard-$name.log"
    [ ! -f "$root/shard-$name.time" ] || timings+=("$(cat "$root/shard-$name.time")")
  done
  for shard in "${shards[@]}"; do
    name=${shard%%:*}
    if [ -f "$root/shards/$name/scan.json" ]; then
      scans+=("$root/shards/$name/scan.json")
    else
      echo "the $name shard left no secret scan" >&2
      rc=1
    fi
  done
  step "secret scan of all the integration shards"
  python "$dest/tests/support/secret_scan.py" merge "${scans[@]}" || rc=1
  rm -f "${scans[@]}"
  return $rc
}

# ansible-test sanity on one core: sanity_core CORE PYTHON
sanity_core() {
  local core=$1 pyver=$2 pipv
  iamops_tool_venv "core-$core" "$pyver" "ansible-core~=$core.0" || return 1
  # ansible-test downloads get-pip.py from a host outside the package index; give it ours
  pipv=$("$tool_venv/bin/python" -c "import ansible_test._internal.python_requirements as p, ansible_test._internal.host_configs as h; print(p.get_venv_packages(h.NativePythonConfig(version='$pyver'))['pip'])" 2>/dev/null || echo 24.2)
  mkdir -p "$HOME/.ansible/test/cache"
  cp "$repo/tests/sanity/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${pipv//./_}.py"
  "$tool_venv/bin/ansible" --version | sed -n 1p
  (cd "$dest" && PATH="$tool_venv/bin:$PATH" "$tool_venv/bin/ansible-test" sanity --python "$pyver" --requirements --color no)
}

# The publishing gates, each tool in its own cached virtualenv; all run on the collection tree.
gate_lint() {
  iamops_tool_venv lint "$tools_python" "${lint_tools[@]}" || return 1
  # ANSIBLE_HOME: ansible-lint installs the collection it lints there (default ~/.ansible)
  local home=$root/ansible-lint-home
  rm -rf "$home"
  PATH="$tool_venv/bin:$PATH" ANSIBLE_HOME=$home ansible-lint --version | sed -n 1p
  (cd "$dest" && PATH="$tool_venv/bin:$PATH" ANSIBLE_HOME=$home "$tool_venv/bin/ansible-lint" --profile production --nocolor)
}
gate_importer() {  # the built tarball, as Galaxy and Automation Hub import it (tags enforced)
  iamops_tool_venv importer "$tools_python" "${importer_tools[@]}" || return 1
  local out=$root/importer
  rm -rf "$out" && mkdir -p "$out"
  printf '[galaxy-importer]\nCHECK_REQUIRED_TAGS = True\nRUN_ANSIBLE_LINT = True\nRUN_ANSIBLE_TEST = False\n' \
    > "$out/galaxy-importer.cfg"
  (cd "$dest" && PATH="$tool_venv/bin:$PATH" "$tool_venv/bin/ansible-galaxy" collection build --force --output-path "$out") &&
  (cd "$out" && PATH="$tool_venv/bin:$PATH" ANSIBLE_HOME="$out/ansible-home" GALAXY_IMPORTER_CONFIG="$out/galaxy-importer.cfg" \
     "$tool_venv/bin/python" -m galaxy_importer.main iamops-identity-*.tar.gz)
}
gate_docs() {  # module and role docs, docs/docsite (links, extra docs), as docs.ansible.com builds them
  iamops_tool_venv docs "$tools_python" "${docs_tools[@]}" || return 1
  (cd "$dest" && PATH="$tool_venv/bin:$PATH" "$tool_venv/bin/antsibull-docs" lint-collection-docs --plugin-docs .)
}
gate_docsite() {  # the docs site, built: no warning of its own (links into docs.ansible.com and
  # docs.python.org cannot be resolved without their inventories, which are not on the package index)
  iamops_tool_venv docs "$tools_python" "${docs_tools[@]}" || return 1
  local site=$root/docsite
  rm -rf "$site" && mkdir -m 700 "$site" || return 1
  PATH="$tool_venv/bin:$PATH" antsibull-docs sphinx-init --use-current --dest-dir "$site" iamops.identity >/dev/null &&
  (cd "$site" && PATH="$tool_venv/bin:$PATH" antsibull-docs --config-file antsibull-docs.cfg collection \
     --cleanup everything --use-current --dest-dir rst iamops.identity >/dev/null &&
   PATH="$tool_venv/bin:$PATH" sphinx-build -M html rst build -c . -q -w warnings.txt 2>stderr.txt ||
   { cat stderr.txt >&2; false; }) || return 1
  local own
  own=$(grep -v -e "intersphinx inventory" -e "failed to reach any of the inventories" \
        -e "undefined label: 'common_return_values'" -e "undefined label: 'ansible_configuration_settings'" \
        "$site/warnings.txt")
  if [ -n "$own" ]; then printf '%s\n' "$own" >&2; return 1; fi
  echo "docs site: $site/build/html/index.html"
}
gate_changelog() {  # fragments lint, then a release preview: every module and role must be in it
  iamops_tool_venv changelog "$tools_python" "${changelog_tools[@]}" || return 1
  (cd "$dest" && "$tool_venv/bin/antsibull-changelog" lint) || return 1
  local preview=$root/changelog-preview version name missing=()
  local copy=$preview/ansible_collections/iamops/identity
  rm -rf "$preview" && mkdir -p "$copy" && cp -a "$dest/." "$copy/" && rm -rf "$copy/.ansible"
  version=$(sed -n 's/^version: *//p' "$dest/galaxy.yml")
  (cd "$copy" && PATH="$tool_venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH=$preview \
     antsibull-changelog release --version "$version" --date "$(date +%F)") || return 1
  for name in "$dest"/plugins/modules/*.py "$dest"/roles/*/; do
    name=$(basename "$name" .py)
    grep -q "^- iamops\.identity\.$name - " "$copy/CHANGELOG.rst" || missing+=("$name")
  done
  sed -n '/^v[0-9]/,$p' "$copy/CHANGELOG.rst"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "not in the changelog (version_added missing?): ${missing[*]}" >&2
    return 1
  fi
}

parts=()
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; pytest_args=("$@"); break ;;
    *) parts+=("$1"); shift ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(sanity gates units emulators integration)

step "test virtualenv $venv"
iamops_venv

step "collection tree"
iamops_collection_tree

# run_parts PART...: each part in turn; sets status to 1 when one fails (the others still run)
run_parts() {
  local part core_python claim
  for part in "$@"; do
    case "$part" in
      sanity)
        # the matrix is exactly the range meta/runtime.yml claims
        claim=$(sed -n 's/^requires_ansible: *"\(.*\)"/\1/p' "$repo/meta/runtime.yml")
        if [ "$claim" != ">=${cores[0]%%:*}.0" ]; then
          echo "meta/runtime.yml requires_ansible '$claim' does not match the sanity matrix (${cores[*]})" >&2
          status=1
        fi
        for core_python in "${cores[@]}"; do
          # IAMOPS_SANITY_CORES=2.19,2.21 runs only those (a quick local check; CI runs them all)
          case ",${IAMOPS_SANITY_CORES:-${core_python%%:*}}," in *",${core_python%%:*},"*) ;; *) continue ;; esac
          step "ansible-test sanity, ansible-core ${core_python%%:*} (${core_python#*:})"
          timed "sanity ansible-core ${core_python%%:*}" sanity_core "${core_python%%:*}" "${core_python#*:}" || status=1
        done ;;
      gates)
        step "publishing gates"
        timed "gate ansible-lint (production)" gate_lint || status=1
        timed "gate galaxy-importer" gate_importer || status=1
        timed "gate antsibull-docs lint" gate_docs || status=1
        timed "gate docs site build" gate_docsite || status=1
        timed "gate antsibull-changelog lint" gate_changelog || status=1 ;;
      units)
        step "unit tests"
        timed "unit tests" run_pytest tests/unit || status=1 ;;
      emulators)
        step "emulator conformance (vendor SDKs against tests/emulators)"
        timed "emulator conformance" run_pytest tests/emulators || status=1 ;;
      integration)
        step "integration tests (real Keystone on 127.0.0.1)"
        if [ ${#pytest_args[@]} -gt 0 ] || [ -n "${IAMOPS_SERIAL:-}" ]; then
          timed "integration tests" run_pytest tests/integration --durations=25 --durations-min=5 || status=1
        else
          run_integration_shards || status=1
        fi ;;
    esac
  done
}

# The static checks (sanity, gates) and the tests use about one CPU each: when both are asked
# for, the static checks run beside the tests, on their own copy of the collection tree, and
# their output is printed after the tests' (IAMOPS_SERIAL=1: one after the other, as written).
static=() tests=()
for part in "${parts[@]}"; do
  case "$part" in
    sanity|gates) static+=("$part") ;;
    units|emulators|integration) tests+=("$part") ;;
    *) echo "unknown part: $part (sanity, gates, units, emulators, integration)" >&2; exit 2 ;;
  esac
done
status=0
if [ ${#static[@]} -gt 0 ] && [ ${#tests[@]} -gt 0 ] && [ -z "${IAMOPS_SERIAL:-}" ]; then
  side=$root/static-checks
  rm -rf "$side" && mkdir -p "$side"
  step "${static[*]}: started beside the tests (their output follows the tests')"
  (
    iamops_collection_tree "$side/tree" >/dev/null
    timings=()
    run_parts "${static[@]}"
    [ ${#timings[@]} -eq 0 ] || printf '%s\n' "${timings[@]}" > "$side/timings"
    exit $status
  ) > "$side/output.log" 2>&1 &
  side_pid=$!
  trap 'trap - INT TERM; kill 0; exit 130' INT TERM  # an interrupt stops the static checks too
  run_parts "${tests[@]}"
  side_status=0
  wait "$side_pid" || side_status=$?
  cat "$side/output.log"
  [ "$side_status" = 0 ] || status=1
  if [ -f "$side/timings" ]; then
    while IFS= read -r line; do timings+=("$line"); done < "$side/timings"
  fi
else
  run_parts "${parts[@]}"
fi
if [ ${#timings[@]} -gt 0 ]; then
  step "timings"
  printf '%s\n' "${timings[@]}"
fi
exit $status
