from ansible_collections.iamops.identity.plugins.module_utils import _reconcile as r


def test_managed_keeps_only_given_options():
    params = {'name': 'jdoe', 'email': None, 'enabled': False, 'description': ''}
    assert r.managed(params, ['name', 'email', 'enabled', 'description']) == {
        'name': 'jdoe', 'enabled': False, 'description': ''}


def test_changes_detects_only_differences():
    current = {'name': 'jdoe', 'email': 'a@x', 'enabled': True, 'extra': {'a': 1, 'b': 2}}
    assert r.changes({'name': 'jdoe', 'email': 'a@x'}, current) == {}
    assert r.changes({'email': 'b@x'}, current) == {'email': 'b@x'}
    assert r.changes({'enabled': False}, current) == {'enabled': False}
    # a nested dict manages only its own keys
    assert r.changes({'extra': {'a': 1}}, current) == {}
    assert r.changes({'extra': {'a': 3}}, current) == {'extra': {'a': 3}}


def test_changes_empty_string_equals_null():
    assert r.changes({'description': ''}, {'description': None}) == {}
    assert r.changes({'description': 'x'}, {'description': None}) == {'description': 'x'}


def test_diff_only_differing_parts():
    assert r.diff({'a': 1, 'b': 2}, {'a': 1, 'b': 3}) == {'before': {'b': 2}, 'after': {'b': 3}}
    assert r.diff(None, {'a': 1}) == {'before': {}, 'after': {'a': 1}}
    assert r.diff({'a': 1}, None) == {'before': {'a': 1}, 'after': {}}
    assert r.diff({'a': 1}, {'a': 1}) == {'before': {}, 'after': {}}


def test_diff_leaves_out_nulls_at_every_depth():
    # a field set from nothing shows in after only; one cleared, in before only
    assert r.diff({'email': None, 'name': 'a'}, {'email': 'x@y', 'name': 'a'}) == {
        'before': {}, 'after': {'email': 'x@y'}}
    assert r.diff({'email': 'x@y'}, {'email': None}) == {'before': {'email': 'x@y'}, 'after': {}}
    # a deleted object's nulls, nested ones, and a nested dict left empty by that
    assert r.diff({'id': 'u1', 'email': None, 'extra': {'k': None}, 'custom': {'a': None, 'b': 1}}, None) == {
        'before': {'id': 'u1', 'custom': {'b': 1}}, 'after': {}}
    # empty lists and False are values, not nulls
    assert r.diff({'users': [], 'enabled': True}, {'users': ['a'], 'enabled': False}) == {
        'before': {'users': [], 'enabled': True}, 'after': {'users': ['a'], 'enabled': False}}
    _action, _payload, update = r.plan_state({'name': 'u'}, {'name': 'u'}, 'present', {'password': 'p'},
                                             always_send=('password',))
    assert update == {'before': {}, 'after': {'password': r.SECRET_MARK}}


def test_lines_diff_one_line_per_item_grouped_by_actor_revocations_first():
    granted = [('user b', 'user b: member on project x (Default)'), ('user a', 'user a: reader on project x (Default)'),
               ('user a', 'user a: member on project x (Default)')]
    revoked = [('user a', 'user a: admin on system all'), ('user b', 'user b: reader on project y (Default)')]
    assert r.lines_diff(granted, revoked)['prepared'].splitlines() == [
        '- user a: admin on system all',
        '+ user a: member on project x (Default)',
        '+ user a: reader on project x (Default)',
        '- user b: reader on project y (Default)',
        '+ user b: member on project x (Default)']
    assert r.lines_diff([], []) == {'prepared': ''}
    assert r.lines_diff([('u', 'member')], []) == {'prepared': '+ member\n'}


def test_plan_set_add_and_purge():
    assert r.plan_set(['a', 'b', 'b'], ['b', 'c'], purge=False) == (['a'], [])
    assert r.plan_set(['a', 'b'], ['b', 'c'], purge=True) == (['a'], ['c'])
    assert r.plan_set([], ['b', 'c'], purge=True) == ([], ['b', 'c'])


def test_plan_state_create_masks_secret():
    action, payload, diff = r.plan_state(None, {'name': 'u'}, 'present', {'password': 'S3cret!'})
    assert action == 'create'
    assert payload == {'name': 'u', 'password': 'S3cret!'}
    assert diff == {'before': {}, 'after': {'name': 'u', 'password': r.SECRET_MARK}}
    assert 'S3cret!' not in repr(diff)


def test_plan_state_noop_never_sends_password_on_create_only():
    action, payload, diff = r.plan_state({'name': 'u'}, {'name': 'u'}, 'present', {'password': 'p4ss'})
    assert (action, payload) == (None, {})
    assert diff == {'before': {}, 'after': {}}


def test_plan_state_update_password_always():
    action, payload, diff = r.plan_state({'name': 'u'}, {'name': 'u'}, 'present', {'password': 'p4ss'},
                                         always_send=('password',))
    assert action == 'update'
    assert payload == {'password': 'p4ss'}
    assert diff['after'] == {'password': r.SECRET_MARK}
    assert 'p4ss' not in repr(diff)


def test_plan_state_update_fields():
    action, payload, diff = r.plan_state({'name': 'u', 'enabled': True}, {'name': 'u', 'enabled': False}, 'present')
    assert action == 'update'
    assert payload == {'enabled': False}
    assert diff == {'before': {'enabled': True}, 'after': {'enabled': False}}


def test_plan_state_absent():
    assert r.plan_state(None, {}, 'absent')[0] is None
    action, payload, diff = r.plan_state({'name': 'u', 'id': '1'}, {}, 'absent')
    assert action == 'delete'
    assert diff == {'before': {'name': 'u', 'id': '1'}, 'after': {}}


def test_diff_of_a_nested_dict_shows_only_the_managed_keys():
    current = {'extra': {'employee_id': '1', 'cost_center': 'A', 'badge': 'x'}}
    action, payload, diff = r.plan_state(current, {"extra": {"employee_id": "2"}}, "present")
    assert action == 'update'
    assert diff == {'before': {'extra': {'employee_id': '1'}}, 'after': {'extra': {'employee_id': '2'}}}
