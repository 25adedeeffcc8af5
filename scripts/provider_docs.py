"""Write what the module docs say about providers from the registry and the declared capabilities.

- The module's description ends with "Providers: <every provider that supports the module>."; an
  option that only some of those providers support ends its description with the ones that do.
- Every module extends each registered provider's doc fragment (``iamops.identity.<name>``, after
  ``iamops.identity.connection``), so a new provider's connection options are documented
  everywhere without editing a module.
- The common ``connection`` fragment's ``provider`` choices, how each provider is detected, and
  which providers take ``api_url`` (with their environment variables) come from the specs, between
  the ``# generated`` markers.

tests/unit/plugins/module_utils/test_capabilities_docs.py fails when the docs and the specs
disagree; `python3 scripts/provider_docs.py` rewrites them (after a provider is added or changes a
capability, or after a merge).
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


FRAGMENT = re.compile(r'^  - iamops\.identity\.([a-z_]+)\n')


def rewrite_fragments(text):
    """The module's ``extends_documentation_fragment``: every registered provider's fragment right
    after ``iamops.identity.connection`` (in registry order), the other fragments as they were."""
    names = [spec.name for spec in _registry().SPECS]
    head, doc, tail = _split(text)
    lines = doc.splitlines(True)
    out, inside = [], False
    for line in lines:
        if re.match(r'^extends_documentation_fragment:\s*$', line):
            inside = True
        elif inside and not line.startswith('  - '):
            inside = False
        match = FRAGMENT.match(line) if inside else None
        if match and match.group(1) in names:
            continue
        out.append(line)
        if match and match.group(1) == 'connection':
            out.extend('  - iamops.identity.%s\n' % name for name in names)
    return head + ''.join(out) + tail


def _or(items):
    return items[0] if len(items) == 1 else '%s or %s' % (', '.join(items[:-1]), items[-1])


def _bullet(text, width=100):
    """``text`` as one YAML list item of a fragment's option description, wrapped at ``width``."""
    lines, line = [], '      -'
    for word in text.split():
        if len(line) + 1 + len(word) > width and line.strip() != '-':
            lines.append(line)
            line = '       '
        line = '%s %s' % (line, word)
    return '\n'.join(lines + [line]) + '\n'


def connection_text(specs):
    """The generated parts of the ``connection`` fragment, by marker name."""
    detect = '; '.join('C(%s) with %s' % (spec.name, _or(['O(%s)' % o for o in spec.detect_options]
                                                         + ['E(%s)' % e for e in spec.detect_env]))
                       for spec in specs)
    http = [spec for spec in specs if 'api_url' in spec.options]
    env = [spec.env['api_url'][0] for spec in http if spec.env.get('api_url')]
    paths = [spec.name for spec in http if spec.api_url_path]
    return {
        'provider choices': '    choices: [%s]\n' % ', '.join(spec.name for spec in specs),
        'provider detection': _bullet('When omitted, the one provider whose settings are present is used - %s. '
                                      'With the settings of none or of several, the task fails and says which.'
                                      % detect),
        'api_url providers': _bullet("Base URL of the provider's API, for the HTTP providers (%s); a path only "
                                     'for %s. Defaults to %s, by provider.'
                                     % (', '.join('C(%s)' % spec.name for spec in http),
                                        _or(['C(%s)' % name for name in paths]), _or(['E(%s)' % e for e in env]))),
    }


def rewrite_connection(text):
    """The ``connection`` fragment with its generated parts written from the specs."""
    for marker, body in connection_text(_registry().SPECS).items():
        begin = '# generated by scripts/provider_docs.py: %s\n' % marker
        start = text.index(begin) + len(begin)
        end = text.index('# end of generated: %s\n' % marker, start)
        line_start = text.rindex('\n', 0, end) + 1
        text = text[:start] + body + text[line_start:]
    return text


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
            new = rewrite_fragments(rewrite(name[:-3], text))
            if new != text:
                with open(path, 'w') as handle:
                    handle.write(new)
                print('rewrote', name)
    path = os.path.join(ROOT, 'plugins', 'doc_fragments', 'connection.py')
    with open(path) as handle:
        text = handle.read()
    new = rewrite_connection(text)
    if new != text:
        with open(path, 'w') as handle:
            handle.write(new)
        print('rewrote connection.py')


if __name__ == '__main__':
    main()
