"""Throwaway real services for tests: a PostgreSQL cluster and nginx, on loopback ports in temporary folders.

Both come from Debian packages installed by `make service-deps` (part of `make test`). PostgreSQL refuses to run
as root, and tests run as root on CI: the cluster's folder is then handed to the `postgres` user and initdb /
pg_ctl run as that user (runuser). Nothing here touches a system cluster or the system nginx.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO / "deploy" / "nginx" / "zone-atlas.conf"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """Debian keeps the server programs in /usr/lib/postgresql/<major>/bin (not on PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class PostgresCluster:
    """One `initdb` cluster listening on 127.0.0.1:<port> (trust auth, loopback only), database `zone_atlas`."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/zone_atlas"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(_as_postgres([str(postgres_bin() / args[0]), *args[1:]]), check=check,
                              capture_output=True, text=True, timeout=120)

    @classmethod
    def create(cls) -> PostgresCluster:
        folder = Path(tempfile.mkdtemp(prefix="zone-atlas-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, free_port())
        cluster._run("initdb", "-D", str(cluster.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8", "--no-sync")
        cluster.start()
        cluster._run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "zone_atlas")
        return cluster

    def start(self) -> None:
        # fsync off: the tests kill processes, not the machine; durability across power loss is PostgreSQL's own
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder} " \
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w",
                  "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def sql(self, statement: str) -> str:
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "zone_atlas",
                         "-At", "-c", statement).stdout.strip()

    def reset(self) -> None:
        """An empty database again (schema dropped), for a test that starts from nothing."""
        self.sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class Nginx:
    """nginx in the foreground with deploy/nginx/zone-atlas.conf, its upstreams and port replaced."""

    folder: Path
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, upstream_ports: list[int]) -> Nginx:
        folder = Path(tempfile.mkdtemp(prefix="zone-atlas-nginx-"))
        os.chmod(folder, 0o777)  # worker processes (user nobody when started as root) write request bodies here
        port = free_port()
        site = render_site(NGINX_CONF.read_text(encoding="utf-8"), port, upstream_ports)
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n  log_format za '$cookie_za_replica $upstream_addr \"$request\" $status';\n"
            f"  access_log {folder}/access.log za;\n  client_body_temp_path {folder}/body;\n"
            f"  proxy_temp_path {folder}/proxy;\n  fastcgi_temp_path {folder}/fastcgi;\n"
            f"  uwsgi_temp_path {folder}/uwsgi;\n  scgi_temp_path {folder}/scgi;\n{site}\n}}\n", encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proc = subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                                stdout=subprocess.DEVNULL, stderr=(folder / "stderr.log").open("wb"),
                                start_new_session=True)
        server = cls(folder, port, proc)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {server.log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return server
            except OSError:
                time.sleep(0.1)  # polling while nginx binds its port
        server.stop()
        raise TimeoutError(f"nginx did not listen on {port}: {server.log()}")

    def access(self) -> list[tuple[str, str, str]]:
        """(cookie key, upstream address(es) tried, request line) for every request so far."""
        out = []
        for line in (self.folder / "access.log").read_text(errors="replace").splitlines():
            key, rest = line.split(" ", 1)
            upstream, request = rest.split(' "', 1)  # upstream: "a" or "a, b" (a failed, then b)
            out.append((key, upstream, request.rsplit(" ", 1)[0].rstrip('"')))
        return out

    def replica_for(self, key: str) -> str:
        """The replica (127.0.0.1:port) that a browser holding cookie za_replica=key is sent to; "a, b" when a
        refused and b answered."""
        import urllib.request

        req = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"za_replica={key}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.headers["X-Zone-Atlas-Replica"]

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in (self.folder / "stderr.log", self.folder / "error.log")
                         if p.exists())

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        if os.environ.get("ZONE_ATLAS_KEEP_NGINX_LOGS"):
            print(f"nginx logs kept in {self.folder}")
            return
        shutil.rmtree(self.folder, ignore_errors=True)


def render_site(conf: str, port: int, upstream_ports: list[int]) -> str:
    """deploy/nginx/zone-atlas.conf with `listen` and the upstream `server` lines set for this test."""
    lines, servers_done = [], False
    for line in conf.splitlines():
        stripped = line.strip()
        if stripped.startswith("server 127.0.0.1:"):
            if not servers_done:
                options = stripped.split(" ", 2)[2] if stripped.count(" ") >= 2 else ";"
                lines += [f"    server 127.0.0.1:{p} {options}" for p in upstream_ports]
                servers_done = True
            continue
        if stripped.startswith("listen "):
            line = f"    listen 127.0.0.1:{port};"
        lines.append(line)
    return "\n".join(lines)
