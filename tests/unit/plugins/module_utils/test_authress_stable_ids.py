"""Authress: the stable IDs of new groups and records, the reference rule, the bounds (pure)."""

import re

import pytest

from ansible_collections.iamops.identity.plugins.module_utils._errors import ConfigError
from ansible_collections.iamops.identity.plugins.module_utils.providers.authress import _limits, _model as m

GROUP_ID = re.compile(r'^[a-zA-Z0-9-_]+$')      # Group.groupId (64 at most, "must begin with grp_")
RECORD_ID = re.compile(r'^[a-zA-Z0-9-_:|~]+$')  # AccessRecord.recordId (100 at most)


def test_stable_ids_are_the_same_for_a_name_valid_and_distinct_per_name_and_case():
    ids = m.stable_ids('grp_', 'group', 'race-team')
    assert ids == m.stable_ids('grp_', 'group', 'race-team') and len(ids) == m.STABLE_ID_ATTEMPTS == len(set(ids))
    assert all(i.startswith('grp_') and GROUP_ID.match(i) and len(i) <= 64 for i in ids)
    assert ids[1] == ids[0] + '-2' and ids[-1] == ids[0] + '-5'
    assert m.stable_ids('grp_', 'group', 'Race-team')[0] != ids[0]      # names are case-sensitive
    assert m.stable_ids('rec_', 'record', 'race-team')[0][4:] != ids[0][4:]   # kinds do not share IDs
    assert all(RECORD_ID.match(i) and len(i) <= 100 for i in m.stable_ids('rec_', 'record', 'é / ü|x' * 40))


def test_one_match_by_id_or_name_and_ambiguity_names_every_candidate():
    groups = [{'groupId': 'grp_a', 'name': 'A'}, {'groupId': 'grp_b', 'name': 'grp_a'}, {'groupId': 'grp_c', 'name': 'C'},
              {'groupId': 'grp_d', 'name': 'C'}]
    assert m.one_match(groups, 'A', 'groupId', 'group', 'authress')['groupId'] == 'grp_a'
    assert m.one_match(groups, 'grp_b', 'groupId', 'group', 'authress')['groupId'] == 'grp_b'
    assert m.one_match(groups, 'a', 'groupId', 'group', 'authress') is None          # exact, case-sensitive
    with pytest.raises(ConfigError) as caught:
        m.one_match(groups, 'grp_a', 'groupId', 'group', 'authress')
    assert "'grp_a' is ambiguous" in str(caught.value) and "grp_a 'A', grp_b 'grp_a'" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        m.one_match(groups, 'C', 'groupId', 'group', 'authress')
    assert "grp_c 'C', grp_d 'C'" in str(caught.value)


@pytest.mark.parametrize('params, needle', [
    ({'wait_timeout': -1, 'name': 'u'}, 'wait_timeout: -1'),
    ({'wait_timeout': True, 'name': 'u'}, 'wait_timeout: True'),
    ({'admins': None, 'name': 'n' * 129}, 'name: a group name'),
    ({'admins': None, 'name': 'g', 'users': [{'name': 'u' * 129}]}, 'users: a userId'),
    ({'admins': None, 'groups': [{'name': 'ok'}, {'name': 'ok', 'admins': ['a'] * 101}]}, 'groups[1].admins'),
    ({'resources': ['x' * 513], 'role': 'r', 'record': 'R'}, 'resources: a resource URI'),
    ({'resources': None, 'assignments': [{'resources': [''], 'role': 'r'}]}, 'assignments[0].resources'),
    ({'filters': {'filter': 'f' * 65}}, 'filters.filter'),
])
def test_limits(params, needle):
    with pytest.raises(ConfigError) as caught:
        _limits.check(params)
    assert needle in str(caught.value)


def test_limits_at_the_bounds_pass():
    _limits.check({'wait_timeout': 1, 'name': 'u' * 128, 'users': None})
    _limits.check({'admins': ['a'] * 100, 'name': 'n' * 128, 'users': ['u'] * 100})
    _limits.check({'resources': ['x' * 512] * 100, 'role': 'r' * 64, 'record': 'R' * 128, 'user': 'u' * 128})
    _limits.check({'filters': {'filter': 'f' * 64}})
