"""The execution environment: ansible-builder reads the collection's meta/execution-environment.yml
(introspect: the Python requirements it adds to an image) and ``ansible-builder create`` writes the
build context of an execution environment that installs the collection. No container is built
(no podman or docker here): the context and its requirements are what is checked."""

import os
import shutil
import subprocess
import sys

import yaml

from .conftest import CHECKOUT, COLLECTIONS_ROOT

BUILDER = os.path.join(os.path.dirname(sys.executable), 'ansible-builder')


def requirement_names(path):
    with open(path) as handle:
        return sorted(line.split('>')[0].split('=')[0].split('<')[0].strip().lower()
                      for line in handle if line.strip() and not line.startswith('#'))


def test_ansible_builder_introspects_the_collection_and_creates_the_build_context(tmp_path):
    with open(os.path.join(CHECKOUT, 'meta', 'execution-environment.yml')) as handle:
        meta = yaml.safe_load(handle)
    assert meta['version'] == 1 and meta['dependencies']['python'] == 'requirements.txt'
    wanted = requirement_names(os.path.join(CHECKOUT, meta['dependencies']['python']))
    assert wanted == ['jmespath', 'requests']

    # what ansible-builder finds in the installed collections (the collection tree is one)
    proc = subprocess.run([BUILDER, 'introspect', '--sanitize', COLLECTIONS_ROOT], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = yaml.safe_load(proc.stdout)
    python = '\n'.join(found['python'])
    for name in wanted:
        assert name in python and 'iamops.identity' in python, proc.stdout

    # an execution environment that installs the collection: its build context
    ee = tmp_path / 'ee'
    ee.mkdir()
    source = ee / 'iamops-identity'
    shutil.copytree(CHECKOUT, str(source), ignore=shutil.ignore_patterns('.git', '.build', 'tests'))
    (ee / 'requirements.yml').write_text(yaml.safe_dump({'collections': [
        {'name': './iamops-identity', 'type': 'dir'}]}))
    (ee / 'execution-environment.yml').write_text(yaml.safe_dump({
        'version': 3,
        'images': {'base_image': {'name': 'quay.io/ansible/awx-ee:latest'}},
        'dependencies': {'galaxy': 'requirements.yml', 'python_interpreter': {'python_path': '/usr/bin/python3'},
                         'ansible_core': {'package_pip': 'ansible-core>=2.19,<2.22'},
                         'ansible_runner': {'package_pip': 'ansible-runner'}},
        'additional_build_files': [{'src': 'iamops-identity', 'dest': 'iamops-identity'}],
    }, sort_keys=False))
    context = tmp_path / 'context'
    proc = subprocess.run([BUILDER, 'create', '--file', str(ee / 'execution-environment.yml'), '--context', str(context),
                           '--output-filename', 'Containerfile'], cwd=str(ee), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / 'Containerfile').read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/ansible/awx-ee:latest"' in containerfile, containerfile
    assert 'ansible-galaxy collection install' in containerfile, containerfile   # the galaxy stage
    build = context / '_build'
    assert yaml.safe_load((build / 'requirements.yml').read_text())['collections'][0]['name'] == './iamops-identity'
    copied = build / 'iamops-identity'
    assert (copied / 'meta' / 'execution-environment.yml').read_text() == open(
        os.path.join(CHECKOUT, 'meta', 'execution-environment.yml')).read()

    # the image's galaxy stage, run here on the context (WORKDIR /build): the collection installs
    installed = tmp_path / 'usr-share-ansible'
    galaxy = os.path.join(os.path.dirname(sys.executable), 'ansible-galaxy')
    clean = dict((k, v) for k, v in os.environ.items() if not k.startswith('ANSIBLE_'))   # as in the image
    proc = subprocess.run([galaxy, 'collection', 'install', '-r', 'requirements.yml', '--collections-path', str(installed)],
                          cwd=str(build), env=clean, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (installed / 'ansible_collections' / 'iamops' / 'identity' / 'roles' / 'identity_access_report').is_dir()
    # and the builder stage's introspection finds its Python requirements there
    proc = subprocess.run([BUILDER, 'introspect', '--sanitize', str(installed)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    python = '\n'.join(yaml.safe_load(proc.stdout)['python'])
    assert all(name in python for name in wanted), proc.stdout
