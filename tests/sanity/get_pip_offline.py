"""Stand-in for pip's get-pip.py, for ansible-test on machines that reach only the package index.

ansible-test bootstraps pip into each sanity virtualenv with a get-pip.py script it downloads from
ci-files.testing.ansible.com; where only PyPI is reachable that download fails. tests/run.sh puts
this file in ansible-test's cache under the name it looks for. Like get-pip.py, it takes pip
install arguments (``pip==X setuptools==Y ...``, plus get-pip's own ``--no-setuptools`` and
``--no-wheel``), installs the pip that ships with Python (ensurepip), then lets that pip install
the requested packages from the package index.
"""

import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
# in a child process: ensurepip sets PIP_CONFIG_FILE=/dev/null in its own environment, which
# would hide the machine's pip configuration (index, certificates) from the install below
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'])
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
