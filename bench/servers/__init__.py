"""Throwaway servers on loopback, from Debian's packages, for the benchmarks and the tests:
PostgreSQL, Redis and nginx (started and removed by the caller)."""
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Optional


class LoopbackServer:
    """A server process on 127.0.0.1 with a throwaway folder of its own, which ``stop()`` removes."""

    name = "server"

    def __init__(self, binary: str, port: int):
        self.binary, self.port = binary, port
        self.dir = Path(tempfile.mkdtemp(prefix=f"{self.name}-"))
        self.process: Optional[subprocess.Popen] = None

    def log(self) -> str:
        """The end of the server's log, for an error message."""
        return ""

    def _launch(self, args: List[str], ready: Callable[[], bool], timeout: float) -> None:
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            if ready():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} not answering on port {self.port} after {timeout} s:\n{self.log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: both exit at once (Redis has nothing to save)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
