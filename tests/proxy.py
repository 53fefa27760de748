"""A TCP proxy on 127.0.0.1 that can cut a connection after N bytes from the server.

Put it between the code under test and Dovecot to drop the link in the middle
of a FETCH: `CuttingProxy(upstream_port, cut_after=N)` forwards everything
both ways and, once N bytes have come from the server on a connection, shuts
both sockets without a goodbye, as a NAT timeout or a crashed server does.
`cut_after=None` forwards without cutting. One thread per direction per
connection; `stop()` closes every socket and joins every thread.

`ImapAnsweringProxy` reads the client's IMAP commands and answers some in the
server's place: `refuse_appends = N` answers the next N APPENDs with NO, and
`courier_read_only = True` refuses, as Courier-IMAP does, an APPEND to the
folder the same connection has EXAMINEd (`NO Current box is selected
READ-ONLY.`). Every refusal is counted in `refused`.
"""

from __future__ import annotations

import re
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
            pumps = (
                (self._from_client, (client, server)),
                (self._pump, (server, client, budget, client, server)),
            )
            for target, args in pumps:
                thread = threading.Thread(target=target, args=args)
                thread.daemon = True
                with self._lock:
                    self._threads.append(thread)
                thread.start()

    def _from_client(self, client: socket.socket, server: socket.socket) -> None:
        self._pump(client, server, None, client, server)

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


# "A7 APPEND "INBOX.Sent" (\\Seen) {312}": the tag, the command, its first argument.
_COMMAND = re.compile(rb'^(\S+) ([A-Za-z]+)(?: ("(?:[^"\\]|\\.)*"|[^\s(]+))?')
_LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
READ_ONLY_REFUSAL = b"NO Current box is selected READ-ONLY."


class ImapAnsweringProxy(CuttingProxy):
    """Forwards IMAP both ways, answering some APPENDs with NO itself (see the module doc)."""

    def __init__(self, upstream_port: int) -> None:
        self.refuse_appends = 0
        self.courier_read_only = False
        self.refused = 0
        super().__init__(upstream_port)

    def _refusal(self, line: bytes, examined: list[bytes | None]) -> bytes | None:
        match = _COMMAND.match(line)
        if not match:
            return None
        tag, command, folder = match.group(1), match.group(2).upper(), match.group(3)
        if command == b"EXAMINE":
            examined[0] = folder
        elif command in (b"SELECT", b"UNSELECT", b"CLOSE"):
            examined[0] = None
        elif command == b"APPEND":
            with self._lock:
                if self.courier_read_only and folder is not None and folder == examined[0]:
                    self.refused += 1
                    return tag + b" " + READ_ONLY_REFUSAL + b"\r\n"
                if self.refuse_appends > 0:
                    self.refuse_appends -= 1
                    self.refused += 1
                    return tag + b" " + READ_ONLY_REFUSAL + b"\r\n"
        return None

    def _from_client(self, client: socket.socket, server: socket.socket) -> None:
        """Command lines one by one; literals (the message an APPEND carries) pass as they are.

        A refused APPEND never reaches the server: its literal is synchronising
        (imaplib waits for "+"), so the client sends no message after the NO.
        """
        pending = b""
        literal = 0  # bytes of a literal still to pass
        continuing = False  # the next line goes on a command, not a new one
        examined: list[bytes | None] = [None]
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                pending += data
                while pending:
                    if literal:
                        chunk, pending = pending[:literal], pending[literal:]
                        literal -= len(chunk)
                        server.sendall(chunk)
                        continue
                    end = pending.find(b"\r\n")
                    if end < 0:
                        break
                    line, pending = pending[: end + 2], pending[end + 2 :]
                    if not continuing:
                        answer = self._refusal(line, examined)
                        if answer is not None:
                            client.sendall(answer)
                            continue
                    server.sendall(line)
                    size = _LITERAL.search(line)
                    literal, continuing = (int(size.group(1)), True) if size else (0, False)
        except OSError:
            pass
        finally:
            for sock in (client, server):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    sock.close()
