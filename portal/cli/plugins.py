"""``flask --app portal plugins list|enable|disable``."""

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.plugins import plugin_host

plugins_group = AppGroup("plugins", help="List, enable and disable the installed audit tools.")


@plugins_group.command("list")
def list_plugins() -> None:
    """Print one line per installed plugin: its key, then enabled or disabled (or refused,
    with the reason, for one the portal would not load), its version and name."""
    host = plugin_host()
    enabled = host.enabled_keys()
    for key in sorted(host.installed):
        plugin = host.installed[key]
        state = "enabled" if key in enabled else "disabled"
        click.echo(f"{key} {state} {plugin.info.version} {plugin.info.name}")
    for key in sorted(host.refused):
        refused = host.refused[key]
        click.echo(f"{key} refused {refused.version} {refused.name}: {refused.reason}")


def _set(key: str, enabled: bool) -> None:
    host = plugin_host()
    try:
        changed = host.set_enabled(key, enabled, actor_id=None)
    except KeyError:
        known = ", ".join(sorted(host.installed)) or "none"
        raise click.ClickException(
            f"No plugin is installed with the key {key!r}. Installed plugins: {known}."
        ) from None
    db.session.commit()
    state = "enabled" if enabled else "disabled"
    click.echo(f"{key} {state}" if changed else f"{key} was already {state}")


@plugins_group.command("enable")
@click.argument("key")
def enable_plugin(key: str) -> None:
    """Enable the plugin KEY for every user, at once, in every worker."""
    _set(key, True)


@plugins_group.command("disable")
@click.argument("key")
def disable_plugin(key: str) -> None:
    """Disable the plugin KEY; its audits stay readable and nothing is deleted."""
    _set(key, False)
