"""A real LDAP server for tests: Debian's OpenLDAP ``slapd``, started by the
``ldap_server`` fixture (once per test process) on 127.0.0.1, free ports (``ldap://`` with
StartTLS, and ``ldaps://``, with a certificate from a test CA) and a temporary folder,
seeded with a few people and a service account, and stopped by its pid file.

Outside CI the tests that use it skip, with one line, when slapd is not installed
(``apt-get install slapd ldap-utils``); under CI that skip fails the run.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ldap3 import Connection, Server

from portal.testing.ci import in_ci
from portal.testing.smtp import free_port

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SUFFIX = "dc=council,dc=example"
PEOPLE_DN = f"ou=people,{SUFFIX}"
SERVICE_DN = f"cn=qa-portal,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-account-pass-7"
ROOT_PASSWORD = "directory-root-pass-9"

#: The directory's people: uid, name, mail, password. sw.a and sw.b are also in the test
#: council (``portal/testing/world.py``); new.starter is not; nobody else of the council is.
PEOPLE = (
    ("sw.a", "S. Worker in the directory", "sw.a@council.example", "directory-pass-sw-a-1"),
    ("sw.b", "S. B. Worker in the directory", "sw.b@council.example", "directory-pass-sw-b-1"),
    ("new.starter", "Nia Starter", "New.Starter@council.example", "directory-pass-new-1"),
)

SCHEMAS = ("core", "cosine", "inetorgperson")


def _make_certificates(folder: Path) -> None:
    """A test CA (``ca.pem``) and a certificate for 127.0.0.1 it signed (``server.pem``,
    ``server.key``), for StartTLS and ldaps:// (made with cryptography, Authlib's own)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def certificate(subject, issuer, public_key, signing_key, *, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
            builder = builder.add_extension(x509.SubjectAlternativeName([address]), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Test council CA", "Test council CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    server = certificate("127.0.0.1", "Test council CA", key.public_key(), ca_key, ca=False)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem))
    (folder / "server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _slapd_conf(folder: Path) -> str:
    includes = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS)
    return f"""{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder / "slapd.pid"}
argsfile {folder / "slapd.args"}
TLSCACertificateFile {folder / "ca.pem"}
TLSCertificateFile {folder / "server.pem"}
TLSCertificateKeyFile {folder / "server.key"}

database mdb
suffix "{SUFFIX}"
rootdn "cn=admin,{SUFFIX}"
rootpw {ROOT_PASSWORD}
directory {folder / "data"}
# As a council's directory: passwords only for binding, entries readable only by a
# signed-in account (the portal's service account), nothing for an anonymous search.
access to attrs=userPassword by anonymous auth by self auth by * none
access to * by users read by * none
"""


def _seed_ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Council\ndc: council",
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services",
        f"dn: {SERVICE_DN}\nobjectClass: person\ncn: qa-portal\nsn: service\n"
        f"userPassword: {SERVICE_PASSWORD}",
    ]
    for uid, name, mail, password in PEOPLE:
        entries.append(
            f"dn: uid={uid},{PEOPLE_DN}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n"
            f"sn: {name.split()[-1]}\ndisplayName: {name}\nmail: {mail}\nuserPassword: {password}"
        )
    return "\n\n".join(entries) + "\n"


@dataclass
class LdapServer:
    """A running slapd: its URL, and the portal settings that point at it."""

    folder: Path
    port: int
    tls_port: int
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The server's ``ldap://`` URL (with the "/" slapd and many admins write)."""
        return f"ldap://127.0.0.1:{self.port}/"

    @property
    def ldaps_url(self) -> str:
        """The server's ``ldaps://`` URL (TLS from the start)."""
        return f"ldaps://127.0.0.1:{self.tls_port}"

    @property
    def ca_file(self) -> str:
        """The PEM file of the test CA that signed the server's certificate."""
        return str(self.folder / "ca.pem")

    def settings(self, **overrides) -> dict:
        """The portal's LDAP settings for this server (service account search)."""
        return {
            "LDAP_URL": self.url,
            "LDAP_BIND_DN": SERVICE_DN,
            "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
            "LDAP_BASE_DN": SUFFIX,
            "LDAP_USER_FILTER": "(mail={email})",
            "LDAP_START_TLS": False,
            "LDAP_TIMEOUT": 5,
            "LDAP_PROVISION_USERS": False,
            **overrides,
        }

    def start(self) -> None:
        """Write the configuration, load the seed entries and start slapd; return when
        the service account can bind."""
        conf = self.folder / "slapd.conf"
        (self.folder / "data").mkdir()
        _make_certificates(self.folder)
        conf.write_text(_slapd_conf(self.folder))
        seed = self.folder / "seed.ldif"
        seed.write_text(_seed_ldif())
        subprocess.run([SLAPADD, "-q", "-f", str(conf), "-l", str(seed)], check=True)
        listen = f"{self.url} {self.ldaps_url}/"
        subprocess.run([SLAPD, "-f", str(conf), "-h", listen], check=True)  # it daemonises
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = Connection(
                    Server(self.url.rstrip("/"), connect_timeout=1), SERVICE_DN, SERVICE_PASSWORD
                )
                if connection.bind():
                    connection.unbind()
                    return
            except Exception:  # not listening yet
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"slapd did not answer on {self.url}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop slapd by the pid in its pid file; return when it has removed the file."""
        pid_file = self.folder / "slapd.pid"
        if not pid_file.exists():
            return
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
        deadline = time.monotonic() + 20
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory: pytest.TempPathFactory):
    """A real slapd for this test process (each xdist worker has its own)."""

    if not (os.access(SLAPD, os.X_OK) and os.access(SLAPADD, os.X_OK)):
        reason = "slapd is not installed (apt-get install slapd ldap-utils)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    server = LdapServer(tmp_path_factory.mktemp("slapd"), free_port(), free_port())
    server.passwords = {mail.lower(): password for _, _, mail, password in PEOPLE}
    server.start()
    yield server
    server.stop()
