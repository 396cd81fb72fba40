"""A real `wutong serve` in a child process, for fault tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def settings_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"WUTONG_DATA_DIR": str(settings.data_dir), "WUTONG_STORE": settings.store,
                "WUTONG_NEO4J_URI": settings.neo4j_uri,
                "WUTONG_NEO4J_USER": settings.neo4j_user,
                "WUTONG_NEO4J_PASSWORD": settings.neo4j_password_value(),
                "WUTONG_NEO4J_DATABASE": settings.neo4j_database})
    return env


class Server:
    def __init__(self, settings: Settings, log: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        wutong = Path(sys.executable).parent / "wutong"
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [str(wutong), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=settings_env(settings), stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(60.0)

    def _wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("the server did not become ready")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
