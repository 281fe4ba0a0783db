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
from typing import List, Optional

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


def assistant_proxy(port: int, rasa_ports: List[int], action_ports: List[int]) -> str:
    """nginx in front of several Rasa servers (REST, socket.io) and action servers (/actions/)."""
    def servers(ports):
        # After a failed attempt a server is skipped for fail_timeout, then tried again.
        return "".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in ports)

    return f"""
    upstream rasa {{
{servers(rasa_ports)}    }}
    # socket.io's long-polling transport sends one connection's requests one after
    # another, and only the server that made the connection knows it: sticky by
    # client address. A WebSocket (what the widget tries first) is one connection
    # that stays where it is, so those are spread over all servers.
    # (A server going down moves its clients to another one; they reconnect and,
    # with session persistence, continue their conversation.)
    upstream rasa_polling {{
        hash $remote_addr consistent;
{servers(rasa_ports)}    }}
    map $http_upgrade $socketio_upstream {{
        default rasa_polling;
        ~*websocket rasa;
    }}
    upstream actions {{
{servers(action_ports)}    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    server {{
        listen 127.0.0.1:{port};
        # A server that is down refuses at once on loopback; across a network an
        # unreachable one would hold each request this long before the next is tried.
        proxy_connect_timeout 1s;

        location / {{
            proxy_pass http://rasa;
            # A turn is a POST, which nginx retries on the other server only with
            # non_idempotent. Retrying a turn is safe: Rasa saves a turn's events only
            # when the turn is done, so a turn cut off by a dying server left nothing
            # behind, and the other server runs it again from the stored conversation
            # (after waiting for the dead server's lock to expire, TICKET_LOCK_LIFETIME).
            # proxy_read_timeout (60 s) must stay above a turn's longest run (lock
            # wait plus action timeout): "timeout" would run a slow turn twice.
            proxy_next_upstream error timeout non_idempotent;
        }}
        location /socket.io/ {{
            proxy_pass http://$socketio_upstream;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location /actions/ {{
            # /actions/webhook -> /webhook. No non_idempotent here: an action can
            # have side effects (a callback request saved), so a call an action
            # server may have received is not sent again; one it refused is.
            proxy_pass http://actions/;
            proxy_next_upstream error timeout;
        }}
    }}
"""
