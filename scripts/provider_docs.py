"""Write the "Providers:" lines of every module's documentation from the declared capabilities.

The module's description ends with "Providers: <every provider that supports the module>."; an
option that only some of those providers support ends its description with the ones that do.
tests/unit/plugins/module_utils/test_capabilities_docs.py fails when the lines and the
capabilities disagree; `python3 scripts/provider_docs.py` rewrites them (after a provider adds
or changes a capability, or after a merge).
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from provider_table import _registry  # noqa: E402  (makes the collection importable from a checkout)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r'^\s*- "Providers: [a-z_, ]+\."\n')


def _description_end(lines, start, indent):
    """Index after the last line of the description list that starts at ``start``."""
    i = start + 1
    while i < len(lines) and (lines[i].strip() == '' or len(lines[i]) - len(lines[i].lstrip()) > indent):
        i += 1
    return i


def rewrite(module, text):
    specs = _registry().SPECS
    supporting = [spec.name for spec in specs if module in spec.capabilities]
    head, doc, tail = _split(text)
    lines = [line for line in doc.splitlines(True) if not LINE.match(line)]
    out = []
    i = 0
    in_options = False
    while i < len(lines):
        line = lines[i]
        if re.match(r'^description:\s*$', line):
            end = _description_end(lines, i, 0)
            out.extend(lines[i:end])
            out.append('  - "Providers: %s."\n' % ', '.join(supporting))
            i = end
            continue
        if re.match(r'^\S', line):
            in_options = line.startswith('options:')
        match = re.match(r'^  ([a-z_]+):\s*$', line) if in_options else None
        if match:
            option = match.group(1)
            users = [spec.name for spec in specs if module in spec.capabilities
                     and option in spec.capabilities[module].options]
            out.append(line)
            i += 1
            if users and users != supporting and i < len(lines) and re.match(r'^    description:\s*$', lines[i]):
                end = _description_end(lines, i, 4)
                out.extend(lines[i:end])
                out.append('      - "Providers: %s."\n' % ', '.join(users))
                i = end
            continue
        out.append(line)
        i += 1
    return head + ''.join(out) + tail


def _split(text):
    start = text.index("DOCUMENTATION = r'''") + len("DOCUMENTATION = r'''")
    end = text.index("'''", start)
    return text[:start], text[start:end], text[end:]


def main():
    folder = os.path.join(ROOT, 'plugins', 'modules')
    for name in sorted(os.listdir(folder)):
        if name.startswith('identity_') and name.endswith('.py'):
            path = os.path.join(folder, name)
            with open(path) as handle:
                text = handle.read()
            new = rewrite(name[:-3], text)
            if new != text:
                with open(path, 'w') as handle:
                    handle.write(new)
                print('rewrote', name)


if __name__ == '__main__':
    main()
