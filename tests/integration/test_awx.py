"""A job the way AWX runs it: the built-in OpenStack credential writes a clouds.yaml with one cloud
(named ``devstack``) and sets OS_CLIENT_CONFIG_FILE; the playbook names no cloud and no auth."""

import yaml


def test_awx_openstack_credential_alone_is_enough(playbook, keystone, admin, tmp_path, uniq):
    clouds = tmp_path / 'awx-clouds.yaml'
    clouds.write_text(yaml.safe_dump({'clouds': {'devstack': {
        'auth': {'auth_url': keystone['auth_url'], 'username': keystone['username'],
                 'password': keystone['password'], 'project_name': keystone['project_name'],
                 'user_domain_name': keystone['user_domain_name'],
                 'project_domain_name': keystone['project_domain_name']},
        'verify': False}}}))
    play = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: a joiner, no connection option in the play
      iamops.identity.identity_user:
        name: awx-%s
        email: awx@example.com
""" % uniq
    proc, entries = playbook(play, extra_env={'OS_CLIENT_CONFIG_FILE': str(clouds)})
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert admin.user('awx-' + uniq)['email'] == 'awx@example.com'
    assert [(e.method, e.path) for e in entries if e.method == 'POST' and e.path != '/v3/auth/tokens'] == [
        ('POST', '/v3/users')]

    # two clouds and none named: one message naming them, nothing sent
    data = yaml.safe_load(clouds.read_text())
    data['clouds']['other'] = data['clouds']['devstack']
    clouds.write_text(yaml.safe_dump(data))
    proc, entries = playbook(play + '        state: absent\n', extra_env={'OS_CLIENT_CONFIG_FILE': str(clouds)})
    assert proc.returncode == 2
    assert 'several (devstack, other): name one with cloud or OS_CLOUD' in proc.stdout, proc.stdout[-3000:]
    assert entries == []
    assert admin.user('awx-' + uniq) is not None
    assert keystone['password'] not in proc.stdout + proc.stderr
