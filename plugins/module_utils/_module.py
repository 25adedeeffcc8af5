# -*- coding: utf-8 -*-
# Copyright: (c) 2026, iamops.identity maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module frame every module of the collection runs in.

It merges the shared connection/auth argument spec (documented by the ``connection`` doc
fragment), picks and builds the provider (lazily importing only that provider's code), gives
info modules their JMESPath ``query`` option, runs check and diff mode uniformly, turns the
collection's exceptions into one ``fail_json`` message without a traceback, and keeps every
secret it learns (from options, environment, clouds.yaml or the server) out of the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import re
import unicodedata

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback, missing_required_lib

from ansible_collections.iamops.identity.plugins.module_utils import _query, _requests_lib
from ansible_collections.iamops.identity.plugins.module_utils._errors import APIError, ConfigError, IdentityError, NotFoundError
from ansible_collections.iamops.identity.plugins.module_utils import _parallel
from ansible_collections.iamops.identity.plugins.module_utils import _reconcile
from ansible_collections.iamops.identity.plugins.module_utils.providers import _registry, _spec

ACTION_GROUP = 'group/iamops.identity.identity'

# Free-form dictionaries of user attributes: a value under a secret-looking key is kept out of every
# output (AnsibleModule echoes the arguments back), wherever the task put it.
ATTRIBUTE_DICTS = ('extra', 'custom_attributes')
SECRET_KEY = re.compile(r'pass|secret|token|credential|private|api_?key|access_?key', re.IGNORECASE)

# String options where an empty string means something: the frame's own (an info module's
# ``query``), and those the selected provider's spec lists (``ProviderSpec.clearable``: clear the
# attribute); anywhere else an empty string is refused, never taken as "not given" (``domain: ''``
# must not mean the default domain).
CLEARABLE = frozenset(('query',))


def connection_argument_spec():
    """Options every module has: the common ones (``connection`` doc fragment) and each
    provider's connection options (its own fragment), from the registry."""
    spec = dict(
        provider=dict(type='str', choices=list(_registry.NAMES),
                      fallback=(env_fallback, ['IAMOPS_IDENTITY_PROVIDER'])),
        validate_certs=dict(type='bool', aliases=['verify']),
        ca_path=dict(type='path', aliases=['cacert']),
        timeout=dict(type='float', default=30.0),
    )
    spec.update(_registry.connection_options())
    return spec


def with_choices(argument_spec, choices, batch_option=None):
    """``argument_spec`` with the ``choices`` the providers declare for its options (top level,
    and in the items of ``batch_option``)."""
    merged = dict(argument_spec)
    for option, values in choices.items():
        if option in merged:
            merged[option] = dict(merged[option], choices=list(values))
    if batch_option and merged.get(batch_option, {}).get('options'):
        merged[batch_option] = dict(merged[batch_option], options=with_choices(merged[batch_option]['options'], choices))
    return merged


def _options_of(rule):
    if isinstance(rule, dict):
        return set(rule)
    if len(rule) >= 3 and isinstance(rule[2], (list, tuple)):  # required_if: (option, value, [options])
        return set([rule[0]]) | set(rule[2])
    return set(rule)


def with_rules(kwargs, rules, options):
    """``kwargs`` (AnsibleModule's, or a list option's definition) with the providers' ``rules``
    whose options are all in ``options``, after the module's own."""
    merged = dict(kwargs)
    for kind in ('mutually_exclusive', 'required_if'):
        extra = [rule for rule in rules.get(kind, ()) if _options_of(rule) <= set(options)]
        if extra:
            merged[kind] = list(merged.get(kind) or []) + [r for r in extra if r not in (merged.get(kind) or [])]
    needed = dict((k, v) for k, v in rules.get('required_by', {}).items()
                  if _options_of([k] + ([v] if isinstance(v, str) else list(v))) <= set(options))
    if needed:
        merged['required_by'] = dict(needed, **(merged.get('required_by') or {}))
    return merged


def _check_strings(spec, raw, where, clearable=CLEARABLE):
    """Refuse what AnsibleModule would quietly turn into a string or take as "not given": a
    dictionary or list given to a string option (it would send its Python text), and an empty
    string outside ``clearable``. ``raw`` are the arguments as the task gave them."""
    if not isinstance(raw, dict):
        return
    for option, definition in spec.items():
        names = [option] + list(definition.get('aliases') or ())
        given = [raw[n] for n in names if n in raw]
        if not given or given[0] is None:
            continue
        value = given[0]
        label = '%s.%s' % (where, option) if where else option
        kind = definition.get('type', 'str')
        if kind in ('str', 'path'):
            if isinstance(value, (dict, list)):
                raise ConfigError('%s: expected a string, got a %s' % (label, 'dictionary' if isinstance(value, dict) else 'list'))
            if isinstance(value, str) and value == '' and option not in clearable:
                raise ConfigError('%s: an empty string is not a value: leave the option out instead' % label)
        elif definition.get('options'):
            if kind == 'dict':
                _check_strings(definition['options'], value, label, clearable)
            elif kind == 'list' and isinstance(value, list):
                for index, item in enumerate(value):
                    _check_strings(definition['options'], item, '%s[%d]' % (label, index), clearable)


def absent_rename_msg(where=''):
    return '%snew_name is given with state=absent: rename with state=present, delete by the current name' % where


class Task:
    """What one object's reconcile needs: its params, the shared provider, its own result.

    The single form runs one Task with the module's params; the batch form runs one Task per
    list item (params = the module's top-level options overlaid with the item's), all sharing
    one provider, so one token and one name cache serve the whole batch.
    """

    def __init__(self, frame, params, label=None):
        self.frame = frame
        self.params = params
        self.label = label
        self.result = {'changed': False}
        self.diff = {'before': {}, 'after': {}}
        self.secret_result = False  # the result returns a secret by design (a generated password)

    @property
    def provider(self):
        return self.frame.provider

    @property
    def check_mode(self):
        return self.frame.check_mode

    def warn(self, msg):
        self.frame.module.warn(msg)

    def changed(self, value=True):
        self.result['changed'] = self.result['changed'] or bool(value)

    def add_diff(self, diff, key=None):
        """Accumulate a before/after diff (under ``key`` when one task touches several objects)."""
        if not diff or (not diff['before'] and not diff['after']):
            return
        if key is None:
            self.diff['before'].update(diff['before'])
            self.diff['after'].update(diff['after'])
        else:
            self.diff['before'][key] = diff['before']
            self.diff['after'][key] = diff['after']

    def query(self, data):
        """Apply the info module's ``query`` (JMESPath) to ``data`` when one was given."""
        expression = self.params.get('query')
        if expression:
            self.result['query_result'] = _query.jmespath_search(expression, data)

    def create_safely(self, create, lookup, what, adopt=None):
        """Create once; when the outcome is unknown or the server says it exists, look it up.

        POST is never retried blindly by the client. Two cases end in a lookup instead of a
        failure: the create's answer was lost (``outcome_unknown``: a timeout, a dropped
        connection, a 5xx) and the object is there now - taken as created; or the server answered
        409 or what the provider marks as ``conflict`` (its own way of saying "exists"), which means
        another run created it meanwhile (two onboarding runs racing) - then
        ``adopt(found)`` reconciles the found object with what the task wants (an update where
        they differ) and its result is returned. Only a missing object re-raises the error; after
        an unknown outcome that means nothing was made, so the write no longer counts as a change
        (the task fails with ``changed: false``).
        """
        try:
            return create()
        except APIError as exc:
            raced = exc.status == 409 or getattr(exc, 'conflict', False)
            if not (exc.outcome_unknown or raced):  # refused, or answered: nothing to look up
                raise
            found = lookup()
            if found is None:
                if not raced:  # looked up and not there: nothing was made, and the result says so
                    client = getattr(self.provider, 'client', None)
                    if client is not None and hasattr(client, 'not_done'):
                        client.not_done(exc)
                raise
            if raced:
                self.warn('%s %s was created by someone else meanwhile (%s): reconciled with it instead'
                          % (exc.provider, what, exc))
                return adopt(found) if adopt is not None else found
            self.warn('%s: the create of %s answered "%s" but %s exists now; taken as created'
                      % (exc.provider, what, exc, what))
            return found

    def find_renamed(self, find, kind):
        """``(current, name)`` of a task that may rename (``new_name``): the object ``find(name)``
        answers and the name it goes by.

        Without ``new_name``: ``find(name)``. With it, both names are looked up before any write:
        ``name`` found is the object to rename (``new_name`` found as the same object - a case-only
        rename on a server that ignores case - is that object too); ``name`` missing and
        ``new_name`` found is taken as renamed by an earlier run; neither found, or both found as
        two objects, is refused.
        """
        name, new_name = self.params['name'], self.params.get('new_name')
        if new_name and self.params.get('state') == 'absent':
            raise ConfigError(absent_rename_msg())
        current = find(name)
        if not new_name:
            return current, name
        target = find(new_name)
        if current is None and target is None:
            raise NotFoundError('%s %r not found, so it cannot be renamed to %r' % (kind, name, new_name),
                                self.provider.name)
        if current is None:
            return target, new_name  # renamed by an earlier run
        if target is not None and target.get('id') != current.get('id'):
            raise ConfigError('cannot rename %s %r to %r: another %s is called %r already (ID %s)'
                              % (kind, name, new_name, kind, target.get('name'), target.get('id')), self.provider.name)
        return current, name

    def reconcile(self, current, desired, state, secrets=None, always_send=(), keys=None, key=None):
        """Plan one object with :func:`_reconcile.plan_state`; record changed and diff.

        ``current`` is the server's full common-model object or None; ``keys`` the fields shown
        (default: those of ``desired``). Returns ``(action, payload)``; the caller performs it
        unless in check mode.
        """
        keys = list(keys or desired.keys())
        view = _reconcile.project(current, keys) if current is not None else None
        action, payload, diff = _reconcile.plan_state(view, desired, state, secrets, always_send)
        if action:
            self.changed()
        self.add_diff(diff, key)
        return action, payload


class IdentityModule:
    """An ``AnsibleModule`` with the collection's connection options, provider and result rules.

    ``name`` is the module's name (``identity_user``): the selected provider's capabilities for
    it are checked, with every option the task sets (and every item of ``batch_option``), before
    the provider is even built - so an unsupported module, option or state never sends a request.
    """

    def __init__(self, name, argument_spec, info=False, batch_option=None, names=(), supports_check_mode=True,
                 no_log_sentinels=(), **kwargs):
        argument_spec = with_choices(argument_spec, _registry.option_choices(name), batch_option)
        kwargs = with_rules(kwargs, _registry.option_rules(name), argument_spec)
        if batch_option and argument_spec.get(batch_option, {}).get('options'):
            argument_spec = dict(argument_spec)
            argument_spec[batch_option] = with_rules(argument_spec[batch_option], _registry.option_rules(name, True),
                                                     argument_spec[batch_option]['options'])
        spec = connection_argument_spec()
        spec.update(argument_spec)
        if info:
            spec['query'] = dict(type='str')
        self.name = name
        self.info = info
        self.batch_option = batch_option
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode,
                                    **kwargs)
        if _requests_lib.REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('requests'),
                                  exception=_requests_lib.REQUESTS_IMPORT_ERROR)
        if info and self.params.get('query') and _query.JMESPATH_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('jmespath'),
                                  exception=_query.JMESPATH_IMPORT_ERROR)
        if info and self.params.get('query'):
            try:  # a syntax error fails the task before any request
                _query.validate_query(self.params['query'])
            except IdentityError as exc:
                self.module.fail_json(msg=str(exc))
        self._provider = None
        self._drop_sentinels(no_log_sentinels)
        self._hide_attribute_secrets()
        try:
            selected = _registry.select(self.params, os.environ)
            _check_strings(spec, _load_params(), None, CLEARABLE | selected.clearable.get(name, frozenset()))
            if (self.params.get('timeout') or 0) <= 0:
                raise ConfigError('timeout: %r is not a number of seconds above 0' % self.params.get('timeout'))
            self._check_names(names)
            self.spec = self._select(selected, argument_spec)
        except IdentityError as exc:
            self.module.fail_json(msg=str(exc))

    def _drop_sentinels(self, sentinels):
        """Forget, as no_log values, the option values that ask for something rather than being a
        secret (``password: generate``): Ansible would otherwise mask that word wherever it occurs in
        the result, in every message and in the provider client's texts."""
        for value in sentinels:
            self.module.no_log_values.discard(value)

    def _hide_attribute_secrets(self):
        """Register, as no_log values, the values of secret-looking keys in attribute dicts
        (``extra: {password: ...}``), at top level and in every batch item."""
        places = [self.params] + [item for item in (self.params.get(self.batch_option) or [])
                                  if isinstance(item, dict)] if self.batch_option else [self.params]
        for params in places:
            for option in ATTRIBUTE_DICTS:
                for key, value in (params.get(option) or {}).items():
                    if SECRET_KEY.search(str(key)) and isinstance(value, (str, int)) and str(value):
                        self.module.no_log_values.add(str(value))

    def _check_names(self, options):
        """Refuse, before any request, names the server would change: a server that trims leading
        and trailing spaces would never match a padded name with what it created (409 on every run).
        ``options`` are the options holding names (a string, or a list of names or of
        ``{name, domain}``), checked at top level and in every batch item."""
        places = [(None, self.params)]
        if self.batch_option and self.params.get(self.batch_option):
            places += [('%s[%d]' % (self.batch_option, i), item) for i, item in enumerate(self.params[self.batch_option])]
        for where, params in places:
            for option in options:
                values = params.get(option)
                values = values if isinstance(values, list) else [values]
                for value in values:
                    value = value.get('name') if isinstance(value, dict) else value
                    if not isinstance(value, str):
                        continue
                    problem = None
                    if not value.strip():
                        problem = 'is empty'
                    elif value != value.strip():
                        problem = ('has leading or trailing spaces, which the identity system would trim: '
                                   'give the name without them')
                    elif any(unicodedata.category(c) in ('Cc', 'Cf') for c in value):
                        problem = 'holds control or invisible formatting characters'
                    if problem:
                        raise ConfigError('%s%s: %r %s' % (where + ': ' if where else '', option, value, problem))

    def _select(self, selected, argument_spec):
        """With the provider picked, refuse other providers' options, fill env fallbacks, check capabilities."""
        _spec.foreign_options(selected, _registry.SPECS, self.params)
        selected.apply_env(self.params, os.environ)
        for option, ospec in selected.options.items():  # a secret taken from the environment is
            value = self.params.get(option)              # hidden like one given (invocation, msg)
            if ospec.get('no_log') and isinstance(value, str) and value:
                self.module.no_log_values.add(value)
        own = dict((k, v) for k, v in self.params.items() if k in argument_spec)
        defaults = dict((k, v.get('default')) for k, v in argument_spec.items())
        item_defaults = {}
        if self.batch_option:
            item_options = argument_spec[self.batch_option].get('options') or {}
            item_defaults = dict((k, v.get('default')) for k, v in item_options.items())
        selected.check(self.name, own, defaults, self.batch_option, item_defaults)
        return selected

    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def provider(self):
        """The provider instance, built on first use (after argument and capability checks)."""
        if self._provider is None:
            cls = _registry.provider_class(self.spec.name)
            provider = cls(self.params, warn=self.module.warn, no_log_values=self.module.no_log_values)
            provider.spec = self.spec
            provider.check_task(self.name, self.params, self.batch_option)  # before its first request
            self._provider = provider
        return self._provider

    def writes(self):
        """Writes of this run that changed, or may have changed, something: every write request
        sent but those the server refused with a 4xx (0 before the provider exists)."""
        if self._provider is None:
            return 0
        changes = getattr(self._provider.client, 'changes', None)
        return changes if changes is not None else (self._provider.stats.get('writes') or 0)

    def _scrub(self, text):
        if self._provider is not None and self._provider.client is not None:
            return self._provider.client.scrub(text)
        return text

    def _report(self):
        """What the provider adds to every result (nothing before it exists)."""
        return self._provider.report() if self._provider is not None else {}

    def _error_fields(self, exc):
        fields = {'msg': self._scrub(str(exc))}
        if isinstance(exc, APIError):
            fields.update(status=exc.status, method=exc.method, path=exc.path)
        return fields

    def run(self, func):
        """Single form: run ``func(task)`` on the module's params, exit or fail cleanly.

        A failure after some write reports ``changed: true`` (what was written stays written).
        """
        task = Task(self, self.params)
        try:
            func(task)
        except IdentityError as exc:
            self.module.fail_json(changed=self.writes() > 0, **dict(self._report(), **self._error_fields(exc)))
        result = dict(self._report(), **task.result)
        if self.module._diff and not self.info:
            result['diff'] = task.diff
        self.module.exit_json(**result)

    def _refuse_same_container(self, tasks, items_option, label_keys):
        """Two items about one object whose container is named differently (by name and by ID, or
        omitted and named as the default one) are refused too, once the provider says which
        container each names (``domain_key``: reads only, before any write)."""
        seen = {}
        try:
            for index, task in enumerate(tasks):
                params = task.params
                key = tuple(self.provider.domain_key(params.get(k)) if k == 'domain' else params.get(k)
                            for k in label_keys)
                if key in seen:
                    self.module.fail_json(msg='%s[%d] and %s[%d] are about the same object (%s and %s): give each '
                                              'object once' % (items_option, seen[key][0], items_option, index,
                                                               seen[key][1], task.label))
                seen[key] = (index, task.label)
        except IdentityError as exc:
            self.module.fail_json(**self._error_fields(exc))

    def run_batch(self, func, items_option, label_keys=('name',), prepare=None, identity=None):
        """Batch form: one Task per item of ``items_option``, like a loop in one process.

        Each item's params are the module's top-level options overlaid with the item's own
        (so top-level values are defaults for every item). Before any request, two items about the
        same object (same ``identity(params)``, default the ``label_keys`` values, ``name``
        case-folded where the provider ignores case) are refused,
        and an empty list is a no-op. ``prepare(tasks)`` may prefetch what the batch needs in one
        listing. Returns per-item ``results`` (each with ``changed`` and, in diff mode, its
        ``diff``) and a ``diff`` list; an item's failure does not stop the others (its ``changed``
        tells whether it wrote anything before failing), and fails the module at the end naming
        each failed item. Once an item fails because the server stopped answering (after the
        client's retries), the remaining items are not attempted (``skipped``) and the message
        says which items were done and which were not attempted.

        With the ``parallel`` option (or the provider's ``default_parallel``) above 1, up to that
        many items run at once after ``prepare`` (see :mod:`_parallel`); results, diffs and
        failures are collected in item order, as in the serial run.
        """
        tasks = self._batch_tasks(items_option, label_keys, identity)
        self._refuse_renames(tasks, items_option)
        if not tasks:
            self.module.exit_json(changed=False, results=[], **({'diff': []} if self.module._diff else {}))
        if 'domain' in label_keys:
            self._refuse_same_container(tasks, items_option, label_keys)
        try:
            self.provider.batch = tuple(task.params for task in tasks)  # what providers read of the task
            if prepare is not None:
                prepare(tasks)
        except IdentityError as exc:
            self.module.fail_json(**dict(self._report(), **self._error_fields(exc)))
        down = []  # the failure that showed the server stopped answering
        outcomes = self._run_tasks(func, tasks, down)
        results, diffs, failures = self._batch_results(tasks, self.params[items_option], outcomes)
        self._exit_batch(tasks, results, diffs, failures, down[0] if down else None)

    def _batch_tasks(self, items_option, label_keys, identity):
        """One Task per item (the top-level options overlaid with the item's); two items about the
        same object are refused before any request."""
        base = dict((k, v) for k, v in self.params.items() if k != items_option)
        tasks = []
        seen = {}
        for index, item in enumerate(self.params[items_option]):
            params = dict(base)
            params.update((k, v) for k, v in item.items() if v is not None)
            label = ', '.join('%s=%s' % (k, params[k]) for k in label_keys if params.get(k) is not None)
            key = identity(params) if identity else tuple(
                self.spec.name_key(params.get(k)) if k == 'name' else params.get(k) for k in label_keys)
            if key in seen:
                self.module.fail_json(msg='%s[%d] and %s[%d] are about the same object (%s): give each '
                                          'object once' % (items_option, seen[key], items_option, index, label))
            seen[key] = index
            tasks.append(Task(self, params, label))
        return tasks

    def _refuse_renames(self, tasks, items_option):
        """Before any request: an item's ``new_name`` that another item also names (as its
        ``new_name`` or its ``name``, in the same domain as given) is refused - which item wins
        would depend on their order."""
        names = {}
        for index, task in enumerate(tasks):
            for option in ('name', 'new_name'):
                value = task.params.get(option)
                if value is None:
                    continue
                key = (task.params.get('domain'), self.spec.name_key(value))
                if key in names and names[key][0] != index:
                    other, other_option = names[key]
                    self.module.fail_json(msg='%s[%d] %s and %s[%d] %s both name %r: a rename needs a name no other '
                                              'item uses' % (items_option, other, other_option, items_option, index,
                                                             option, value))
                names.setdefault(key, (index, option))
        for index, task in enumerate(tasks):
            if task.params.get('new_name') and task.params.get('state') == 'absent':
                self.module.fail_json(msg=absent_rename_msg('%s[%d]: ' % (items_option, index)))

    def _run_tasks(self, func, tasks, down):
        """Run ``func`` on each task, serially or in parallel; an item's failure is its result.
        ``down`` gets the failure that shows the server stopped answering (the rest are skipped)."""
        workers = _parallel.effective(self.params.get('parallel'), self.provider)
        client = self.provider.client if workers > 1 else None

        def attempt(task):
            # parallel: this thread's writes only (several items' writes are in flight at once)
            writes = client.thread_changes if client is not None else self.writes
            before = writes()
            try:
                func(task)
            except IdentityError as exc:
                task.result.update(self._error_fields(exc))
                task.result['failed'] = True
                task.result['changed'] = writes() > before
                if isinstance(exc, APIError) and exc.status is None and exc.transient:
                    # the client already retried with backoff: every further item would wait
                    # through its own retries against a server that is down
                    down.append(exc)

        if client is None:
            return _parallel.run(tasks, attempt, 1, None, stop=lambda: bool(down))
        # each item's warnings (the module's and the provider's) kept, then given in item order
        ordered = _parallel.OrderedWarnings(self.module.warn)
        provider_warn, self.module.warn, self.provider._warn = self.provider._warn, ordered, ordered
        try:
            return _parallel.run(tasks, attempt, workers, client, stop=lambda: bool(down), warnings=ordered)
        finally:
            del self.module.warn  # the class's method again
            self.provider._warn = provider_warn
            ordered.flush()

    def _batch_results(self, tasks, items, outcomes):
        """``(results, diffs, failures)``: per item its result (or ``skipped``), the diffs of the
        items that change, and a line per failed item."""
        results, diffs, failures = [], [], []
        for task, item, outcome in zip(tasks, items, outcomes):
            if outcome is _parallel.SKIPPED:
                results.append({'changed': False, 'skipped': True, 'item': item,
                                'msg': 'not attempted: the server stopped answering'})
                continue
            if outcome[1] is not None:
                raise outcome[1]  # not an IdentityError: a bug, as in the serial run
            if task.result.get('failed'):
                failures.append('%s: %s' % (task.label, task.result['msg']))
            entry = dict(task.result, item=item)
            if task.secret_result:
                # a no_log task's censored result keeps a module's "results" list and censors only
                # the entries marked so (ansible-core's TaskResult): without it, Ansible would
                # print this entry's secret although the task sets no_log
                entry['_ansible_no_log'] = True
            if self.module._diff:
                diff = dict(task.diff, before_header=task.label, after_header=task.label)
                entry['diff'] = task.diff
                if task.diff['before'] or task.diff['after']:
                    diffs.append(diff)
            results.append(entry)
        return results, diffs, failures

    def _exit_batch(self, tasks, results, diffs, failures, down):
        """Exit with the batch's result, or fail naming each failed item (and, when the server
        stopped answering, which items were done and which not attempted)."""
        result = dict(self._report(), changed=any(r['changed'] for r in results), results=results)
        if self.module._diff:
            result['diff'] = diffs
        if failures:
            result['msg'] = '%d of %d items failed: %s' % (len(failures), len(tasks), '; '.join(failures))
            if down is not None:
                done = [t.label for t, r in zip(tasks, results) if not r.get('failed') and not r.get('skipped')]
                skipped = [t.label for t, r in zip(tasks, results) if r.get('skipped')]
                result['msg'] += ('. Stopped: the server stopped answering; done before (%d): %s; not attempted '
                                  '(%d): %s' % (len(done), '; '.join(done) or 'nothing', len(skipped), '; '.join(skipped)))
            self.module.fail_json(**result)
        self.module.exit_json(**result)
