"""A job the way AWX / Automation Controller runs it: ``ansible-runner`` on a private data
directory holding the project's playbook, an inventory, the extra variables (the job template's
and the survey's answers, validated against the shipped survey spec) and the environment the
job's credentials inject - rendered from the shipped credential types
(extensions/awx/credential_types/*.yml), so a wrong variable name in them fails this test - and
for Keystone, what AWX's built-in OpenStack credential does (a clouds.yaml with one cloud named
``devstack``, OS_CLIENT_CONFIG_FILE). No module_defaults, no connection option in the play.

One job onboards a person on Keystone and the three emulators at once: a check job first (no
write anywhere), then the real job (server state read back from each server), then a rerun
(no write). The role assignment lines --diff prints are the same in the check job and the real one.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import jinja2
import jinja2.sandbox
import yaml

from .conftest import CHECKOUT, COLLECTIONS_ROOT, Logs, job_environment, writes
import secret_scan  # noqa: E402  (tests/support, on sys.path by the conftests)

AWX = os.path.join(CHECKOUT, 'extensions', 'awx')
SURVEY = os.path.join(AWX, 'job_templates', 'onboarding_survey.json')


def credential_environment(kind, inputs):
    """What AWX injects for a credential of the shipped type ``kind`` with ``inputs``: its
    ``injectors.env`` rendered with the inputs (AWX renders them with a sandboxed Jinja2)."""
    with open(os.path.join(AWX, 'credential_types', kind + '.yml')) as handle:
        spec = yaml.safe_load(handle)
    fields = dict((field['id'], field) for field in spec['inputs']['fields'])
    assert set(inputs) <= set(fields), 'inputs the credential type does not have: %s' % (set(inputs) - set(fields))
    assert set(spec['inputs'].get('required', [])) <= set(inputs)
    engine = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return dict((name, engine.from_string(template).render(**inputs)) for name, template in spec['injectors']['env'].items())


def survey_answers(answers):
    """The extra variables a survey launch adds: ``answers`` checked against the shipped survey
    spec as AWX checks them (required questions, choices, lengths); defaults for the others."""
    with open(SURVEY) as handle:
        spec = json.load(handle)['spec']
    known = dict((q['variable'], q) for q in spec)
    assert set(answers) <= set(known), 'not questions of the survey: %s' % (set(answers) - set(known))
    extra = {}
    for variable, question in known.items():
        value = answers.get(variable, question.get('default', ''))
        if question['type'] == 'multiselect':
            value = value if isinstance(value, list) else [v for v in str(value).split('\n') if v]
            assert set(value) <= set(question['choices']), (variable, value)
        elif question['type'] == 'multiplechoice' and value != '':
            assert value in question['choices'], (variable, value)
        if question.get('required'):
            assert value not in ('', [], None), '%s is required' % variable
        if isinstance(value, str) and 'max' in question:
            assert question.get('min', 0) <= len(value) <= question['max'] or (value == '' and not question.get('required'))
        if value not in ('', [], None):
            extra[variable] = value
    return extra


class Job:
    """One AWX-style job directory, run with ansible-runner (the CLI AWX's workers run)."""

    def __init__(self, root, envvars, extravars):
        self.root = root
        for sub in ('env', 'inventory', 'project'):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        envvars = dict(envvars, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_NOCOLOR='1',
                       ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_FORCE_COLOR='0')
        self._write('env/envvars', yaml.safe_dump(envvars))
        self._write('env/extravars', yaml.safe_dump(extravars))
        self._write('inventory/hosts', 'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
        # the project's playbook: the collection's, as a project would import it
        self._write('project/onboard.yml', '---\n- name: Onboarding\n  ansible.builtin.import_playbook: iamops.identity.onboard_survey\n')
        self.envvars = envvars

    def _write(self, name, text):
        path = os.path.join(self.root, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w') as handle:
            handle.write(text)

    def run(self, ident, *options):
        """ansible-runner run; returns (status, rc, stdout, events) from the job's artifacts."""
        self._write('env/cmdline', ' '.join(options))
        runner = os.path.join(os.path.dirname(sys.executable), 'ansible-runner')
        proc = subprocess.run([runner, 'run', self.root, '-p', 'onboard.yml', '--ident', ident],
                              env=job_environment(), capture_output=True, text=True, timeout=600, check=False)
        artifacts = os.path.join(self.root, 'artifacts', ident)
        assert os.path.isdir(artifacts), proc.stdout[-3000:] + proc.stderr[-3000:]

        def read(name):
            with open(os.path.join(artifacts, name)) as handle:
                return handle.read()

        events = []
        for name in sorted(os.listdir(os.path.join(artifacts, 'job_events')), key=lambda n: int(n.split('-')[0])):
            with open(os.path.join(artifacts, 'job_events', name)) as handle:
                events.append(json.load(handle))
        # what AWX would show and store: the job's output and its events, for the session's secret scan
        secret_scan.capture(read('stdout'), 'ansible-runner job %s (stdout)' % ident)
        secret_scan.capture(json.dumps(events), 'ansible-runner job %s (events)' % ident)
        secret_scan.capture(proc.stdout + proc.stderr, 'ansible-runner %s (its own output)' % ident)
        return read('status').strip(), int(read('rc')), read('stdout'), events, proc


def role_assignment_lines(stdout):
    """The one-line diffs of role assignments the job printed."""
    # '+ label' / '- label'; a user diff's JSON lines are '+    "key": ...', its headers '+++ after'
    return sorted(line for line in stdout.splitlines() if re.match(r'^[+-] \S', line))


def onboarding_job(saas, tmp_path, uniq, keystone=None, admin=None, access_log=None):
    name = 'awx-' + uniq
    password = 'Initial-Pa55word-' + uniq
    secret_scan.register(password, 'the survey\'s initial password')
    saas.add_authress_users([name])       # Authress users appear at their first login
    env, providers = {}, {'onelogin': {}, 'authress': {}, 'posit_connect': {}}
    if keystone is not None:
        for group in ('staff', 'research', 'payroll'):
            if not admin.get('/groups', name=group, domain_id='default')['groups']:
                admin.post('/groups', {'group': {'name': group, 'domain_id': 'default'}})
        research = admin.make_project('research')
        # AWX's built-in OpenStack credential: a clouds.yaml with one cloud, OS_CLIENT_CONFIG_FILE
        clouds = tmp_path / 'awx-openstack-credential' / 'clouds.yaml'
        clouds.parent.mkdir()
        clouds.write_text(yaml.safe_dump({'clouds': {'devstack': {'auth': {
            'auth_url': keystone['auth_url'], 'username': keystone['username'], 'password': keystone['password'],
            'project_name': keystone['project_name'], 'user_domain_name': keystone['user_domain_name'],
            'project_domain_name': keystone['project_domain_name']}, 'verify': False}}}))
        env['OS_CLIENT_CONFIG_FILE'] = str(clouds)
        providers = dict(keystone={}, **providers)
    # the credentials of the shipped custom types attached to the job template
    connections = saas.connections
    env.update(credential_environment('onelogin', connections['onelogin']))
    env.update(credential_environment('authress', connections['authress']))
    env.update(credential_environment('posit_connect', {'server': connections['posit_connect']['api_url'],
                                                        'api_key': connections['posit_connect']['api_key']}))
    assert dict((k, v) for k, v in env.items() if not k.startswith('OS_')) == saas.environment()   # what the providers read

    # the job template's extra variables, then the survey's answers
    extravars = {'identity_providers': providers}
    extravars.update(survey_answers({
        'person_name': name, 'person_email': name + '@example.com', 'person_first_name': 'Ada',
        'person_last_name': 'Lovelace', 'person_groups': ['staff', 'research'], 'person_projects': ['research'],
        'person_keystone_role': 'member', 'person_onelogin_group': 'staff', 'person_onelogin_roles': ['Employee'],
        'person_connect_role': 'publisher', 'person_password': password}))
    job = Job(str(tmp_path / 'job'), env, extravars)
    logs = Logs(saas, access_log)
    none = dict((p, []) for p in providers)

    mark = logs.mark()
    status, rc, check_out, events, proc = job.run('check', '--check', '--diff')
    assert (status, rc) == ('successful', 0), check_out[-4000:] + proc.stderr[-2000:]
    assert writes(logs.entries(mark)) == none
    assert [u for u in saas.onelogin.dump()['users'] if u['username'] == name] == []

    mark = logs.mark()
    status, rc, real_out, events, proc = job.run('real', '--diff')
    assert (status, rc) == ('successful', 0), real_out[-4000:] + proc.stderr[-2000:]
    done = writes(logs.entries(mark))
    assert all(done[p] for p in done), done      # every provider was written to

    if keystone is not None:   # read back with the admin client
        user = admin.user(name)
        assert user['email'] == name + '@example.com' and user['enabled'] is True
        assert admin.password_works(user['id'], password)
        groups = sorted(g['name'] for g in admin.get('/users/%s/groups' % user['id'])['groups'])
        assert groups == ['research', 'staff']
        held = admin.get('/role_assignments', **{'user.id': user['id'], 'include_names': 'true'})['role_assignments']
        assert [(a['role']['name'], a['scope']['project']['id']) for a in held] == [('member', research['id'])]
    # OneLogin, Authress, Posit Connect, read back from each emulator's own state
    onelogin = saas.onelogin.dump()
    account = [u for u in onelogin['users'] if u['username'] == name][0]
    roles = dict((r['id'], r['name']) for r in onelogin['roles'])
    groups = dict((g['id'], g['name']) for g in onelogin['groups'])
    assert account['email'] == name + '@example.com' and [roles[r] for r in account['role_ids']] == ['Employee']
    assert groups[account['group_id']] == 'staff'
    authress = saas.authress.dump()
    members = sorted(g['name'] for g in authress['groups'].values() if name in [u['userId'] for u in g.get('users') or []])
    assert members == ['research', 'staff']
    connect = saas.posit_connect.dump()
    account = [u for u in connect['users'] if u['username'] == name][0]
    assert account['user_role'] == 'publisher' and account['email'] == name + '@example.com'

    # what --diff showed: the same role assignment lines in the check job and in the real one
    lines = role_assignment_lines(real_out)
    assert lines == role_assignment_lines(check_out)
    assert '+ Employee' in lines and '+ user_role publisher' in lines, lines
    if keystone is not None:
        assert '+ member on project research (Default)' in lines, lines
    # every event AWX would store, and the job's output: no secret
    text = real_out + check_out + json.dumps(events)
    for secret in [password] + ([keystone['password']] if keystone else []) + list(saas.secrets):
        assert secret not in text, 'a secret is in the job output'

    # the same job again: nothing to do, no write anywhere
    mark = logs.mark()
    status, rc, again_out, events, proc = job.run('again', '--diff')
    assert (status, rc) == ('successful', 0), again_out[-4000:]
    assert writes(logs.entries(mark)) == none
    shutil.rmtree(str(tmp_path / 'job' / 'env'))   # the injected secrets, as AWX removes them after a job


def test_onboarding_job_on_the_three_emulators(saas, tmp_path, uniq):
    onboarding_job(saas, tmp_path, uniq)


def test_onboarding_job_on_keystone_and_the_emulators_at_once(saas, keystone, admin, access_log, tmp_path, uniq):
    onboarding_job(saas, tmp_path, uniq, keystone, admin, access_log)
