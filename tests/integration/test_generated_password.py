"""identity_user password: generate against a real Keystone: a password drawn on create only,
returned once under generated_password, working, masked in the diff, never in any other output."""

import re

import secret_scan


def methods(entries):
    return [(e.method, e.path) for e in entries]


def strong(password):
    return (len(password) == 24 and re.search('[A-Z]', password) and re.search('[a-z]', password)
            and re.search('[0-9]', password) and re.search('[-_.!@#+=]', password))


def test_generate_on_create_then_rerun_and_check_mode(run_module, admin, uniq):
    name = 'gen-' + uniq
    check = run_module('identity_user', name=name, password='generate', _check=True, _diff=True)
    assert check['changed'] is True and check.writes == []
    assert 'generated_password' not in check
    assert check['diff'] == {'before': {}, 'after': {'name': name, 'password': '********'}}
    assert admin.user(name) is None

    first = run_module('identity_user', name=name, password='generate', email=name + '@example.com', _diff=True)
    password = first['generated_password']
    secret_scan.register(password, 'a password identity_user generated')  # in no other place of any output
    assert first['changed'] is True and strong(password)
    assert first['diff']['after']['password'] == '********'
    assert 'generate' not in str(first['diff']) and 'password' not in first['user']
    assert methods(first.writes) == [('POST', '/v3/users')]
    server = admin.user(name)
    assert server['email'] == name + '@example.com'
    assert admin.password_works(server['id'], password)

    again = run_module('identity_user', name=name, password='generate', email=name + '@example.com', _diff=True)
    assert again['changed'] is False and again.writes == []
    assert 'generated_password' not in again
    assert methods(again.entries) == [('POST', '/v3/auth/tokens'), ('GET', '/v3/users')]
    assert admin.password_works(server['id'], password)  # nothing generated, nothing sent

    check_again = run_module('identity_user', name=name, password='generate', _check=True)
    assert check_again['changed'] is False and check_again.writes == []


def test_generate_in_a_batch(run_module, admin, uniq):
    existing = admin.make_user('genb0-' + uniq, password='Existing-Passw0rd-77')
    items = [{'name': 'genb0-' + uniq, 'password': 'generate'}, {'name': 'genb1-' + uniq, 'password': 'generate'},
             {'name': 'genb2-' + uniq, 'password': 'generate', 'email': 'b2@example.com'}]
    result = run_module('identity_user', users=items, _diff=True)
    assert result['changed'] is True
    assert [r['item']['password'] for r in result['results']] == ['generate'] * 3  # the word is not masked
    assert 'generated_password' not in result['results'][0]
    assert admin.password_works(existing['id'], 'Existing-Passw0rd-77')
    passwords = [r['generated_password'] for r in result['results'][1:]]
    for password in passwords:
        secret_scan.register(password, 'a password identity_user generated in a batch')
    assert len(set(passwords)) == 2 and all(strong(p) for p in passwords)
    for index, password in ((1, passwords[0]), (2, passwords[1])):
        assert admin.password_works(admin.user(items[index]['name'])['id'], password)
    assert [w.method for w in result.writes] == ['POST', 'POST']
    again = run_module('identity_user', users=items)
    assert again['changed'] is False and again.writes == []
    assert not any('generated_password' in r for r in again['results'])


def test_generate_with_update_password_always_is_refused_before_any_request(run_module, uniq):
    single = run_module('identity_user', name='gena-' + uniq, password='generate', update_password='always')
    assert single['failed'] is True and single.entries == []
    assert single['msg'] == ('password: generate makes a password for a user the task creates; it cannot be '
                             'combined with update_password: always (give the new password itself)')
    batch = run_module('identity_user', update_password='always',
                       users=[{'name': 'genb-' + uniq, 'password': 'x-Passw0rd-1'},
                              {'name': 'genc-' + uniq, 'password': 'generate'}])
    assert batch['failed'] is True and batch.entries == []
    assert batch['msg'].startswith('users[1]: password: generate makes')
    assert 'Traceback' not in batch.stderr
