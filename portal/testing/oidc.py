"""A real OpenID Connect provider for tests: panva's ``oidc-provider`` under Node
(``tests/sso/oidc/provider.mjs``), started by the ``oidc_provider`` fixture (once per test
process) on 127.0.0.1 and a free port, with an RSA signing key made here, and stopped at
the end.

Outside CI the tests that use it skip, with one line, when ``node`` or the provider's
packages are missing (``npm ci --prefix tests/sso/oidc``, which ``make test`` runs); under
CI that skip fails the run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey

from portal.testing.ci import in_ci
from portal.testing.smtp import free_port

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "tests" / "sso" / "oidc"
CLIENT_ID = "qa-portal"
CLIENT_SECRET = "qa-portal-client-secret-for-tests-0123456789"
#: A second application registered with the same provider (for the wrong-audience test).
OTHER_CLIENT_ID = "another-council-app"
OTHER_CLIENT_SECRET = "another-council-app-secret-for-tests-0123456789"
OTHER_REDIRECT_URI = "http://127.0.0.1/other-app/callback"
CALLBACK_PATH = "/auth/oidc/callback"
KEY_ID = "council-signing-key-1"

#: The provider's people: login id (the stable ``sub``) → claims. sw.a and qa.lead are in
#: the test council (``portal/testing/world.py``) by email; new.starter is not.
PEOPLE = {
    "0001-sw-a": {"email": "sw.a@council.example", "name": "S. Worker", "groups": []},
    "0002-qa-lead": {
        "email": "qa.lead@council.example",
        "name": "Q. Lead",
        "groups": ["QA-Leads"],
    },
    "0003-new-starter": {
        "email": "new.starter@council.example",
        "name": "Nia Starter",
        "groups": ["Children-Social-Workers"],
    },
}

FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


@dataclass
class OidcProvider:
    """A running oidc-provider: its issuer, its signing key, and the portal settings."""

    folder: Path
    port: int
    key: RSAKey
    process: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        """The issuer URL (discovery at ``<issuer>/.well-known/openid-configuration``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings_file(self) -> Path:
        """The JSON file the provider reads its clients, keys and people from."""
        return self.folder / "settings.json"

    def settings(self, **overrides) -> dict:
        """The portal's OIDC settings for this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_BUTTON_LABEL": "Sign in with Test Council",
            "OIDC_PROVISION_USERS": False,
            "OIDC_GROUPS_CLAIM": "groups",
            "OIDC_SCOPES": "openid email profile groups",
            **overrides,
        }

    def write_settings(self, people: dict) -> None:
        """Write the provider's settings (read at start) and *people* (read at each sign-in)."""
        clients = [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"http://localhost{CALLBACK_PATH}"],
                "post_logout_redirect_uris": ["http://localhost/login"],
            },
            {
                "client_id": OTHER_CLIENT_ID,
                "client_secret": OTHER_CLIENT_SECRET,
                "redirect_uris": [OTHER_REDIRECT_URI],
            },
        ]
        self.settings_file.write_text(
            json.dumps(
                {
                    "port": self.port,
                    "keys": [self.key.as_dict(private=True)],
                    "cookie_key": "provider-cookie-key-for-tests-0123456789",
                    "clients": clients,
                    "people": people,
                }
            )
        )

    def set_person(self, login_id: str, **claims) -> None:
        """Add someone to the provider, or change their claims, from the next sign-in on."""
        data = json.loads(self.settings_file.read_text())
        data["people"][login_id] = {**data["people"].get(login_id, {}), **claims}
        self.settings_file.write_text(json.dumps(data))

    def reset_people(self) -> None:
        """Put the provider's people back as :data:`PEOPLE` has them."""
        data = json.loads(self.settings_file.read_text())
        data["people"] = PEOPLE
        self.settings_file.write_text(json.dumps(data))

    def next_id_token(self, token: str) -> None:
        """Make the provider's next token response carry *token* as its ID token."""
        requests.post(f"{self.issuer}/test/next-id-token", data=token, timeout=10)

    def log_in(self, authorize_url: str, login_id: str, browser: requests.Session | None = None):
        """Follow the provider's pages from *authorize_url* as a person's browser would:
        the login form (any login id), then the consent form. Returns the URL the provider
        finally redirects to (the application's callback, with code and state)."""
        browser = browser or requests.Session()
        url = authorize_url
        for _ in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            while response.is_redirect:
                location = urljoin(url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location
                url = location
                response = browser.get(url, allow_redirects=False, timeout=10)
            page = response.text
            action = urljoin(url, FORM_ACTION.search(page).group(1))
            if 'name="login"' in page:
                fields = {"prompt": "login", "login": login_id, "password": "any"}
            else:
                fields = {"prompt": "consent"}
            response = browser.post(action, data=fields, allow_redirects=False, timeout=10)
            url = urljoin(action, response.headers["Location"])
            if not url.startswith(self.issuer):
                return url
        raise RuntimeError("the provider's pages did not lead back to the application")

    def start(self) -> None:
        """Start ``node provider.mjs``; return when its discovery document answers."""
        self.write_settings(PEOPLE)
        log = (self.folder / "provider.log").open("w")
        self.process = subprocess.Popen(
            ["node", str(PROVIDER_DIR / "provider.mjs")],
            cwd=PROVIDER_DIR,
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "OIDC_TEST_SETTINGS": str(self.settings_file),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        discovery = f"{self.issuer}/.well-known/openid-configuration"
        while True:
            try:
                if requests.get(discovery, timeout=1).ok:
                    return
            except requests.RequestException:  # not listening yet
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = (self.folder / "provider.log").read_text()[-2000:]
                raise RuntimeError(f"oidc-provider did not start at {self.issuer}:\n{output}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the provider's process and wait for it to end."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def query(url: str) -> dict[str, str]:
    """The query parameters of *url*, one value each."""
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory):
    """A real oidc-provider for this test process (each xdist worker has its own)."""

    reason = None
    if shutil.which("node") is None:
        reason = "node is not installed (apt-get install nodejs npm)"
    elif not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        reason = "the OpenID provider's packages are missing (npm ci --prefix tests/sso/oidc)"
    if reason:
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "alg": "RS256", "use": "sig"})
    provider = OidcProvider(tmp_path_factory.mktemp("oidc"), free_port(), key)
    provider.start()
    yield provider
    provider.stop()
