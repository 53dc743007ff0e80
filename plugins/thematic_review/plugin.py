"""The hook implementations of the thematic_review plugin (its entry point's target)."""

from plugins.thematic_review import __version__, models, views_family, views_reviews  # noqa: F401
from plugins.thematic_review.blueprint import bp
from portal.hookspecs import PluginInfo, hookimpl


@hookimpl
def portal_plugin_info() -> PluginInfo:
    """Identify the Thematic practice review."""
    return PluginInfo(
        key="thematic_review",
        name="Thematic practice review",
        version=__version__,
        description=(
            "The quarterly qualitative review of a theme: at least 12 cases reviewed in "
            "pairs, a discussion with each social worker and a conversation with each family, "
            "with a report and a SMART action plan."
        ),
    )


@hookimpl
def portal_blueprints() -> list:
    """The review pages and the family conversation pages."""
    return [bp]
