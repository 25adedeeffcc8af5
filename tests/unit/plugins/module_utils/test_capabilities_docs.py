"""The README's provider table and every module's documentation agree with the capabilities the
providers declare (providers/*/spec.py), so neither can drift from what the code does."""

import importlib
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
MODULES = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if f.startswith('identity_'))
PROVIDERS_LINE = re.compile(r'^Providers: ([a-z_]+(?:, [a-z_]+)*)\.$')


def documentation(module):
    mod = importlib.import_module('ansible_collections.iamops.identity.plugins.modules.' + module)
    return yaml.safe_load(mod.DOCUMENTATION)


def providers_line(description):
    lines = description if isinstance(description, list) else [description]
    found = [PROVIDERS_LINE.match(line.strip()) for line in lines]
    found = [m.group(1).split(', ') for m in found if m]
    assert len(found) <= 1, description
    return found[0] if found else None


def test_readme_table_is_generated_from_the_capabilities():
    table = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'provider_table.py')],
                           capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    tables = table.split('\n\n')
    assert len(tables) == 2  # the provider table and the feature table
    for generated in tables:
        assert generated in readme, 'README table is stale: run scripts/provider_table.py --write README.md'


def _readme_rows():
    """provider name -> {column title: cell} of the README's provider table."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        text = handle.read()
    block = text[text.index('<!-- provider-table'):text.index('<!-- /provider-table -->')]
    lines = [line.strip() for line in block.splitlines() if line.startswith('| ')]
    header = [c.strip() for c in lines[0].strip('|').split('|')]
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip('|').split('|')]
        found = re.search(r'\(`([a-z_]+)`\)', cells[0])
        if found:
            rows[found.group(1)] = dict(zip(header, cells))
    return rows


def test_the_nested_groups_column_says_which_providers_take_subgroups():
    rows = _readme_rows()
    assert set(rows) == set(spec.name for spec in _registry.SPECS)
    for spec in _registry.SPECS:
        capability = spec.capabilities.get('identity_group')
        shown = rows[spec.name]['nested groups']
        if capability is not None and 'subgroups' in capability.options:
            assert shown == 'yes', spec.name
            continue
        why = capability.reasons.get('subgroups') if capability else spec.unsupported.get('identity_group')
        assert why, '%s refuses subgroups without a reason' % spec.name
        assert shown == 'no (%s)' % why, spec.name
    assert rows['scim']['nested groups'] == 'yes'
    assert all(rows[name]['nested groups'].startswith('no (') for name in ('keystone', 'onelogin', 'authress', 'posit_connect'))


@pytest.mark.parametrize('module', MODULES)
def test_module_docs_name_the_providers_that_support_it(module):
    doc = documentation(module)
    supporting = [spec.name for spec in _registry.SPECS if module in spec.capabilities]
    assert providers_line(doc['description']) == supporting, (
        '%s: the description needs the line "Providers: %s."' % (module, ', '.join(supporting)))
    own = set(doc.get('options') or {})
    for option in sorted(own):
        users = [spec.name for spec in _registry.SPECS
                 if module in spec.capabilities and option in spec.capabilities[module].options]
        line = providers_line(doc['options'][option].get('description') or [])
        if option in ('state',) or not users and line is None:
            continue
        if users == supporting:
            assert line is None or line == supporting, '%s: option %s' % (module, option)
        else:
            assert line == users, '%s: option %s needs "Providers: %s."' % (module, option, ', '.join(users))


@pytest.mark.parametrize('module', MODULES)
def test_every_documented_option_is_declared_by_some_provider(module):
    """An option no provider declares would be refused for everyone: a documentation bug."""
    doc = documentation(module)
    declared = set()
    for spec in _registry.SPECS:
        if module in spec.capabilities:
            declared |= spec.capabilities[module].options
    undeclared = sorted(set(doc.get('options') or {}) - declared - {'state', 'query'})
    assert not undeclared, '%s: options no provider declares: %s' % (module, undeclared)


def _provider_docs():
    sys.path.insert(0, os.path.join(ROOT, 'scripts'))
    try:
        return importlib.import_module('provider_docs')
    finally:
        sys.path.pop(0)


@pytest.mark.parametrize('module', MODULES)
def test_every_module_extends_every_registered_providers_fragment(module):
    """A provider's connection options are documented in every module without editing one: the
    fragment list is written from the registry (scripts/provider_docs.py)."""
    fragments = documentation(module)['extends_documentation_fragment']
    start = fragments.index('iamops.identity.connection') + 1
    names = ['iamops.identity.%s' % spec.name for spec in _registry.SPECS]
    assert fragments[start:start + len(names)] == names, 'run scripts/provider_docs.py'
    with open(os.path.join(ROOT, 'plugins', 'modules', module + '.py')) as handle:
        text = handle.read()
    assert _provider_docs().rewrite_fragments(text) == text


def test_a_new_providers_fragment_is_added_by_the_script():
    docs = _provider_docs()
    with open(os.path.join(ROOT, 'plugins', 'modules', 'identity_user.py')) as handle:
        text = handle.read()
    last = _registry.SPECS[-1].name
    without = text.replace('  - iamops.identity.%s\n' % last, '', 1)
    assert without != text and docs.rewrite_fragments(without) == text


def test_the_connection_fragment_says_what_the_specs_declare():
    """The provider choices, how each provider is detected and which take api_url (with their
    environment variables) are generated from the specs; the argument spec's choices agree."""
    with open(os.path.join(ROOT, 'plugins', 'doc_fragments', 'connection.py')) as handle:
        text = handle.read()
    assert _provider_docs().rewrite_connection(text) == text, 'run scripts/provider_docs.py'
    fragment = importlib.import_module('ansible_collections.iamops.identity.plugins.doc_fragments.connection')
    doc = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)
    assert doc['options']['provider']['choices'] == list(_registry.NAMES)
    api_url = ' '.join(doc['options']['api_url']['description'])
    for spec in _registry.SPECS:
        if 'api_url' in spec.options:
            assert 'C(%s)' % spec.name in api_url and 'E(%s)' % spec.env['api_url'][0] in api_url


def test_the_feature_table_has_one_column_per_provider_and_a_reason_for_each_no():
    """Each feature row: "yes" where the provider's capability takes the option, else "no" with
    the reason its refusal gives (a bare "no" would be a refusal without a reason)."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        text = handle.read()
    block = text[text.index('<!-- feature-table'):text.index('<!-- /feature-table -->')]
    lines = [line.strip() for line in block.splitlines() if line.startswith('| ')]
    names = [spec.name for spec in _registry.SPECS]
    assert lines[0] == '| feature | %s |' % ' | '.join('`%s`' % name for name in names)
    assert len(lines) == 2 + 10
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip('|').split('|')][1:]
        assert len(cells) == len(names)
        assert all(c == 'yes' or (c.startswith('no (') and c.endswith(')')) for c in cells), line
