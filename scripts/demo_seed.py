"""Seed the demo Keystone with the projects the demo people work in (no module manages projects).

Usage: python scripts/demo_seed.py <env.json of tests/keystone/keystone_server.py>
"""

import json
import sys
import urllib.request


def call(url, method='GET', body=None, token=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={'Content-Type': 'application/json'})
    if token:
        request.add_header('X-Auth-Token', token)
    with urllib.request.urlopen(request, timeout=30) as response:  # nosec - local test server
        return response.headers.get('X-Subject-Token'), json.loads(response.read() or b'{}')


def main(path):
    with open(path) as handle:
        env = json.load(handle)
    url = env['auth_url']
    token = call(url + '/auth/tokens', 'POST', {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': env['username'], 'domain': {'name': 'Default'}, 'password': env['password']}}},
        'scope': {'project': {'name': env['project_name'], 'domain': {'name': 'Default'}}}}})[0]
    for name in ('research', 'payroll'):
        found = call(url + '/projects?name=' + name, token=token)[1]
        if not found['projects']:
            call(url + '/projects', 'POST', {'project': {'name': name, 'domain_id': 'default'}}, token)
    print('seeded projects research and payroll')


if __name__ == '__main__':
    main(sys.argv[1])
