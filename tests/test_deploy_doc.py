"""docs/deploy.md names every environment variable the portal reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r'(?:environ\.get|_env_bool|_env_list)\(\s*"([A-Z0-9_]+)"')


def test_every_setting_read_from_the_environment_is_in_the_deployment_guide():
    read = set(READ.findall((ROOT / "portal" / "config.py").read_text()))
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert {"DATABASE_URL", "SECRET_KEY", "LOG_FORMAT", "PROXY_COUNT"} <= read
    assert sorted(name for name in read if f"`{name}`" not in guide) == []
