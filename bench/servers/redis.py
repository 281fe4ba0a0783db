"""A throwaway Redis server on loopback, from Debian's `redis-server` package.

Nothing is persisted (no RDB snapshots, no append-only file): the tests use it
as Rasa's lock store, which only lives as long as the servers using it.
"""
import shutil
from pathlib import Path
from typing import Optional

import redis

from bench.servers import LoopbackServer

BINARY = "/usr/bin/redis-server"


def binary() -> Optional[str]:
    return shutil.which("redis-server") or (BINARY if Path(BINARY).exists() else None)


class RedisServer(LoopbackServer):
    name = "redis-server"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=2)

    def log(self) -> str:
        path = self.dir / "redis.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def start(self, timeout: float = 10) -> "RedisServer":
        client = self.client()

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        try:
            self._launch([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                          "no", "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log"), "--daemonize", "no"],
                         answers, timeout)
        finally:
            client.close()
        return self
