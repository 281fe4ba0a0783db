"""A throwaway Redis server on loopback, from Debian's `redis-server` package.

Nothing is persisted (no RDB snapshots, no append-only file): the tests use it
as Rasa's lock store, which only lives as long as the servers using it.
"""
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import redis

BINARY = "/usr/bin/redis-server"


def binary() -> Optional[str]:
    return shutil.which("redis-server") or (BINARY if Path(BINARY).exists() else None)


class RedisServer:
    def __init__(self, binary: str, port: int):
        self.binary, self.port = binary, port
        self.dir = Path(tempfile.mkdtemp(prefix="redis-"))
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=2)

    def start(self, timeout: float = 10) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log"), "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        client = self.client()
        try:
            while True:
                if self.process.poll() is not None:
                    log = (self.dir / "redis.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"redis-server exited with {self.process.returncode}:\n{log}")
                try:
                    if client.ping():
                        return self
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"redis-server not answering on port {self.port} after {timeout} s")
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis exits at once (nothing to save)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
