"""A TCP proxy on 127.0.0.1 that can cut a connection after N bytes from the server.

Put it between the code under test and Dovecot to drop the link in the middle
of a FETCH: `CuttingProxy(upstream_port, cut_after=N)` forwards everything
both ways and, once N bytes have come from the server on a connection, shuts
both sockets without a goodbye, as a NAT timeout or a crashed server does.
`cut_after=None` forwards without cutting. One thread per direction per
connection; `stop()` closes every socket and joins every thread.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress

from tests.servers import LOOPBACK


class CuttingProxy:
    def __init__(self, upstream_port: int, *, cut_after: int | None = None) -> None:
        self.upstream_port = upstream_port
        self.cut_after = cut_after
        self.cuts = 0  # connections cut so far
        self._listener = socket.create_server((LOOPBACK, 0))
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._stopping = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._accept_thread = threading.Thread(target=self._accept, daemon=True)
        self._accept_thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection((LOOPBACK, self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
                budget = [self.cut_after]
            for args in ((client, server, None), (server, client, budget)):
                thread = threading.Thread(target=self._pump, args=(*args, client, server))
                thread.daemon = True
                with self._lock:
                    self._threads.append(thread)
                thread.start()

    def _pump(
        self,
        src: socket.socket,
        dst: socket.socket,
        budget: list[int | None] | None,
        client: socket.socket,
        server: socket.socket,
    ) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if budget is not None and budget[0] is not None:
                    if len(data) >= budget[0]:
                        dst.sendall(data[: budget[0]])
                        with self._lock:
                            self.cuts += 1
                        break
                    budget[0] -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, server):
                # shutdown first: close() alone would not wake the other pump's recv.
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    sock.close()

    def stop(self) -> None:
        self._stopping.set()
        with suppress(OSError):
            self._listener.close()
        self._accept_thread.join(timeout=5)
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> CuttingProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
