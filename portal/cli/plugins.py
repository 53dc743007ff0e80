"""``flask --app portal plugins list|enable|disable``."""

import click
from flask.cli import AppGroup

from portal.audits.cancel import affected
from portal.extensions import db
from portal.plugins import plugin_host
from portal.reports.snapshots import store_before_disabling, unstored_months
from portal.timeutil import today_london
from portal.wording import count

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


def _known(key: str) -> None:
    """Refuse a key that no installed plugin has, naming those that are installed."""
    host = plugin_host()
    if key not in host.installed:
        known = ", ".join(sorted(host.installed)) or "none"
        raise click.ClickException(
            f"No plugin is installed with the key {key!r}. Installed plugins: {known}."
        )


def _set(key: str, enabled: bool) -> None:
    _known(key)
    changed = plugin_host().set_enabled(key, enabled, actor_id=None)
    db.session.commit()
    state = "enabled" if enabled else "disabled"
    click.echo(f"{key} {state}" if changed else f"{key} was already {state}")


def _what_disabling_affects(key: str) -> str:
    """What disabling *key* affects, in the figures the administrators' page asks with."""
    counts = affected(key)
    allocated, actions = counts["allocated"], counts["open_actions"]
    unstored = len(unstored_months(key, today_london()))
    return "\n".join(
        [
            f"Disabling {plugin_host().installed[key].info.name} ({key}) affects:",
            f"  Audits allocated, not yet submitted: {allocated}",
            f"  Actions open: {actions}",
            f"  Audits submitted: {counts['submitted']}",
            "No new audits are drawn or allocated with it. "
            f"Its {count(allocated, 'allocated audit')} can still be finished by the "
            "auditors, or cancelled with a reason; "
            f"its {count(actions, 'open action')} {'stays' if actions == 1 else 'stay'} open "
            "until completed and signed off; its submitted audits stay readable, and the "
            "reports of past months keep its section"
            + (
                f" ({count(unstored, 'past month')} not stored yet will be stored first)."
                if unstored
                else "."
            ),
        ]
    )


@plugins_group.command("enable")
@click.argument("key")
def enable_plugin(key: str) -> None:
    """Enable the plugin KEY for every user, at once, in every worker."""
    _set(key, True)


@plugins_group.command("disable")
@click.argument("key")
@click.option("--yes", is_flag=True, help="Disable without asking (for scripts).")
def disable_plugin(key: str, yes: bool) -> None:
    """Disable the plugin KEY; its audits stay readable and nothing is deleted.

    Says first what it affects (its audits allocated and not yet submitted, its actions
    open, its audits submitted) and asks before disabling, as the administrators' page
    does; ``--yes`` skips the question.
    """
    _known(key)
    if plugin_host().is_enabled(key) and not yes:
        click.echo(_what_disabling_affects(key))
        if not click.confirm(f"Disable {key}?", default=False):
            click.echo(f"{key} is still enabled: nothing changed.")
            raise click.exceptions.Exit(1)
    if plugin_host().is_enabled(key):
        name = plugin_host().installed[key].info.name
        kept = store_before_disabling(key, name, today_london(), actor_id=None)
        if kept:
            click.echo(
                f"Stored the reports of {count(len(kept), 'past month')} first, "
                "so that they keep its section."
            )
    _set(key, False)
