"""The AWX custom credential types (extensions/awx/credential_types/*.yml) against the providers'
declarations: each injects exactly the environment variables its provider reads
(``SPEC.env``), from a field of its own; every field feeding a no_log option is ``secret: true``;
the survey spec's variables are the ones the survey playbook reads."""

import json
import os
import re

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(HERE))
TYPES = os.path.join(CHECKOUT, 'extensions', 'awx', 'credential_types')


def specs():
    # imported when a test runs, not at collection (other unit tests patch the registry)
    from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry
    return dict((spec.name, spec) for spec in _registry.SPECS)


def load(name):
    with open(os.path.join(TYPES, name + '.yml')) as handle:
        return yaml.safe_load(handle)


def test_one_credential_type_per_provider_that_reads_environment_variables():
    # Keystone reads OS_* and clouds.yaml itself: AWX's built-in OpenStack credential serves it
    wanted = sorted(name for name, spec in specs().items() if spec.env)
    assert sorted(f[:-4] for f in os.listdir(TYPES) if f.endswith('.yml')) == wanted
    assert {'onelogin', 'authress', 'posit_connect'} <= set(wanted) and 'keystone' not in wanted


@pytest.mark.parametrize('provider', ['onelogin', 'authress', 'posit_connect', 'scim'])
def test_injectors_set_exactly_the_variables_the_provider_reads(provider):
    spec, kind = specs()[provider], load(provider)
    assert kind['kind'] == 'cloud' and kind['name'] and kind['description']
    fields = dict((f['id'], f) for f in kind['inputs']['fields'])
    assert all(set(f) <= {'id', 'label', 'type', 'secret', 'help_text', 'multiline', 'format', 'choices'} and
               f['type'] == 'string' and f['label'] for f in fields.values())
    assert set(kind['inputs']['required']) <= set(fields)
    injected = kind['injectors']['env']
    assert set(kind['injectors']) == {'env'}
    readable = dict((var, option) for option, names in spec.env.items() for var in names)
    assert set(injected) == set(readable), 'the provider reads %s' % sorted(readable)
    for var, template in injected.items():
        field = re.match(r'^\{\{ (\w+) \}\}$', template).group(1)
        assert field in fields and field in kind['inputs']['required']
        secret = bool(spec.options[readable[var]].get('no_log'))
        assert bool(fields[field].get('secret')) is secret, '%s feeds %s (no_log=%s)' % (field, readable[var], secret)
    assert all(f['id'] in [re.match(r'^\{\{ (\w+) \}\}$', t).group(1) for t in injected.values()] for f in fields.values())


def test_the_survey_asks_what_the_survey_playbook_reads():
    with open(os.path.join(CHECKOUT, 'extensions', 'awx', 'job_templates', 'onboarding_survey.json')) as handle:
        survey = json.load(handle)
    variables = [q['variable'] for q in survey['spec']]
    assert len(variables) == len(set(variables))
    with open(os.path.join(CHECKOUT, 'playbooks', 'templates', 'survey_person.json.j2')) as handle:
        template = handle.read()
    read = set(re.findall(r'\b(person_\w+)', template))
    assert read == set(variables)
    for question in survey['spec']:
        assert question['type'] in ('text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect')
        if question['type'] in ('multiplechoice', 'multiselect'):
            assert question['choices'] and all(d in question['choices'] for d in str(question['default']).split('\n') if d)
    assert [q['variable'] for q in survey['spec'] if q['required']] == ['person_name', 'person_email']
    assert [q['type'] for q in survey['spec'] if q['variable'] == 'person_password'] == ['password']
