"""Backups and restores: a consistent copy of the database and the instance folder's files.

A backup is a folder holding

- ``database.sqlite3`` (SQLite, copied with sqlite3's online backup API, so the portal can
  keep serving) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``, one
  consistent snapshot);
- ``files/``: every file of the instance folder apart from the database itself (the
  portal keeps its uploads and generated PDFs in the database; the instance folder holds
  the secret key and anything a council puts beside it);
- ``manifest.json``: when it was made, the database kind, the Alembic revisions the
  database was at (one per branch: the core and each plugin with tables), and every file
  with its size and sha256.

A restore checks the manifest (every file present with its sha256; every revision known to
this code, so a backup from newer code is refused), refuses a target database that already
has tables, then loads the database (sqlite3's backup API, or ``pg_restore`` into the empty
database) and copies the files back into the instance folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds (``manifest.json``)."""

    created_at: str
    database: str  # sqlite or postgresql
    revisions: list[str]
    files: dict[str, dict]  # relative path -> {"bytes": n, "sha256": hex}

    def to_json(self) -> str:
        """The manifest as indented JSON."""
        return json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n"


def database_kind(url: URL) -> str:
    """``sqlite`` or ``postgresql`` for a database URL; anything else is refused."""
    backend = url.get_backend_name()
    if backend not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def sha256(path: Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore and the environment carrying the
    password (kept off the command line, where other users could read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _revisions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            raise BackupError("The database has no alembic_version table: nothing to back up.")
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return sorted(row[0] for row in rows)


def _instance_files(instance: Path, skip: set[Path]) -> list[Path]:
    """The instance folder's files, relative, leaving out *skip* (the database and the
    backup being written when either lies inside it)."""
    found = []
    for path in sorted(instance.rglob("*")):
        resolved = path.resolve()
        if any(resolved == item or item in resolved.parents for item in skip):
            continue
        if path.is_file():
            found.append(path.relative_to(instance))
    return found


def make_backup(database_url: str, instance_path: str, destination: str) -> Manifest:
    """Back up the database at *database_url* and the files of *instance_path* into the
    folder *destination* (made here; it must not exist or be empty)."""
    url = make_url(database_url)
    kind = database_kind(url)
    dest = Path(destination)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: give a new folder for the backup.")
    dest.mkdir(parents=True, exist_ok=True)
    database_file = dest / DATABASE_FILES[kind]
    skip = {dest.resolve()}
    if kind == "sqlite":
        source = Path(url.database).resolve()
        skip |= {
            source,
            *(source.with_name(source.name + end) for end in ("-wal", "-shm", "-journal")),
        }
        with (
            closing(sqlite3.connect(source)) as live,
            closing(sqlite3.connect(database_file)) as copy,
        ):
            live.backup(copy)
        engine = create_engine(f"sqlite:///{database_file}")
    else:
        connection_string, env = _libpq(url)
        engine = create_engine(url)
        _run(["pg_dump", "--format=custom", f"--file={database_file}", connection_string], env)
    try:
        revisions = _revisions(engine)
    finally:
        engine.dispose()
    instance = Path(instance_path)
    files = {DATABASE_FILES[kind]: database_file}
    for relative in _instance_files(instance, skip) if instance.is_dir() else []:
        target = dest / FILES / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(instance / relative, target)
        files[f"{FILES}/{relative.as_posix()}"] = target
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        database=kind,
        revisions=revisions,
        files={
            name: {"bytes": path.stat().st_size, "sha256": sha256(path)}
            for name, path in sorted(files.items())
        },
    )
    (dest / MANIFEST).write_text(manifest.to_json())
    return manifest


def read_manifest(backup: Path) -> Manifest:
    """The backup's manifest, each file checked against its sha256."""
    try:
        data = json.loads((backup / MANIFEST).read_text())
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(f"{backup} has no readable {MANIFEST}: {error}") from None
    for name, facts in manifest.files.items():
        path = backup / name
        if not path.is_file() or sha256(path) != facts["sha256"]:
            raise BackupError(f"{name} is missing or does not match its sha256 in the manifest.")
    return manifest


def check_revisions(revisions: list[str], script: ScriptDirectory) -> None:
    """Refuse revisions this code does not know: the backup came from newer code."""
    for revision in revisions:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise BackupError(
                f"The backup is at revision {revision}, which this code does not know: it was "
                "made by a newer version of the portal. Restore it with that version."
            )


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def restore_backup(
    backup_dir: str, database_url: str, instance_path: str, script: ScriptDirectory
) -> Manifest:
    """Restore the backup in *backup_dir* into the empty database at *database_url* and the
    instance folder *instance_path*; *script* is this code's migration history."""
    backup = Path(backup_dir)
    manifest = read_manifest(backup)
    url = make_url(database_url)
    kind = database_kind(url)
    if manifest.database != kind:
        raise BackupError(f"The backup is of a {manifest.database} database; this is {kind}.")
    check_revisions(manifest.revisions, script)
    engine = create_engine(url)
    try:
        if _has_tables(engine):
            raise BackupError("The target database is not empty: restore into a new database.")
    finally:
        engine.dispose()
    source = backup / DATABASE_FILES[kind]
    if kind == "sqlite":
        with (
            closing(sqlite3.connect(source)) as copy,
            closing(sqlite3.connect(url.database)) as target,
        ):
            copy.backup(target)
    else:
        connection_string, env = _libpq(url)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                f"--dbname={connection_string}",
                str(source),
            ],
            env,
        )
    instance = Path(instance_path)
    for name in manifest.files:
        if name.startswith(f"{FILES}/"):
            target_file = instance / name.removeprefix(f"{FILES}/")
            target_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(backup / name, target_file)
    return manifest


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
