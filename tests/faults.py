"""Real services for fault tests: a Redis server of the test's own (started, stopped, frozen and
thawed by the test, never the shared one) and real Celery worker processes that a test may
kill with SIGKILL. Workers are separate processes reading the test database, so the tests that
use them need PostgreSQL (CI runs them; on SQLite they skip)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# Ports of the fault tests' own Redis servers (one per test module, so modules never share).
REDIS_PORT_BASE = int(os.environ.get("FAULT_REDIS_PORT_BASE", "6400"))


def wait_for(condition, timeout: float = 30.0, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class RedisServer:
    """A redis-server process of our own on `port`: nothing saved, nothing shared."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)

    def answers(self) -> bool:
        try:
            return bool(self._client().ping())
        except Exception:  # noqa: BLE001
            return False

    def start(self) -> None:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(self.answers, timeout=10, every=0.05):
            self.stop()
            pytest.fail(f"our redis-server on port {self.port} did not start (see {self.log})")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.thaw()
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc = None

    def freeze(self) -> None:
        """SIGSTOP: the server keeps its socket open but answers nothing, as a hung Redis."""
        os.kill(self.proc.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.proc is not None and self.frozen:
            os.kill(self.proc.pid, signal.SIGCONT)
            self.frozen = False


def own_redis(port_offset: int, tmp_path: Path):
    """Start our own Redis on REDIS_PORT_BASE + port_offset; the caller stops it."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (CI installs it)")
    port = REDIS_PORT_BASE + port_offset
    if _taken(port):
        # Another run (a second checkout's tests, a developer's Redis) holds the port: never
        # touch it, take a free one instead.
        port = _free_port()
    server = RedisServer(port, tmp_path / "redis.log")
    server.start()
    return server


def _taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a worker process reads the test database: PostgreSQL only (CI runs it)")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


class Worker:
    """`celery -A config worker` as its own process (prefork, one pool child) on our Redis and
    the test database, with tests.fault_hooks loaded for the slow-downs a test asks for."""

    def __init__(self, broker_url: str, log: Path, env: dict[str, str] | None = None):
        self.broker_url = broker_url
        self.log = log
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "TEST_CELERY_BROKER_URL": self.broker_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **self.env,
        }
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--include=tests.fault_hooks",
                f"--hostname=fault-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: b"ready." in self.log.read_bytes(), timeout=60):
            self.stop()
            pytest.fail(f"the worker did not start:\n{self.log.read_text()[-3000:]}")
        return self

    def children(self) -> list[int]:
        pids: list[int] = []
        for path in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # a thread that just ended
                pids += [int(pid) for pid in path.read_text().split()]
        return pids

    def kill_pool_child(self) -> int:
        """SIGKILL the pool process that runs the task; the worker itself lives on."""
        (child,) = self.children()
        os.kill(child, signal.SIGKILL)
        return child

    def kill(self) -> None:
        """SIGKILL the whole worker: its pool child and itself, nothing acknowledged."""
        children = self.children()
        self.proc.kill()
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        children = self.children()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for child in children:  # a pool child the worker did not reap
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        self.proc = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def point_app_at(url: str):
    """Point this process's Celery app (what publishes) at `url` with the production options;
    returns what to restore."""
    from config.celery_app import app
    from tests.notifications import use_broker

    old = (app.conf.broker_url, app.conf.broker_transport_options)
    use_broker(app, url, dict(settings.REDIS_BROKER_TRANSPORT_OPTIONS))
    return old


def restore_app(old) -> None:
    from config.celery_app import app
    from tests.notifications import use_broker

    use_broker(app, *old)


@contextlib.contextmanager
def app_on_own_redis(port_offset: int, tmp_path: Path):
    """Celery and the cache pointed at a Redis of our own (PostgreSQL only: the workers read the
    test database); both are put back and the Redis stopped afterwards."""
    needs_postgres()
    server = own_redis(port_offset, tmp_path)
    old = point_app_at(server.url())
    try:
        yield server
    finally:
        restore_app(old)
        server.stop()


@contextlib.contextmanager
def worker_starter(server: RedisServer, tmp_path: Path, test_settings, *, lease: int):
    """`start(lease=…, **env)` starts a real worker on `server` with that background lease
    (the test process uses the same); every worker started is stopped afterwards."""
    started: list[Worker] = []

    def start(lease: int = lease, **env) -> Worker:
        test_settings.BACKGROUND_LEASE_SECONDS = lease
        log = tmp_path / f"worker-{len(started)}.log"
        worker = Worker(server.url(), log, {"BACKGROUND_LEASE_SECONDS": str(lease), **env})
        started.append(worker)
        return worker.start()

    test_settings.BACKGROUND_LEASE_SECONDS = lease
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
