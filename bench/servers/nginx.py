"""A throwaway nginx on loopback, from Debian's `nginx` package.

The caller gives what goes inside the ``http {}`` block (upstreams, a
``server`` listening on ``127.0.0.1:{port}``); everything nginx writes (pid file,
logs, temporary files) goes to the server's own temporary folder, never to
/var/log/nginx or /var/lib/nginx, so it runs as any user.
"""
import os
import shutil
import socket
from pathlib import Path
from typing import Optional

from bench.servers import LoopbackServer

BINARY = "/usr/sbin/nginx"

# $upstream_addr lists every server a request was passed to ("A, B" when nginx
# retried it on the next one): the tests read it to see failover happen.
LOG_FORMAT = ("log_format upstreams '$msec $request $status upstream=$upstream_addr upstream_status=$upstream_status"
              " upstream_time=$upstream_response_time';")


def binary() -> Optional[str]:
    # /usr/sbin is often not on a non-root user's PATH.
    return shutil.which("nginx") or (BINARY if Path(BINARY).exists() else None)


class NginxServer(LoopbackServer):
    name = "nginx"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.dir / "access.log"

    def config(self, http: str) -> str:
        d = self.dir
        # As root, nginx's workers switch to user nobody, who cannot enter this
        # folder (mkdtemp makes it 0700): a request body bigger than the buffer
        # (Rasa's action calls carry the whole conversation) then fails with 500.
        # Workers that stay root work wherever the folder is.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return f"""{user}daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    {LOG_FORMAT}
    access_log {d}/access.log upstreams;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{http}
}}
"""

    def start(self, http: str, timeout: float = 10) -> "NginxServer":
        """Starts nginx with ``http`` as the body of its ``http {}`` block."""
        conf = self.dir / "nginx.conf"
        conf.write_text(self.config(http), encoding="utf-8")

        def listens() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return True
            except OSError:
                return False

        # -e: the error log before the configuration is read, else /var/log/nginx (not writable by everyone).
        self._launch([self.binary, "-c", str(conf), "-p", str(self.dir), "-e", str(self.dir / "error.log")],
                     listens, timeout)
        return self

    def keep_logs(self, directory: Path) -> None:
        """Copies the access and error logs to ``directory`` (stop() removes the server's folder)."""
        for name in ("access.log", "error.log"):
            if (self.dir / name).exists():
                shutil.copy(self.dir / name, directory / f"nginx-{name}")

    def log(self) -> str:
        path = self.dir / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
