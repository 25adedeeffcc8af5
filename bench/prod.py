"""Production-shaped Keystone benchmark: MariaDB + 4 gunicorn workers, onboarding at scale.

Run through ``bench/run --prod [options]`` (the benchmark venv; see bench/README.md). One Keystone
over MariaDB (tests/keystone/keystone_server.py ``start(database="mariadb", workers=4)``) serves
every row of one run, side by side:

- ``openstack.cloud`` loops (``identity_user`` + ``group_assignment`` + ``role_assignment``, one
  module process per person and step) at ``--oc-people`` people, with their wall time and
  Keystone busy time extrapolated per person to the large sizes (labelled so);
- our batch path, serial (``parallel: 1``) and parallel (``parallel: N``): ``identity_user``
  ``users:`` (each person's password, e-mail and 2 groups), then one ``identity_role_assignment``
  ``assignments:`` (2 project roles each), then the identical rerun; each run as two module
  processes run the way Ansible runs them on the target (``python -m <module> <args.json>``), so
  the wall time is the modules' own (``ansible-playbook`` adds ~2 s of its start-up to a task) and
  the peak RSS is the module process's (``wait4``).

``--sweep`` first onboards ``--sweep-people`` people with each ``parallel`` of ``--sweep-values``
(the measurement behind the Keystone provider's ``default_parallel``).

Every measured run starts from the same database: a ``mariadb-dump`` of the fixtures, loaded back
into a fresh ``keystone`` database, Keystone restarted and warmed up (not measured). Keystone busy
time is the sum of the per-request durations of its access log: with 4 workers, worker-seconds.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import bench as base

HERE = Path(__file__).resolve().parent
MODULE = 'ansible_collections.iamops.identity.plugins.modules.'
WORKERS = 4
GROUP_SIZE = 500  # members per group at most (see ProdBench.fixtures)


class ProdBench(base.Bench):
    """The SQLite bench's machinery (playbooks, module processes, checks) on a MariaDB Keystone."""

    def setup(self):
        for path in (self.work, self.logs):
            base.shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
        oc = base.ensure_openstack_cloud()
        base.copy_our_collection(self.out / 'collections')
        self.versions = self.collect_versions(oc)
        self.dir = str(self.out / 'keystone-prod')
        started = time.monotonic()
        for attempt in range(3):
            try:
                self.env = self.harness.start(dir=self.dir, database=self.harness.MARIADB, workers=WORKERS)
                break
            except self.harness.KeystoneServerError as exc:  # a bootstrap password starting with '-'
                if attempt == 2 or 'expected one argument' not in str(exc):
                    raise
        base.log('Keystone (MariaDB, %d workers) up at %s in %.1fs' % (
            WORKERS, self.env['auth_url'], time.monotonic() - started))
        self.access = self.harness.AccessLog(self.env['access_log'])
        self.admin = base.Admin(self.env)
        self.clouds_yaml = self.dir + '/clouds.yaml'
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('OS_', 'ANSIBLE_')))
        self.process_env = dict(
            env, OS_CLIENT_CONFIG_FILE=self.clouds_yaml,
            ANSIBLE_COLLECTIONS_PATH=os.pathsep.join([str(self.out / 'collections'), str(base.OC_CACHE)]),
            ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
            ANSIBLE_RETRY_FILES_ENABLED='0', ANSIBLE_LOCAL_TEMP=str(self.out / 'ansible-tmp'),
            ANSIBLE_HOME=str(self.out / 'ansible-home'))
        self.role = self.admin.ensure_role(base.ROLE)
        for i in range(4):
            self.admin.ensure_group('%s%d' % (base.GROUP_PREFIX, i))
            self.admin.ensure_project('%s%d' % (base.PROJECT_PREFIX, i))
        self.snapshot('base')

    def fixtures(self, people_count):
        """Like the SQLite bench's (2 groups and 2 project roles a person), with as many groups as
        keep each under 500 members: Keystone answers at most ``max_db_limit`` (1000) members of a
        group and ignores ``marker`` there, so a bigger group cannot be read whole by anyone (our
        batch then reads each user's groups instead, one request per user)."""
        self.restore('base')
        count = max(4, (2 * people_count + GROUP_SIZE - 1) // GROUP_SIZE)
        groups = [self.admin.ensure_group('%s%d' % (base.GROUP_PREFIX, i)) for i in range(count)]
        projects = [self.admin.ensure_project('%s%d' % (base.PROJECT_PREFIX, i)) for i in range(4)]
        people = []
        for i in range(people_count):
            name = '%s%05d' % (base.USER_PREFIX, i)
            people.append({
                'name': name, 'password': base.PASSWORD, 'email': '%s@example.com' % name,
                'groups': [groups[i % count]['name'], groups[(i + 1) % count]['name']],
                'assignments': [{'role': base.ROLE, 'project': projects[i % 4]['name']},
                                {'role': base.ROLE, 'project': projects[(i + 2) % 4]['name']}],
            })
        self.current = 'fixtures-%d' % people_count  # every run of this size starts from here
        self.snapshot(self.current)
        return groups, projects, people

    def seed_onboarded_sql(self, groups, projects, people):
        """The onboarded state of PEOPLE written straight into Keystone's MariaDB tables (users,
        local users, group memberships, project role assignments; no password: a rerun never
        compares it), so a 10,000-person rerun can be measured without 50,000 writes first;
        then memcached is flushed (nothing cached may predate the rows)."""
        import socket
        import uuid
        domain, now = 'default', time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())
        group_ids = dict((g['name'], g['id']) for g in groups)
        project_ids = dict((p['name'], p['id']) for p in projects)
        rows = {'user': [], 'local_user': [], 'user_group_membership': [], 'assignment': []}
        for person in people:
            uid = uuid.uuid4().hex
            rows['user'].append("('%s', '%s', 1, NULL, '%s', '%s')" % (
                uid, json.dumps({'email': person['email']}), now, domain))
            rows['local_user'].append("('%s', '%s', '%s', 0)" % (uid, domain, person['name']))
            rows['user_group_membership'] += ["('%s', '%s')" % (uid, group_ids[g]) for g in person['groups']]
            rows['assignment'] += ["('UserProject', '%s', '%s', '%s', 0)" % (uid, project_ids[a['project']], self.role['id'])
                                   for a in person['assignments']]
        columns = {'user': '(id, extra, enabled, default_project_id, created_at, domain_id)',
                   'local_user': '(user_id, domain_id, name, failed_auth_count)',
                   'user_group_membership': '(user_id, group_id)',
                   'assignment': '(type, actor_id, target_id, role_id, inherited)'}
        sql = self.work / 'seed.sql'
        with sql.open('w') as out:
            for table in ('user', 'local_user', 'user_group_membership', 'assignment'):
                values = rows[table]
                for start in range(0, len(values), 1000):
                    out.write('INSERT INTO `%s` %s VALUES %s;\n' % (table, columns[table], ','.join(values[start:start + 1000])))
        with sql.open('rb') as handle:
            subprocess.run(self.harness.mariadb_command(self.dir), stdin=handle, check=True)
        host, port = self.env['cache'].rsplit(':', 1)
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(b'flush_all\r\n')
            conn.recv(64)

    # ---- state: mariadb-dump snapshots -------------------------------------------------------
    def snapshot(self, name):
        target = self.out / 'snapshots' / ('%s.sql' % name)
        target.parent.mkdir(parents=True, exist_ok=True)
        command = self.harness.mariadb_command(self.dir)
        command[0] = 'mariadb-dump'
        with target.open('wb') as output:
            subprocess.run(command[:-1] + ['--single-transaction', 'keystone'], stdout=output, check=True)

    def restore(self, name):
        client = self.harness.mariadb_command(self.dir)[:-1]
        subprocess.run(client + ['-e', 'DROP DATABASE keystone; CREATE DATABASE keystone CHARACTER SET utf8mb4'],
                       check=True)
        with (self.out / 'snapshots' / ('%s.sql' % name)).open('rb') as dump:
            subprocess.run(client + ['keystone'], stdin=dump, check=True)
        self.harness.restart(dir=self.dir)
        self.admin = base.Admin(self.env)
        for path, params in (('/users', {'name': 'warm-up'}), ('/groups', {'name': 'warm-up'}),
                             ('/projects', {'name': 'warm-up'}), ('/roles', {}), ('/domains/default', {}),
                             ('/role_assignments', {'user.id': 'warm-up'})):
            self.admin.call('GET', path, ok=(200, 404), **params)

    def teardown(self):
        if self.env and not self.args.keep_keystone:
            self.harness.stop(dir=self.dir)

    # ---- one module process, as Ansible runs it on the target --------------------------------
    def module(self, module, args):
        """(result, wall s, max RSS KiB, CPU s, access log entries) of one module process."""
        self.counter += 1
        args_file = self.work / ('%03d-%s.json' % (self.counter, module))
        args_file.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': dict(
            args, cloud=base.CLOUD, _ansible_check_mode=False, _ansible_diff=False)}))
        env = dict(self.process_env, PYTHONPATH=str(self.out / 'collections'))
        mark = self.access.mark()
        out_file = self.logs / ('%03d-%s.out' % (self.counter, module))
        started = time.monotonic()
        with out_file.open('wb') as output:
            proc = subprocess.Popen([sys.executable, '-m', MODULE + module, str(args_file)], env=env,
                                    stdout=output, stderr=subprocess.STDOUT)
            _pid, _status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        entries = self.access.entries(mark)
        text = out_file.read_text()
        try:
            result = json.loads(text[text.index('{'):])
        except ValueError:
            raise base.BenchError('%s printed no JSON: %s' % (module, text[-500:]))
        if result.get('failed'):
            raise base.BenchError('%s failed: %s' % (module, str(result.get('msg'))[:500]))
        return result, wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, entries

    def onboard_ours(self, people, parallel):
        """Our two batch steps; returns a measurement dict (summed over both processes)."""
        users = [dict((k, p[k]) for k in ('name', 'password', 'email', 'groups')) for p in people]
        assignments = [{'user': p['name'], 'role': a['role'], 'project': a['project']}
                       for p in people for a in p['assignments']]
        total = dict(wall_s=0.0, cpu_s=0.0, max_rss_mib=0.0, requests=0, writes=0, tokens=0, busy_s=0.0,
                     changed=False, load=os.getloadavg()[0])
        for module, args in (('identity_user', {'users': users, 'parallel': parallel}),
                             ('identity_role_assignment', {'assignments': assignments, 'parallel': parallel})):
            result, wall, rss, cpu, entries = self.module(module, args)
            sample = base.Sample(wall, entries)
            total['wall_s'] += wall
            total['cpu_s'] += cpu
            total['max_rss_mib'] = max(total['max_rss_mib'], rss / 1024.0)
            total['requests'] += sample.requests
            total['writes'] += sample.writes
            total['tokens'] += sample.tokens
            total['busy_s'] += sample.busy
            total['changed'] = total['changed'] or bool(result.get('changed'))
            total.setdefault('steps', []).append(dict(module=module, wall_s=round(wall, 2), max_rss_mib=round(rss / 1024.0, 1),
                                                      requests=sample.requests, writes=sample.writes,
                                                      busy_s=round(sample.busy, 2)))
        return total

    def onboard_oc(self, people, groups, projects):
        sample = self.playbook('onboard-%d openstack.cloud loops' % len(people), self.oc_onboard_tasks(),
                               {'people': people}, lambda: self.check_onboarded(groups, projects, people))
        return dict(wall_s=sample.wall, cpu_s=sample.cpu, requests=sample.requests, writes=sample.writes,
                    tokens=sample.tokens, busy_s=sample.busy, verified=sample.verified, load=os.getloadavg()[0])


PARTIAL = []  # (path, rows, writer): the results so far, rewritten after every row


def measured(label, data):
    base.log('  %-44s wall %8.2fs  busy %8.2fs  %6d requests %6d writes %4d tokens  RSS %s  load %.2f%s' % (
        label, data['wall_s'], data['busy_s'], data['requests'], data['writes'], data['tokens'],
        '%.1f MiB' % data['max_rss_mib'] if data.get('max_rss_mib') else '-', data['load'],
        '' if data.get('verified') in (None, True) else '  VERIFY FAILED: %s' % data['verified']))
    for save in PARTIAL:
        save()
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(prog='bench/run --prod', description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='1000,10000', help='people per onboarding (default 1000,10000)')
    parser.add_argument('--parallel', type=int, default=None,
                        help='parallel of the parallel rows (default: the Keystone provider default)')
    parser.add_argument('--oc-people', type=int, default=50, help='people of the openstack.cloud loops (0: none)')
    parser.add_argument('--sweep', action='store_true', help='first onboard --sweep-people with each --sweep-values')
    parser.add_argument('--sweep-people', type=int, default=200)
    parser.add_argument('--sweep-values', default='1,2,4,8')
    parser.add_argument('--no-serial', action='store_true', help='skip the serial rows')
    parser.add_argument('--rerun-sizes', default='',
                        help='people whose onboarded state is written into the database directly, then '
                             'the reruns measured (serial and parallel), e.g. 10000')
    parser.add_argument('--keep-keystone', action='store_true')
    parser.add_argument('--out', default=str(HERE / '.out' / 'prod'))
    parser.add_argument('--results', default=str(HERE / 'results'))
    parser.add_argument('--tag', default='', help='added to the results file name')
    args = parser.parse_args(argv)
    args.quick, args.runs, args.all_rows, args.oc_offboard = False, 1, False, False

    parallel = args.parallel or default_parallel()
    sizes = [int(s) for s in args.sizes.split(',') if s]
    bench = ProdBench(args)
    started = datetime.datetime.now()
    uptime_start = subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()
    rows = []
    partial = Path(args.results) / ('prod-keystone-%s-partial.json' % started.strftime('%Y-%m-%d-%H%M'))
    Path(args.results).mkdir(parents=True, exist_ok=True)
    PARTIAL.append(lambda: partial.write_text(json.dumps(dict(uptime_start=uptime_start, rows=rows), indent=2) + '\n'))
    try:
        bench.setup()
        if args.sweep:
            groups, projects, people = bench.fixtures(args.sweep_people)
            for value in [int(v) for v in args.sweep_values.split(',')]:
                bench.restore(bench.current)
                data = measured('sweep %d people parallel=%d' % (len(people), value), bench.onboard_ours(people, value))
                data['verified'] = bench.check_onboarded(groups, projects, people)
                rows.append(dict(data, size=len(people), tool='iamops batch, parallel=%d' % value, phase='sweep'))
        oc = None
        if args.oc_people:
            groups, projects, people = bench.fixtures(args.oc_people)
            oc = measured('openstack.cloud loops, %d people' % args.oc_people, bench.onboard_oc(people, groups, projects))
            rows.append(dict(oc, size=args.oc_people, tool='openstack.cloud loops', phase='onboard (measured)'))
        for size in sizes:
            groups, projects, people = bench.fixtures(size)
            if oc is not None:
                per = size / float(args.oc_people)
                rows.append(dict(size=size, tool='openstack.cloud loops', phase='onboard (extrapolated from %d people)' % args.oc_people,
                                 wall_s=oc['wall_s'] * per, busy_s=oc['busy_s'] * per, requests=int(oc['requests'] * per),
                                 writes=int(oc['writes'] * per), tokens=int(oc['tokens'] * per), load=None,
                                 extrapolated=True))
            for value, tool in ([] if args.no_serial else [(1, 'iamops batch, serial (parallel=1)')]) + \
                    [(parallel, 'iamops batch, parallel=%d' % parallel)]:
                bench.restore(bench.current)
                data = measured('%d people %s' % (size, tool), bench.onboard_ours(people, value))
                data['verified'] = bench.check_onboarded(groups, projects, people)
                rows.append(dict(data, size=size, tool=tool, phase='onboard'))
                again = measured('%d people %s rerun' % (size, tool), bench.onboard_ours(people, value))
                again['verified'] = True if not again['changed'] and again['writes'] == 0 else \
                    'rerun changed=%s writes=%d' % (again['changed'], again['writes'])
                rows.append(dict(again, size=size, tool=tool, phase='rerun (no change)'))
        for size in [int(s) for s in args.rerun_sizes.split(',') if s]:
            groups, projects, people = bench.fixtures(size)
            started_seed = time.monotonic()
            bench.seed_onboarded_sql(groups, projects, people)
            verified = bench.check_onboarded(groups, projects, people)
            base.log('  seeded %d onboarded people through SQL in %.1fs: %s' % (size, time.monotonic() - started_seed, verified))
            bench.current = 'onboarded-%d' % size
            bench.snapshot(bench.current)
            for value, tool in ([] if args.no_serial else [(1, 'iamops batch, serial (parallel=1)')]) + \
                    [(parallel, 'iamops batch, parallel=%d' % parallel)]:
                bench.restore(bench.current)
                again = measured('%d people %s rerun' % (size, tool), bench.onboard_ours(people, value))
                again['verified'] = verified if verified is not True else (
                    True if not again['changed'] and again['writes'] == 0 else
                    'rerun changed=%s writes=%d' % (again['changed'], again['writes']))
                rows.append(dict(again, size=size, tool=tool, phase='rerun (no change; state seeded through SQL)'))
    finally:
        bench.teardown()
    finished = datetime.datetime.now()
    uptime_end = subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()
    text = markdown(bench, rows, started, finished, uptime_start, uptime_end, parallel, args, argv)
    print(text)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stem = 'prod-keystone-%s%s' % (started.strftime('%Y-%m-%d-%H%M'), '-' + args.tag if args.tag else '')
    (results / (stem + '.md')).write_text(text)
    (results / (stem + '.json')).write_text(json.dumps(dict(
        started=started.isoformat(timespec='seconds'), finished=finished.isoformat(timespec='seconds'),
        uptime=[uptime_start, uptime_end], versions=bench.versions, parallel=parallel, rows=rows), indent=2) + '\n')
    base.log('wrote %s.md and .json' % (results / stem))
    partial.unlink(missing_ok=True)
    return 1 if any(r.get('verified') not in (None, True) for r in rows) else 0


def default_parallel():
    """The Keystone provider's default_parallel, read from its source (no import of the collection)."""
    text = (HERE.parent / 'plugins' / 'module_utils' / 'providers' / 'keystone' / 'intent.py').read_text()
    for line in text.splitlines():
        if line.strip().startswith('default_parallel = '):
            return int(line.split('=')[1])
    return 4


def markdown(bench, rows, started, finished, uptime_start, uptime_end, parallel, args, argv):
    v = bench.versions
    lines = ['# Production-shaped Keystone: onboarding at scale, %s' % started.strftime('%Y-%m-%d %H:%M'), '',
             'Keystone %s over MariaDB (Debian mariadb-server, PyMySQL) behind %d gunicorn workers sharing one '
             'memcached (Keystone\'s cache), on 127.0.0.1; ansible-core %s, openstack.cloud %s, iamops.identity %s; '
             '%s CPUs shared by Keystone, MariaDB and the client. Total %.0f s.' % (
                 v['keystone'], WORKERS, v['ansible-core'], v['openstack.cloud'], v['iamops.identity'], v['cpus'],
                 (finished - started).total_seconds()),
             '', 'Machine load (uptime): start `%s`; end `%s`. Command: `bench/run --prod %s`.' % (
                 uptime_start, uptime_end, ' '.join(argv or sys.argv[1:])), '',
             'A person: a user with password and e-mail, 2 group memberships, 2 project role assignments (5 writes). '
             'Ours: 2 module processes (identity_user users:, identity_role_assignment assignments:) run as on the '
             'target; wall = their sum (ansible-playbook would add ~2 s of start-up per task). Keystone busy = sum of '
             'the access log\'s request durations (worker-seconds). "wall / serial busy" divides by the serial batch\'s '
             'busy time at the same size. Max RSS: the larger module process. Load: 1-minute load average when the '
             'row started.', '']
    head = ('people', 'tool', 'phase', 'wall s', 'Keystone busy s', 'wall / busy', 'wall / serial busy', 'requests',
            'writes', 'tokens', 'client CPU s', 'max RSS MiB', 'load', 'verified')
    lines.append('| ' + ' | '.join(head) + ' |')
    lines.append('|' + '|'.join(['---'] * len(head)) + '|')
    serial_busy = dict((r['size'], r['busy_s']) for r in rows
                       if r['tool'].startswith('iamops batch, serial') and r['phase'] == 'onboard')
    for r in rows:
        sb = serial_busy.get(r['size']) if r['phase'] == 'onboard' or r['phase'].startswith('onboard (') else None
        cells = (r['size'], r['tool'], r['phase'], '%.1f' % r['wall_s'], '%.1f' % r['busy_s'],
                 '%.2f' % (r['wall_s'] / r['busy_s']) if r['busy_s'] else '',
                 '%.2f' % (r['wall_s'] / sb) if sb else '', r['requests'], r['writes'], r['tokens'],
                 '%.1f' % r['cpu_s'] if r.get('cpu_s') is not None else '',
                 '%.1f' % r['max_rss_mib'] if r.get('max_rss_mib') else '',
                 '%.2f' % r['load'] if r.get('load') is not None else '',
                 'extrapolated' if r.get('extrapolated') else ('ok' if r.get('verified') in (None, True) else
                                                               'FAILED: %s' % r['verified']))
        lines.append('| ' + ' | '.join(str(c) for c in cells) + ' |')
    steps = [r for r in rows if r.get('steps')]
    if steps:
        lines += ['', '## Per step', '']
        for r in steps:
            lines.append('- %d people, %s, %s: %s' % (r['size'], r['tool'], r['phase'], '; '.join(
                '%s %.1f s, %.1f MiB, %d requests, %d writes, busy %.1f s' % (
                    s['module'], s['wall_s'], s['max_rss_mib'], s['requests'], s['writes'], s['busy_s'])
                for s in r['steps'])))
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    sys.exit(main())
