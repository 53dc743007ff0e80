"""The plugin host: discovers plugins through entry points, validates them, and calls
their hooks, leaving out the plugins an administrator has disabled.

Every installed plugin stays registered with pluggy for the life of the process; the
set of enabled plugins lives in the database and is read once per request, so every
worker process agrees without a restart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from flask import Blueprint, Flask, abort, current_app, g, has_app_context, request
from sqlalchemy import select

from portal import hookspecs
from portal.activity import record
from portal.api_version import API_VERSION, incompatibility, parse_api_version
from portal.audits.definition import AuditProcess, problems_with
from portal.extensions import db
from portal.hookspecs import PluginInfo
from portal.models.cases import CaseType
from portal.models.system import PluginState
from portal.timeutil import utcnow

ENTRY_POINT_GROUP = "portal.plugins"
#: The folder of the plugins shipped with the portal (``plugins/`` of this repository).
SHIPPED_FOLDER = Path(__file__).resolve().parent.parent / "plugins"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
#: The longest key a run-time process may have (the ``process_key`` columns are String(40)).
RUNTIME_KEY_MAX = 40
#: The part of a run-time process's key after the plugin's key and the dot.
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
#: Where the run-time processes read in a request are kept, in ``flask.g``.
RUNTIME_CACHE = "_runtime_processes"


def plugin_key_of(process_key: str) -> str:
    """The key of the plugin an audit process belongs to: the part of *process_key* before
    the first dot (``myplugin.dip_sample`` -> ``myplugin``), or the whole key of a
    coded process (``myaudit``)."""
    return process_key.partition(".")[0]


def process_problems(process: object, plugin_key: str) -> list[str]:
    """Everything wrong with a run-time process of the plugin *plugin_key*; empty when sound.

    A plugin calls it before it publishes a process from its own tables (and the host
    again each time it reads them): the key is ``<plugin_key>.<slug>``, the slug a
    lower-case letter then lower-case letters, digits or underscores, the whole key at most
    :data:`RUNTIME_KEY_MAX` characters; and the process passes every check a coded process
    passes at start-up (sections, questions, grades, rules, due rule, case types).
    """
    if not isinstance(process, AuditProcess):
        return [f"a run-time process must be an AuditProcess, not {type(process).__name__}"]
    problems = []
    key = process.key if isinstance(process.key, str) else repr(process.key)
    prefix, dot, slug = key.partition(".")
    if prefix != plugin_key or not dot:
        problems.append(f"the key {key!r} must be {plugin_key}. followed by a name")
    elif not SLUG_PATTERN.match(slug):
        problems.append(
            f"the key {key!r} must end in a lower-case letter followed by lower-case "
            "letters, digits or underscores"
        )
    if len(key) > RUNTIME_KEY_MAX:
        problems.append(f"the key {key!r} is longer than {RUNTIME_KEY_MAX} characters")
    case_types = {case_type.value for case_type in CaseType}
    return problems + problems_with(process, process.key, case_types)


def forget_processes() -> None:
    """Forget the run-time processes read in this request, so that one a plugin has just
    published (or retired) is seen at once; they are read again when next needed."""
    if has_app_context():
        g.pop(RUNTIME_CACHE, None)


class PluginError(RuntimeError):
    """A plugin that cannot be loaded or breaks the rules; the message names the plugin."""


@dataclass(frozen=True)
class InstalledPlugin:
    """A discovered, validated plugin and what it implements."""

    key: str
    info: PluginInfo
    module: ModuleType
    package_dir: Path
    hooks: tuple[str, ...]
    process: AuditProcess | None = None

    @property
    def shipped(self) -> bool:
        """True for a plugin shipped in the portal's own ``plugins/`` folder; False for one
        installed from outside (with pip, say)."""
        return self.package_dir.resolve().parent == SHIPPED_FOLDER

    @property
    def template_folder(self) -> Path | None:
        """The plugin's ``templates`` folder, found by convention, if it has one."""
        folder = self.package_dir / "templates"
        return folder if folder.is_dir() else None


@dataclass(frozen=True)
class RefusedPlugin:
    """An installed plugin the portal would not load, and why (shown to administrators)."""

    key: str
    name: str
    version: str
    reason: str

    @property
    def message(self) -> str:
        """One sentence naming the plugin and the reason."""
        return f"{self.name} ({self.key} {self.version}) was not loaded: {self.reason}."


def _package_of(module: ModuleType) -> tuple[str, Path]:
    """The dotted name and folder of the package a plugin module lives in."""
    file = getattr(module, "__file__", None)
    if hasattr(module, "__path__"):
        return module.__name__, Path(file or next(iter(module.__path__))).parent
    return module.__name__.rpartition(".")[0], Path(file).parent if file else Path()


class PluginHost:
    """Holds the pluggy manager and the installed plugins of one application."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager("portal")
        self.manager.add_hookspecs(hookspecs)
        self.installed: dict[str, InstalledPlugin] = {}
        #: Plugins written for an API this portal does not have, left out, by key.
        self.refused: dict[str, RefusedPlugin] = {}

    def discover(self, found: list[EntryPoint] | None = None) -> None:
        """Load and validate every plugin of the ``portal.plugins`` entry-point group."""
        for entry_point in found if found is not None else entry_points(group=ENTRY_POINT_GROUP):
            try:
                module = entry_point.load()
            except ImportError as error:
                if error.name != "portal.plugin_api":
                    raise PluginError(
                        f"plugin {entry_point.name!r}: cannot load {entry_point.value!r}: {error}"
                    ) from error
                self._refuse_import(entry_point, error)
                continue
            except Exception as error:
                raise PluginError(
                    f"plugin {entry_point.name!r}: cannot load {entry_point.value!r}: {error}"
                ) from error
            self.add(entry_point.name, module)

    def _refuse_import(self, entry_point: EntryPoint, error: ImportError) -> None:
        """Leave out a plugin that imports a name the plugin API does not have (one made
        for a later version of the API, most likely)."""
        distribution = entry_point.dist
        missing = re.search(r"cannot import name '(\w+)'", str(error))
        self.refused[entry_point.name] = RefusedPlugin(
            key=entry_point.name,
            name=distribution.name if distribution else entry_point.name,
            version=distribution.version if distribution else "",
            reason=(
                f"it imports {missing[1] if missing else 'a name'} from portal.plugin_api, which "
                f"version {API_VERSION[0]}.{API_VERSION[1]} of the API does not have; "
                "upgrade the portal, or install a version of the plugin made for this API"
            ),
        )

    def add(self, key: str, module: ModuleType) -> InstalledPlugin | None:
        """Register *module* as the plugin *key* after checking the one-key-everywhere rule.

        A plugin whose ``requires_api`` this portal's API cannot meet is not loaded: it is
        kept in :attr:`refused` with the reason, and None is returned.
        """
        if not KEY_PATTERN.match(key):
            raise PluginError(
                f"plugin {key!r}: a key is 2 to 40 lower-case letters, digits or underscores"
            )
        if key in self.installed:
            raise PluginError(f"plugin {key!r}: two plugins are installed with this key")
        package_name, package_dir = _package_of(module)
        if package_name.rpartition(".")[2] != key:
            raise PluginError(
                f"plugin {key!r}: its package is {package_name!r}; the package must be named "
                f"after the key"
            )
        try:
            self.manager.register(module, name=key)
        except (ValueError, pluggy.PluginValidationError) as error:
            raise PluginError(f"plugin {key!r}: {error}") from error
        info = self._plugin_info(key, module)
        required = parse_api_version(info.requires_api)
        reason = incompatibility(required) if required is not None else None
        if reason is not None:  # before its hooks are checked: a later API may add hooks
            self.manager.unregister(module)
            self.refused[key] = RefusedPlugin(key, info.name, info.version, reason)
            return None
        try:
            self.manager.check_pending()  # a misspelt hook name fails here, loudly
        except pluggy.PluginValidationError as error:
            self.manager.unregister(module)
            raise PluginError(f"plugin {key!r}: {error}") from error
        callers = self.manager.get_hookcallers(module) or []
        plugin = InstalledPlugin(
            key=key,
            info=info,
            module=module,
            package_dir=package_dir,
            hooks=tuple(sorted(caller.name for caller in callers)),
            process=self._audit_process(key, module),
        )
        self._check_templates(plugin)
        self.installed[key] = plugin
        return plugin

    def _plugin_info(self, key: str, module: ModuleType) -> PluginInfo:
        info = self._own_result(module, "portal_plugin_info")
        if info is None:
            self.manager.unregister(module)
            raise PluginError(f"plugin {key!r}: it must implement portal_plugin_info")
        problems = []
        if not isinstance(info, PluginInfo):
            problems.append(f"portal_plugin_info returned {type(info).__name__}, not PluginInfo")
        else:
            if info.key != key:
                problems.append(f"portal_plugin_info gives the key {info.key!r}")
            problems.extend(
                f"portal_plugin_info has an empty {field}"
                for field in ("name", "version", "description")
                if not isinstance(getattr(info, field), str) or not getattr(info, field).strip()
            )
            if info.requires_api is not None and parse_api_version(info.requires_api) is None:
                problems.append(
                    f"portal_plugin_info has requires_api {info.requires_api!r}; give it as "
                    '"1.1" or (1, 1)'
                )
        if problems:
            self.manager.unregister(module)
            raise PluginError(f"plugin {key!r}: " + "; ".join(problems))
        return info

    def _own_result(self, module: ModuleType, hook_name: str) -> object | None:
        """Call *module*'s own implementation of *hook_name* (no arguments), if it has one."""
        for implementation in getattr(self.manager.hook, hook_name).get_hookimpls():
            if implementation.plugin is module:
                return _caller(implementation)()
        return None

    def _audit_process(self, key: str, module: ModuleType) -> AuditProcess | None:
        process = self._own_result(module, "portal_audit_process")
        if process is None:
            return None
        problems = problems_with(process, key, {case_type.value for case_type in CaseType})
        if problems:
            self.manager.unregister(module)
            raise PluginError(f"plugin {key!r}: " + "; ".join(problems))
        return process

    @staticmethod
    def _check_templates(plugin: InstalledPlugin) -> None:
        folder = plugin.template_folder
        if folder is None:
            return
        strays = sorted(entry.name for entry in folder.iterdir() if entry.name != plugin.key)
        if strays:
            raise PluginError(
                f"plugin {plugin.key!r}: templates must sit in templates/{plugin.key}/, "
                f"found {', '.join(strays)}"
            )

    def check_tables(self, tables: list[tuple[str, str]]) -> None:
        """Refuse a plugin whose tables are not prefixed with its key.

        *tables* lists ``(module name, table name)`` for every mapped class.
        """
        for module_name, table in tables:
            for plugin in self.installed.values():
                package = _package_of(plugin.module)[0]
                if module_name.startswith(package + ".") and not table.startswith(plugin.key + "_"):
                    raise PluginError(
                        f"plugin {plugin.key!r}: table {table!r} must start with {plugin.key}_"
                    )

    # Enabled state -------------------------------------------------------------------

    def enabled_keys(self) -> frozenset[str]:
        """The keys of the installed plugins that are enabled, read once per request."""
        cached = g.get("_enabled_plugins") if has_app_context() else None
        if cached is not None:
            return cached
        rows = db.session.scalars(select(PluginState.key).where(PluginState.enabled)).all()
        enabled = frozenset(key for key in rows if key in self.installed)
        if has_app_context():
            g._enabled_plugins = enabled
        return enabled

    def is_enabled(self, key: str) -> bool:
        """True when the plugin *key* is installed and enabled; for a run-time process's key
        (``myplugin.dip_sample``), when its plugin is."""
        return plugin_key_of(key) in self.enabled_keys()

    def set_enabled(self, key: str, enabled: bool, actor_id: int | None) -> bool:
        """Enable or disable the plugin *key*; return True when its state changed.

        The change is written to the activity history; the caller commits. Raises
        ``KeyError`` for a key that no installed plugin has. Disabling keeps every
        record the plugin made.
        """
        if key not in self.installed:
            raise KeyError(key)
        state = db.session.get(PluginState, key) or PluginState(key=key, enabled=False)
        changed = state.enabled != enabled
        if changed:
            state.enabled = enabled
            state.changed_at = utcnow()
            state.changed_by_id = actor_id
            db.session.add(state)
            record(
                "enabled" if enabled else "disabled",
                "plugin",
                key,
                actor_id=actor_id,
                summary=f"{self.installed[key].info.name} {'enabled' if enabled else 'disabled'}",
                before={"enabled": not enabled},
                after={"enabled": enabled},
            )
            if has_app_context():
                g.pop("_enabled_plugins", None)
        return changed

    # Audit processes -----------------------------------------------------------------

    def runtime_processes(self) -> dict[str, AuditProcess]:
        """The run-time processes of every installed plugin, enabled or not, by key.

        Gathered from ``portal_audit_processes`` once per request (kept in ``g`` until
        :func:`forget_processes`); empty outside an application context. A process that
        fails :func:`process_problems`, or repeats a key already taken, is left out and
        logged, as are all of a plugin's when its hook raises (the session is then rolled
        back, so that a failed query does not poison the request): a page never breaks.
        """
        if not has_app_context():
            return {}
        cached = g.get(RUNTIME_CACHE)
        if cached is not None:
            return cached
        found: dict[str, AuditProcess] = {}
        for plugin_key, call in self.implementations("portal_audit_processes", enabled_only=False):
            try:
                processes = list(call() or [])
            except Exception:  # a plugin's failure must not break the page
                db.session.rollback()  # nor its failed query poison the request's next ones
                current_app.logger.exception(
                    "plugin %r: portal_audit_processes failed; its run-time processes are left out",
                    plugin_key,
                )
                continue
            for process in processes:
                problems = process_problems(process, plugin_key)
                key = getattr(process, "key", None)
                if not problems and key in found:
                    problems = [f"two run-time processes have the key {key!r}"]
                if problems:
                    current_app.logger.error(
                        "plugin %r: the run-time process %r is left out: %s",
                        plugin_key,
                        key,
                        "; ".join(problems),
                    )
                    continue
                found[key] = process
        setattr(g, RUNTIME_CACHE, found)
        return found

    def process(self, key: str) -> AuditProcess | None:
        """The audit process *key*, coded or run-time, of an installed plugin, enabled or not."""
        plugin = self.installed.get(key)
        if plugin is not None:
            return plugin.process
        if plugin_key_of(key) not in self.installed:
            return None
        return self.runtime_processes().get(key)

    def processes_of(self, plugin_key: str) -> list[AuditProcess]:
        """The audit processes of the plugin *plugin_key*, coded and run-time, in key order."""
        plugin = self.installed.get(plugin_key)
        if plugin is None:
            return []
        runtime = [
            process
            for key, process in self.runtime_processes().items()
            if plugin_key_of(key) == plugin_key
        ]
        coded = [plugin.process] if plugin.process is not None else []
        return sorted(coded + runtime, key=lambda process: process.key)

    def all_processes(self) -> list[AuditProcess]:
        """The audit processes, coded and run-time, of every installed plugin, enabled or
        not, in key order."""
        coded = [plugin.process for plugin in self.installed.values() if plugin.process]
        return sorted([*coded, *self.runtime_processes().values()], key=lambda process: process.key)

    def listed_processes(self) -> dict[str, str]:
        """The processes the audit lists offer to filter by, by key, with their names: every
        installed plugin (enabled or not: its audits stay listed) except one whose processes
        are all run-time ones, and every run-time process."""
        names = self.process_names()
        return {
            key: name
            for key, name in names.items()
            if (plugin := self.installed.get(key)) is None
            or plugin.process is not None
            or "portal_audit_processes" not in plugin.hooks
        }

    def enabled_processes(self) -> list[AuditProcess]:
        """The audit processes, coded and run-time, of the enabled plugins, in key order."""
        enabled = self.enabled_keys()
        coded = [
            plugin.process
            for key, plugin in self.installed.items()
            if key in enabled and plugin.process is not None
        ]
        runtime = [
            process
            for key, process in self.runtime_processes().items()
            if plugin_key_of(key) in enabled
        ]
        return sorted(coded + runtime, key=lambda process: process.key)

    def allocatable_processes(self) -> list[AuditProcess]:
        """The enabled audit processes that take new audits (none retired), in key order:
        what the draw, themes and allocation by hand offer."""
        return [process for process in self.enabled_processes() if not process.retired]

    def process_name(self, key: str) -> str:
        """What the pages call the process *key*: its plugin's name for a coded process, its
        title for a run-time one, the key itself for one no installed plugin knows."""
        plugin = self.installed.get(key)
        if plugin is not None:
            return plugin.info.name
        process = self.process(key)
        return process.title if process is not None else key

    def process_names(self) -> dict[str, str]:
        """:meth:`process_name` of every installed plugin's key and every run-time process."""
        names = {key: plugin.info.name for key, plugin in self.installed.items()}
        names.update((key, process.title) for key, process in self.runtime_processes().items())
        return names

    def implementations(
        self, hook_name: str, *, enabled_only: bool = True
    ) -> list[tuple[str, Callable[..., Any]]]:
        """Each plugin's own implementation of *hook_name*, in key order, to call one by one.

        Returns ``(plugin key, call)`` pairs; ``call(**arguments)`` passes the implementation
        only the arguments it names. With *enabled_only*, disabled plugins are left out.
        Use it where one plugin's answer must be checked, or its failure contained, on its
        own; :meth:`hook` where the answers are simply gathered.
        """
        keys = self.enabled_keys() if enabled_only else frozenset(self.installed)
        found = []
        for implementation in getattr(self.manager.hook, hook_name).get_hookimpls():
            if implementation.plugin_name in keys:
                found.append((implementation.plugin_name, _caller(implementation)))
        return sorted(found, key=lambda pair: pair[0])

    def register_blueprints(self, app: Flask) -> None:
        """Register every installed plugin's pages (``portal_blueprints``), checking the key.

        A disabled plugin's pages answer 404; its data is kept.
        """
        for key, call in self.implementations("portal_blueprints", enabled_only=False):
            for blueprint in call() or []:
                if not isinstance(blueprint, Blueprint):
                    raise PluginError(f"plugin {key!r}: portal_blueprints returned a non-blueprint")
                if blueprint.name != key or blueprint.url_prefix != f"/{key}":
                    raise PluginError(
                        f"plugin {key!r}: its blueprint must be named {key!r} with the "
                        f"url_prefix '/{key}', not {blueprint.name!r} at {blueprint.url_prefix!r}"
                    )
                app.register_blueprint(blueprint)

        @app.before_request
        def refuse_disabled_plugin_pages():
            if request.blueprint in self.installed and not self.is_enabled(request.blueprint):
                abort(404)

    def hook(self, name: str) -> pluggy.HookCaller:
        """The hook *name*, calling only the enabled plugins."""
        enabled = self.enabled_keys()
        disabled = [p.module for key, p in self.installed.items() if key not in enabled]
        return self.manager.subset_hook_caller(name, remove_plugins=disabled)


def _caller(implementation: pluggy.HookImpl) -> Callable[..., Any]:
    """Call a hook implementation with only the keyword arguments it names."""

    def call(**arguments: Any) -> Any:
        return implementation.function(
            **{name: arguments[name] for name in implementation.argnames if name in arguments}
        )

    return call


def plugin_host() -> PluginHost:
    """The plugin host of the current application."""
    return current_app.extensions["portal.plugins"]
