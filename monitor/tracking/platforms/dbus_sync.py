"""Blocking D-Bus method calls on the session bus, with dbus-fast on a private event loop thread.

The daemon samples from worker threads that have no event loop; this wrapper runs one
asyncio loop in its own thread (as ``monitor.nudge.notify`` does) and waits for each reply
with a deadline, so a bus that does not answer cannot hang the sampler. Messages sent
to this connection (calls from another program, subscribed signals) go to handlers
that run on that loop thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from monitor.core.errors import PlatformUnavailable

if TYPE_CHECKING:
    from dbus_fast import Message

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0


class DBusCallFailed(Exception):
    """The bus delivered an error reply (no such name, object, method; or the method failed)."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(f"{name}: {text}" if text else name)
        self.name = name
        self.text = text


class SessionBus:
    """A lazily opened connection to one D-Bus bus (``address`` None: the session bus)."""

    def __init__(self, address: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.address = address
        self.timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bus: Any = None

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            loop.set_exception_handler(_quiet_about_lost_connections)
            thread = threading.Thread(target=loop.run_forever, name="unscroll-dbus", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=self.timeout)
        except (TimeoutError, concurrent.futures.TimeoutError):
            future.cancel()
            raise PlatformUnavailable(
                f"the D-Bus session bus did not answer within {self.timeout:g} s") from None

    def _connected(self) -> Any:
        if self._bus is None or not self._bus.connected:
            from dbus_fast.aio import MessageBus  # noqa: PLC0415 - Linux only, loaded on use

            async def connect() -> Any:
                return await MessageBus(bus_address=self.address).connect()

            try:
                self._bus = self._run(connect())
            except PlatformUnavailable:
                raise
            except Exception as err:
                raise PlatformUnavailable(f"cannot connect to the D-Bus session bus: {err}") from err
        return self._bus

    def call(self, destination: str, path: str, interface: str, member: str,
             signature: str = "", body: Sequence[Any] = ()) -> list[Any]:
        """Call a method and return its reply's body; DBusCallFailed on an error reply."""
        from dbus_fast import Message, MessageType  # noqa: PLC0415

        with self._lock:
            bus = self._connected()
            message = Message(destination=destination, path=path, interface=interface,
                              member=member, signature=signature, body=list(body))
            try:
                reply = self._run(bus.call(message))
            except PlatformUnavailable:
                raise
            except Exception as err:  # the connection broke mid-call
                self._drop()
                raise PlatformUnavailable(f"lost the D-Bus session bus: {err}") from err
        if reply.message_type == MessageType.ERROR:
            text = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
            raise DBusCallFailed(reply.error_name or "unknown error", text)
        return list(reply.body)

    @property
    def connected(self) -> bool:
        """True while the connection is open (a lost one is opened again by the next call)."""
        return self._bus is not None and bool(self._bus.connected)

    def unique_name(self) -> str:
        """The unique bus name of this connection (``:1.42``), connecting first if needed."""
        with self._lock:
            name: str = self._connected().unique_name
        return name

    def add_handler(self, handler: Callable[[Message], Message | bool | None]) -> None:
        """Pass every incoming message to ``handler`` (on the loop thread).

        As in dbus-fast, a handler returns a reply Message, True (handled, no reply) or
        None (not handled). Handlers are lost with the connection.
        """
        with self._lock:
            bus = self._connected()

            async def add() -> None:
                bus.add_message_handler(handler)

            self._run(add())

    def add_match(self, rule: str) -> None:
        """Ask the bus to send this connection the signals that match ``rule``."""
        self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                  "AddMatch", "s", [rule])

    def methods(self, destination: str, path: str) -> dict[str, set[str]]:
        """The interfaces of one object and their method names, from its introspection data."""
        from dbus_fast.introspection import Node  # noqa: PLC0415

        [xml] = self.call(destination, path, "org.freedesktop.DBus.Introspectable", "Introspect")
        node = Node.parse(xml)
        return {iface.name: {method.name for method in iface.methods} for iface in node.interfaces}

    def _drop(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(bus.disconnect)

    def close(self) -> None:
        """Disconnect and end the loop thread."""
        with self._lock:
            self._drop()
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(2.0)
        if loop is not None and not loop.is_running():
            loop.close()


def _quiet_about_lost_connections(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's handler of errors nobody asked for: a lost connection's is logged at debug.

    dbus-fast keeps a lost connection's error for ``wait_for_disconnect()``, which nothing
    here awaits: the next call reports the bus gone. Unasked, asyncio would print it with a
    traceback ("Future exception was never retrieved") when the connection is collected.
    """
    error = context.get("exception")
    if isinstance(error, EOFError | OSError):
        log.debug("the D-Bus connection ended: %r", error)
        return
    loop.default_exception_handler(context)
