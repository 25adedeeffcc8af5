"""identity_group and identity_group_info on Posit Connect, through real module runs."""

from tests.integration.conftest import refuses_subgroups


def test_create_with_members_check_mode_rerun_and_purge(run_module, state, emu):
    emu.seed({'users': [dict(username=n, email='%s@x' % n) for n in ('ann', 'bob', 'cat')]})
    check = run_module('identity_group', _check=True, _diff=True, name='Data', users=['ann', 'bob'])
    assert check['changed'] is True and check.writes == [] and state.group('Data') is None
    assert [m['name'] for m in check['members']] == ['ann', 'bob']

    created = run_module('identity_group', _diff=True, name='Data', users=['ann', 'bob'])
    assert created['changed'] is True
    assert [(r['method'], r['status']) for r in created.writes] == [('POST', 200), ('POST', 204), ('POST', 204)]
    assert len(created.entries) == 6     # the group and the two users looked up, then the writes
    assert created['diff']['after'] == {'name': 'Data', 'users': ['ann', 'bob']}
    assert state.members('Data') == ['ann', 'bob'] and created['group']['id'] == state.group('Data')['guid']

    again = run_module('identity_group', name='Data', users=['ann', 'bob'])
    assert again['changed'] is False and again.writes == []
    assert len(again.entries) == 2      # the group (prefix search), its members

    purge = run_module('identity_group', _diff=True, name='Data', users=['cat'], purge_users=True)
    assert purge['diff'] == {'before': {'users': ['ann', 'bob']}, 'after': {'users': ['cat']}}
    assert [r['method'] for r in purge.writes] == ['POST', 'DELETE', 'DELETE']
    assert state.members('Data') == ['cat']


def test_rename_is_idempotent_and_delete(run_module, state, emu):
    emu.seed({'groups': [{'name': 'Ops'}]})
    guid = state.group('Ops')['guid']
    renamed = run_module('identity_group', _diff=True, name='Ops', new_name='Operations')
    assert renamed['changed'] is True and renamed['diff'] == {'before': {'name': 'Ops'}, 'after': {'name': 'Operations'}}
    assert [(r['method'], r['path']) for r in renamed.writes] == [('POST', '/__api__/v1/groups/' + guid)]
    assert state.group('Operations')['guid'] == guid and state.group('Ops') is None
    again = run_module('identity_group', name='Ops', new_name='Operations')
    assert again['changed'] is False and again.writes == []
    neither = run_module('identity_group', name='Nope', new_name='Nada')
    assert neither['failed'] is True and "group 'Nope' not found, so it cannot be renamed" in neither['msg']

    check = run_module('identity_group', _check=True, name='Operations', state='absent')
    assert check['changed'] is True and check.writes == []
    deleted = run_module('identity_group', name='Operations', state='absent')
    assert [(r['method'], r['status']) for r in deleted.writes] == [('DELETE', 204)]
    assert state.group('Operations') is None
    assert run_module('identity_group', name='Operations', state='absent')['changed'] is False


def test_batch_of_groups_reads_the_groups_once(run_module, state, emu):
    emu.seed({'users': [dict(username='ann', email='a@x')], 'groups': [{'name': 'one'}]})
    items = [dict(name='one', users=['ann']), dict(name='two'), dict(name='three', users=['ann'])]
    first = run_module('identity_group', groups=items)
    assert [r['changed'] for r in first['results']] == [True, True, True]
    assert [r['path'] for r in first.entries if not r['write']].count('/__api__/v1/groups') == 1
    assert state.members('one') == ['ann'] and state.members('three') == ['ann'] and state.group('two')
    assert run_module('identity_group', groups=items).writes == []


def test_unsupported_group_options_fail_before_any_request(run_module, emu):
    for args, text in ((dict(name='g', description='x'), 'option description of identity_group (a Connect group has no '
                                                         'description)'),
                       (dict(name='g', domain='corp'), 'option domain of identity_group (Connect has no domains)')):
        result = run_module('identity_group', **args)
        assert result['failed'] is True and result['msg'] == 'posit_connect does not support ' + text
    assert emu.log == [] or all(r['path'].startswith('/__emulator__') for r in emu.log)


def test_group_info_with_members(run_module, emu):
    emu.seed({'users': [dict(username='ann', email='a@x')],
              'groups': [{'name': 'Data', 'members': ['ann']}, {'name': 'Ops'}]})
    listed = run_module('identity_group_info', with_members=True, query='groups[].{g: name, m: users[].name}')
    assert listed['query_result'] == [{'g': 'Data', 'm': ['ann']}, {'g': 'Ops', 'm': []}]
    one = run_module('identity_group_info', name='Ops')
    assert [g['name'] for g in one['groups']] == ['Ops'] and one['groups'][0]['domain_id'] is None
    assert one['groups'][0]['raw'] == {'guid': one['groups'][0]['id'], 'name': 'Ops', 'owner_guid': emu.admin['guid']}


def test_rename_onto_another_group_and_absent_rename_are_refused_before_any_write(run_module, state, emu):
    emu.seed({'groups': [{'name': 'Ops'}, {'name': 'Dev'}]})
    ops, dev = state.group('Ops')['guid'], state.group('Dev')['guid']
    taken = run_module('identity_group', name='Ops', new_name='Dev')
    assert taken['failed'] is True and taken.writes == []
    assert "cannot rename group 'Ops' to 'Dev': another group is called 'Dev' already (ID %s)" % dev in taken['msg']
    absent = run_module('identity_group', name='Ops', new_name='Gone', state='absent')
    assert absent['failed'] is True and absent.entries == [] and 'new_name is given with state=absent' in absent['msg']
    both = run_module('identity_group', groups=[dict(name='Ops', new_name='Team'), dict(name='Dev', new_name='Team')])
    assert both['failed'] is True and both.entries == []
    assert (state.group('Ops')['guid'], state.group('Dev')['guid']) == (ops, dev)


def test_subgroups_are_refused_before_any_request(run_module, state, emu):
    """A Connect group holds users only: subgroups and purge_subgroups fail before any request."""
    emu.seed({'groups': [{'name': 'Ops'}]})
    refuses_subgroups(run_module, 'posit_connect', 'Data', 'a Connect group holds users only, no groups')
    assert state.group('Data') is None
