"""A TCP relay between the app and a server (PostgreSQL, Redis) that a test can freeze: the
bytes stop flowing and no connection is closed, as with a hung server or a network that drops
packets (the kernels on both sides still take the bytes, so TCP notices nothing)."""

import contextlib
import select
import socket
import threading
from collections.abc import Iterator


class Relay:
    """Forwards every connection made to 127.0.0.1:`port` to `host`:`target`.

    freeze() holds every byte, each way, of every connection, old or new, until thaw().
    freeze_answers_after(marker) lets a connection's bytes flow until the client sends
    `marker`, forwards that, and then holds every answer on that connection for good (other
    connections flow): a request whose answer is lost after the server acted on it. The
    marker holds one connection only."""

    POLL_SECONDS = 0.02  # how soon a pump notices a freeze or the end

    def __init__(self, host: str, target: int) -> None:
        self.host = host
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = threading.Event()
        self._marker: bytes | None = None
        self.markers_seen = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    def freeze_answers_after(self, marker: bytes) -> None:
        self._marker = marker

    def close(self) -> None:
        self._closed.set()
        self._flowing.set()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection((self.host, self.target))
            except OSError:  # the server is not there: neither is the relay's connection
                client.close()
                continue
            self._sockets += [client, server]
            answers_held = threading.Event()
            threading.Thread(
                target=self._pump, args=(client, server, answers_held, True), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(server, client, answers_held, False), daemon=True
            ).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, answers_held: threading.Event, ask: bool
    ) -> None:
        while not self._closed.is_set():
            try:
                readable, _, _ = select.select([source], [], [], self.POLL_SECONDS)
                if not self._flowing.is_set() or not readable:
                    # Frozen: nothing read (the kernel's buffers fill), nothing closed.
                    self._closed.wait(self.POLL_SECONDS)
                    continue
                data = source.recv(65536)
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                if ask and self._marker is not None and self._marker in data:
                    self._marker = None
                    answers_held.set()  # before the server can answer
                    self.markers_seen.set()
                # Read while it froze, or an answer held: sent once it thaws, or never.
                while not self._closed.is_set() and (
                    not self._flowing.is_set() or (answers_held.is_set() and not ask)
                ):
                    self._closed.wait(self.POLL_SECONDS)
                sink.sendall(data)
            except OSError:
                return


@contextlib.contextmanager
def relay_to(host: str, target: int) -> Iterator[Relay]:
    relay = Relay(host, target)
    try:
        yield relay
    finally:
        relay.close()
