"""The membership service (``_membership.Memberships``) runs one sequence for both directions: a
user's groups (identity_user) and a group's users (identity_group). Both report what the
connection cannot see (``blind_spots``), run in-process through the skeleton provider."""

import pytest

from ansible.module_utils.common import warnings as ansible_warnings

# flat: the skeleton provider's fixture, used by name
from test_flat_provider import FlatProvider, flat, run  # noqa: F401  # pylint: disable=unused-import

NOT_VISIBLE = {'memberships': ['groups of other directories'], 'members': ['users of other directories']}


def warnings(result):
    """The warnings' texts (ansible-core 2.19 gives each as a structured event)."""
    return [w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings', ())]


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    """Each in-process run starts without the warnings of the tests before it."""
    monkeypatch.setattr(ansible_warnings, '_global_warnings', {})


@pytest.fixture
def blind(flat, monkeypatch):  # noqa: F811
    monkeypatch.setattr(FlatProvider, 'blind_spots', lambda self, what: list(NOT_VISIBLE.get(what, ())))
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    flat['users']['bob'] = {'id': 'u-bob', 'name': 'bob', 'domain_id': None}
    flat['groups']['ops'] = {'id': 'g-ops', 'name': 'ops', 'domain_id': None, 'description': None}
    flat['members']['ops'] = {'bob'}
    return flat


def test_a_groups_members_report_what_the_connection_cannot_see(blind, capsys):
    result = run(capsys, 'identity_group', name='ops', users=['ann'])
    assert result['not_visible'] == ['users of other directories']
    assert warnings(result) == []                           # no purge: nothing claimed complete
    assert [m['name'] for m in result['members']] == ['ann', 'bob']
    assert blind['writes'] == [('add_member', 'ops', 'ann')]


def test_a_purge_of_a_groups_members_warns_that_only_the_visible_ones_were_removed(blind, capsys):
    result = run(capsys, 'identity_group', name='ops', users=['ann'], purge_users=True)
    assert result['not_visible'] == ['users of other directories']
    assert warnings(result) == ['purge_users removed only the memberships this connection can see: it cannot '
                                'see users of other directories, so any such membership remains']
    assert blind['writes'] == [('add_member', 'ops', 'ann'), ('remove_member', 'ops', 'bob')]


def test_a_users_groups_report_the_same_way(blind, capsys):
    result = run(capsys, 'identity_user', name='bob', groups=['ops'], purge_groups=True)
    assert result['not_visible'] == ['groups of other directories']
    assert warnings(result)[0].startswith('purge_groups removed only the memberships this connection can see')
    assert result['changed'] is False and blind['writes'] == []


def test_a_connection_that_sees_everything_reports_nothing(flat, capsys):  # noqa: F811
    flat['users']['ann'] = {'id': 'u-ann', 'name': 'ann', 'domain_id': None}
    result = run(capsys, 'identity_group', name='ops', users=['ann'], purge_users=True)
    assert 'not_visible' not in result and warnings(result) == [], result
    assert flat['writes'] == [('create_group', 'ops'), ('add_member', 'ops', 'ann')]
