"""The version of the plugin API, and whether a plugin written for another one may load.

Kept apart from ``portal.plugin_api`` (which imports half the portal) so that the plugin
host can check a plugin before loading anything of it. ``portal.plugin_api`` re-exports
:data:`API_VERSION`.
"""

from __future__ import annotations

import re

#: The version of ``portal.plugin_api``, as (major, minor). The major number changes when
#: a name is removed or changes meaning, the minor number when a name is added (1.1: rules
#: may take ``today``; ``PluginInfo.requires_api``. 1.2: run-time processes, the hook
#: ``portal_audit_processes``, ``plugin_key_of``, ``process_problems``, ``forget_processes``;
#: the hooks ``portal_demo_answers`` and ``portal_erase_case_records``).
API_VERSION = (1, 2)

VERSION_PATTERN = re.compile(r"^(\d+)\.(\d+)$")


def parse_api_version(value: object) -> tuple[int, int] | None:
    """``"1.1"`` or ``(1, 1)`` as ``(1, 1)``; None for anything else."""
    if isinstance(value, str) and (match := VERSION_PATTERN.match(value.strip())):
        return int(match[1]), int(match[2])
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value)
    ):
        return value[0], value[1]
    return None


def incompatibility(required: tuple[int, int], ours: tuple[int, int] = API_VERSION) -> str | None:
    """Why a plugin that needs API *required* cannot run on API *ours*; None when it can.

    Compatible means the same major number and a minor number no higher than ours.
    """
    if required[0] == ours[0] and required[1] <= ours[1]:
        return None
    wanted = f"{required[0]}.{required[1]}"
    have = f"{ours[0]}.{ours[1]}"
    if required[0] == ours[0]:
        advice = "upgrade the portal, or install an older version of the plugin"
    elif required[0] > ours[0]:
        advice = "upgrade the portal, or install a version of the plugin made for API " + (
            f"{ours[0]}.x"
        )
    else:
        advice = f"install a version of the plugin made for API {ours[0]}.x"
    return f"it needs version {wanted} of the plugin API and this portal has {have}; {advice}"
