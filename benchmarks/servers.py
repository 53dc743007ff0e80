"""Serve an app with gunicorn on 127.0.0.1 for a benchmark, and always stop it afterwards.

:func:`served` starts ``gunicorn -w 2`` in a process group of its own, waits until the port
answers, and on leaving the block (normally, on an exception, or on SIGTERM/SIGINT through
:func:`stop_on_signals`) terminates the whole group, then kills it if it lingers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "127.0.0.1"
WORKERS = 2
#: How long a server may take to answer its first connection.
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}); see {log}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} in {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop gunicorn's process group (master and workers) at once, then kill what is left.

    SIGINT is gunicorn's quick shutdown (SIGTERM would wait for requests in flight).
    """
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@contextmanager
def served(app: str, env: dict[str, str], log: Path, timeout: int = 30) -> Iterator[int]:
    """Serve the WSGI *app* (``module:factory()``) with gunicorn; yield its port.

    *env* is added to this process's environment; gunicorn's output goes to *log*;
    *timeout* is gunicorn's worker timeout (its default, 30 s).
    """
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(GUNICORN),
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        str(timeout),
        app,
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    try:
        _wait_until_listening(port, process, log)
        yield port
    finally:
        _stop(process)


def _raise_interrupt(signum, _frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def stop_on_signals() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so the ``finally`` blocks stop the servers."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
