"""Keystone over a real OpenLDAP directory (tests/ldap/slapd_server.py): what an LDAP-backed domain
does differently, proved on a DEDICATED Keystone (domain configs load drivers; an LDAP domain
whose server stops would fail every cross-domain listing of the shared one).

- Names compare the way the server compares them: LDAP matches ``uid``/``cn`` case-insensitively,
  so ``ALICE`` is ``alice``: never a rename, never a duplicate POST, in the single and batch forms,
  for users and groups.
- Keystone's LDAP listings and group member listings ignore ``marker``: past ``list_limit`` they
  link a "next" page that repeats the first. Every listing must end (the client stops it and
  marks it incomplete), and nothing may be concluded from the part that was read: a batch looks
  the rest up by name, a membership beyond the listing is checked, and a purge is refused.

``/roles`` ignores marker too: past a page (1000, Keystone's max_db_limit: our listings ask for
pages of 1000) it repeats its first page; this Keystone gets 1000 more roles to show it.

The directory holds alice, bob and carol; the group staff holds all three (carol added here).
Two domains read it: ``case`` (no list limit) and ``paged`` (identity ``list_limit`` 2).
"""

import os
import subprocess

import pytest

from conftest import Admin, CHECKOUT, harness, module_environment, module_runner

LIMIT = 2


def _load_slapd_harness():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'slapd_server', os.path.join(CHECKOUT, 'tests', 'ldap', 'slapd_server.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slapd = _load_slapd_harness()


@pytest.fixture(scope='module')
def lks(tmp_path_factory):
    harness.install(with_ldap=True)
    directory = str(tmp_path_factory.mktemp('keystone-ldap'))
    env = harness.start(dir=directory)
    env['clouds_yaml'] = os.path.join(directory, 'clouds.yaml')
    yield env
    harness.stop(dir=directory)


@pytest.fixture(scope='module')
def directory(tmp_path_factory):
    try:
        slapd.install()
    except slapd.SlapdServerError as exc:
        pytest.skip('OpenLDAP slapd cannot be installed here: %s' % exc)
    env = slapd.start(dir=str(tmp_path_factory.mktemp('slapd')))
    # carol joins staff, so the group has more members than the paged domain's list_limit
    ldif = 'dn: %s\nchangetype: modify\nadd: member\nmember: %s\n' % (env['group']['dn'], env['users']['carol']['dn'])
    subprocess.run(['ldapmodify', '-x', '-H', env['url'], '-D', env['bind_dn'], '-w', env['bind_password']],
                   input=ldif, text=True, capture_output=True, check=True)
    yield env
    slapd.stop(dir=env['dir'])


@pytest.fixture(scope='module')
def ladmin(lks):
    return Admin(lks)


@pytest.fixture(scope='module')
def llog(lks):
    return harness.AccessLog(lks['access_log'])


@pytest.fixture
def run(lks, llog, tmp_path):
    return module_runner(module_environment(lks['clouds_yaml']), llog, tmp_path)


def ldap_config(env, **identity):
    return {
        'identity': dict(driver='ldap', **identity),
        'ldap': {
            'url': env['url'], 'user': env['bind_dn'], 'password': env['bind_password'], 'suffix': env['suffix'],
            'query_scope': 'one', 'user_tree_dn': env['user_tree_dn'], 'user_objectclass': 'inetOrgPerson',
            'user_id_attribute': 'uid', 'user_name_attribute': 'uid', 'user_mail_attribute': 'mail',
            'group_tree_dn': env['group_tree_dn'], 'group_objectclass': 'groupOfNames', 'group_id_attribute': 'cn',
            'group_name_attribute': 'cn', 'group_member_attribute': 'member', 'use_pool': False, 'use_auth_pool': False,
        },
    }


class Domain:
    """An LDAP-backed domain and what Keystone says is in it (read with the admin client)."""

    def __init__(self, admin, name, config):
        self.domain = admin.make_domain(name)
        self.name, self.id = self.domain['name'], self.domain['id']
        response = admin.session.put('%s/domains/%s/config' % (admin.url, self.id), json={'config': config}, timeout=30)
        assert response.status_code in (200, 201), response.text
        self.users = dict((n, admin.get('/users', domain_id=self.id, name=n)['users'][0]) for n in ('alice', 'bob', 'carol'))
        self.staff = admin.get('/groups', domain_id=self.id, name='staff')['groups'][0]


@pytest.fixture(scope='module')
def case(ladmin, directory):
    return Domain(ladmin, 'ldap-case', ldap_config(directory))


@pytest.fixture(scope='module')
def paged(ladmin, directory):
    return Domain(ladmin, 'ldap-paged', ldap_config(directory, list_limit=LIMIT))


def calls(run):
    return [(e.method, e.path) for e in run.entries]


def queries(run, path):
    return [e.query for e in run.entries if e.path == path]


def warnings(run):
    """The warning texts of a run (ansible-core 2.19 reports each as a WarningSummary dict)."""
    return ' '.join(w['event']['msg'] if isinstance(w, dict) else w for w in run.get('warnings') or [])


# ---- names compare the way LDAP compares them ------------------------------------------------------

def test_a_case_variant_of_a_user_name_is_that_user(run, case):
    alice = case.users['alice']
    found = run('identity_user', name='ALICE', domain=case.name, email='alice@example.org', _diff=True)
    assert found['changed'] is False, found.result
    assert found.writes == []
    assert (found['user']['id'], found['user']['name']) == (alice['id'], 'alice')   # the server's name, kept
    assert found['diff'] == {'before': {}, 'after': {}}
    assert calls(found) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/domains'), ('GET', '/v3/users')]
    assert queries(found, '/v3/users') == ['name=ALICE&domain_id=%s' % case.id]

    # a user's groups named in another case, and a group's members too: already so, nothing sent
    bob = run('identity_user', name='Bob', domain=case.name, groups=['STAFF'])
    assert bob['changed'] is False and bob.writes == []
    assert [g['id'] for g in bob['groups']] == [case.staff['id']]
    staff = run('identity_group', name='Staff', domain=case.name, users=['ALICE', 'bob', 'Carol'])
    assert staff['changed'] is False and staff.writes == []
    assert staff['group']['name'] == 'staff'
    assert sorted(m['name'] for m in staff['members']) == ['alice', 'bob', 'carol']


def test_a_case_variant_in_the_batch_forms(run, case):
    users = run('identity_user', domain=case.name, users=[{'name': 'ALICE'}, {'name': 'Bob'}, {'name': 'carol'}])
    assert users['changed'] is False, users.result
    assert users.writes == []
    assert [r['user']['id'] for r in users['results']] == [case.users[n]['id'] for n in ('alice', 'bob', 'carol')]
    assert [r['user']['name'] for r in users['results']] == ['alice', 'bob', 'carol']
    # one listing of the domain, then the server is asked about the two names listed only in
    # another case (carol is answered by the listing)
    assert sorted(queries(users, '/v3/users')) == sorted([
        'domain_id=%s&limit=1000' % case.id, 'name=ALICE&domain_id=%s' % case.id, 'name=Bob&domain_id=%s' % case.id])

    groups = run('identity_group', domain=case.name, groups=[{'name': 'STAFF', 'users': ['alice']}])
    assert groups['changed'] is False and groups.writes == []
    assert groups['results'][0]['group']['id'] == case.staff['id']

    members = run('identity_user', domain=case.name, groups=['Staff'],
                  users=[{'name': 'alice'}, {'name': 'BOB'}, {'name': 'Carol'}])
    assert members['changed'] is False and members.writes == []


# ---- listings that ignore marker end, and are not taken for whole ------------------------------------

def test_ldap_listing_past_list_limit_ends_and_says_it_is_incomplete(run, paged):
    info = run('identity_user_info', domain=paged.name, _timeout=60)
    assert info.get('failed') is not True, info.result
    names = [u['name'] for u in info['users']]
    assert len(names) == LIMIT and len(set(names)) == LIMIT and set(names) < {'alice', 'bob', 'carol'}
    assert 'is incomplete' in warnings(info)
    # the first page, then the "next" page Keystone linked (the same users again): no third
    assert calls(info).count(('GET', '/v3/users')) == 2

    members = run('identity_group_info', name='staff', domain=paged.name, with_members=True, _timeout=60)
    assert members.get('failed') is not True, members.result
    assert len(members['groups'][0]['users']) == LIMIT
    assert 'is incomplete' in warnings(members)
    assert calls(members).count(('GET', '/v3/groups/%s/users' % paged.staff['id'])) == 2


def test_batch_looks_up_the_users_beyond_an_incomplete_listing(run, paged):
    users = run('identity_user', domain=paged.name, users=[{'name': n} for n in ('alice', 'bob', 'carol')], _timeout=60)
    assert users['changed'] is False, users.result
    assert users.writes == []
    assert [r['user']['id'] for r in users['results']] == [paged.users[n]['id'] for n in ('alice', 'bob', 'carol')]


def test_membership_beyond_an_incomplete_member_listing(run, paged):
    # carol is a member that the member listing (alice, bob) does not show: already so
    for name in ('alice', 'bob', 'carol'):
        one = run('identity_group', name='staff', domain=paged.name, users=[name], _timeout=60)
        assert one['changed'] is False, (name, one.result)
        assert one.writes == []
    # a purge cannot tell whom to remove from a partial list: refused, nothing sent
    purge = run('identity_group', name='staff', domain=paged.name, users=['alice'], purge_users=True, _timeout=60)
    assert purge.get('failed') is True, purge.result
    assert 'incomplete' in purge['msg'] and 'nothing was changed' in purge['msg']
    assert purge.writes == []


# ---- a batch item that fails half-way reports changed only if it wrote -----------------------------

def test_batch_item_failing_half_way_reports_what_it_wrote(run, ladmin, case):
    # Keystone refuses a membership across backends (a SQL user in an LDAP group: 403), after the
    # user's create went through: the item failed, but it changed something
    staff = {'name': 'staff', 'domain': case.name}
    existing = ladmin.make_user('halfway-old')
    users = [{'name': 'halfway-new', 'groups': [staff]},     # POST, then a PUT refused
             {'name': existing['name'], 'groups': [staff]},  # only the PUT, refused
             {'name': 'halfway-plain'}]                      # POST
    batch = run('identity_user', users=users)
    assert batch.get('failed') is True
    assert [r.get('failed', False) for r in batch['results']] == [True, True, False]
    assert [r['changed'] for r in batch['results']] == [True, False, True]
    assert batch['changed'] is True
    assert 'Group membership across backend boundaries is not allowed' in batch['results'][0]['msg']
    assert batch['msg'].startswith('2 of 3 items failed')
    assert ladmin.user('halfway-new') is not None and ladmin.user('halfway-plain') is not None
    assert [(e.method, e.status) for e in batch.writes] == [('POST', 201), ('PUT', 403), ('PUT', 403), ('POST', 201)]


PAGE = 1000  # the page size our listings ask for, and Keystone's max_db_limit


@pytest.fixture(scope='module')
def many_roles(ladmin):
    """More global roles than one page holds (about 20 s)."""
    have = set(r['name'] for r in ladmin.get('/roles', limit=PAGE)['roles'])
    for i in range(PAGE):
        if 'bulk-%04d' % i not in have:
            ladmin.post('/roles', {'role': {'name': 'bulk-%04d' % i}})
    return ladmin.get('/roles', limit=PAGE)


def test_roles_beyond_an_incomplete_role_listing_are_found_by_name(run, ladmin, case, many_roles):
    assert many_roles['truncated'] is True and len(many_roles['roles']) == PAGE   # the server's own cap
    listed = set(r['name'] for r in many_roles['roles'])
    everyone = ['bulk-%04d' % i for i in range(PAGE)] + ['manager', 'admin', 'service', 'member', 'reader']
    beyond = [name for name in everyone if name not in listed][0]
    project = ladmin.make_project('roles-beyond')
    args = dict(user='alice', user_domain=case.name, role=beyond, project=project['name'], _timeout=90)
    grant = run('identity_role_assignment', **args)
    assert grant.get('failed') is not True, grant.result
    assert grant['changed'] is True and grant['assignment']['role']['name'] == beyond
    assert [e.method for e in grant.writes] == ['PUT']
    # the listing (its first page and the "next" one, the same again), then one lookup by name
    queries = [e.query for e in grant.entries if e.path == '/v3/roles']
    assert len(queries) == 3 and queries[0] == 'limit=%d' % PAGE and 'marker=' in queries[1]
    assert queries[2] == 'name=%s' % beyond
    again = run('identity_role_assignment', **args)
    assert again['changed'] is False and again.writes == []
