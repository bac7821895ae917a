"""Desktop notifications: desktop-notifier with buttons, plyer as the plain fallback, the log last.

desktop-notifier is asynchronous: its event loop runs on one background thread for the
daemon's life, so button presses, body clicks and replies arrive while the daemon samples.
Sending never raises: a missing notification service degrades to plyer, then to the log,
and the caller learns which way it went (``Delivery``), so a notice that reached only the
log can be recorded as missed and summed up once the service is back (``service_present``).
On Linux the D-Bus backend can replace a notice still on screen (monitor.nudge.dbus_notify).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.vocabulary import CLICK, DELIVERED_DESKTOP, DELIVERED_LOG, DELIVERED_PLAIN
from monitor.nudge.notice import STAYS, Delivery, Notice, NoticeHandle

if TYPE_CHECKING:  # asyncio (and ssl with it) is imported on the first notification only
    import asyncio

log = logging.getLogger(__name__)

APP_NAME = "unscroll"
APP_ICON = Path(__file__).resolve().parent.parent / "assets" / "unscroll.png"
SEND_TIMEOUT = 10.0
NOTIFY_SEND_ITSELF: bool = sys.platform.startswith("linux")
"""Run notify-send directly for the plain fallback (plyer ignores its failures)."""
REPLACING_BACKEND: bool = sys.platform.startswith("linux")
"""Use monitor.nudge.dbus_notify (replaces_id, handles) rather than desktop-notifier's own."""


class DeliveryError(Exception):
    """A notification backend could not deliver."""


class Notifier:
    """Sends Notices; the first backend that works wins, each failure is logged once."""

    def __init__(self, app_name: str = APP_NAME) -> None:
        """Prepare (lazily) to notify as ``app_name``."""
        self.app_name = app_name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._notifier: Any = None
        self._lock = threading.Lock()
        self._rich_failing = False
        self._plain_failing = False
        self._worker: ThreadPoolExecutor | None = None

    # --- the event loop thread ------------------------------------------------------------
    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                import asyncio  # noqa: PLC0415 - keeps the daemon small until it notifies

                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="unscroll-notify", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def _run(self, coroutine: Any) -> Any:
        import asyncio  # noqa: PLC0415 - see _ensure_loop

        future = asyncio.run_coroutine_threadsafe(coroutine, self._ensure_loop())
        try:
            return future.result(timeout=SEND_TIMEOUT)
        except TimeoutError:
            future.cancel()
            raise DeliveryError(f"no answer within {SEND_TIMEOUT:g} s") from None

    # --- sending --------------------------------------------------------------------------
    def send(self, notice: Notice) -> str:
        """Deliver ``notice``; return which way it went: "desktop", "plain" or "log"."""
        return self.deliver(notice).way

    def deliver(self, notice: Notice, *, log_if_unshown: bool = True) -> Delivery:
        """Deliver ``notice``; say which way it went (``DELIVERED_*``) and, if known, its handle.

        With neither backend working the notice goes to the log (``DELIVERED_LOG``);
        ``log_if_unshown`` False leaves even that out (for a retry that would repeat itself).
        """
        try:
            handle = self._send_rich(notice)
        except Exception as exc:
            self._notifier = None  # a fresh connection next time: the bus may have restarted
            if not self._rich_failing:
                log.warning("desktop notifications unavailable (%s); trying the plain fallback", exc)
                self._rich_failing = True
        else:
            if self._rich_failing:
                log.info("desktop notifications work again")
                self._rich_failing = False
            return Delivery(DELIVERED_DESKTOP, handle)
        try:
            self._send_plain(notice)
        except Exception as exc:
            if not self._plain_failing:
                log.warning("plain notifications unavailable too (%s); logging notices instead", exc)
                self._plain_failing = True
        else:
            self._plain_failing = False
            return Delivery(DELIVERED_PLAIN)
        if log_if_unshown:
            log.warning("notice: %s: %s", notice.title, notice.body)
        return Delivery(DELIVERED_LOG)

    def service_present(self) -> bool:
        """True when a notification service is there to show a notice now, as far as can be told.

        On Linux: something owns org.freedesktop.Notifications on the session bus. Elsewhere
        the platform's service cannot be asked, and is taken to be there.
        """
        if not REPLACING_BACKEND:
            return True
        from monitor.nudge.dbus_notify import service_present  # noqa: PLC0415 - Linux only

        try:
            return bool(self._run(service_present()))
        except DeliveryError:
            return False

    def _send_rich(self, notice: Notice) -> NoticeHandle | None:
        from desktop_notifier import Button, DesktopNotifier, Icon, Notification, ReplyField  # noqa: PLC0415

        def pressed(key: str) -> Callable[[], None]:
            return lambda: self._dispatch(notice.on_action, key)

        buttons = tuple(Button(title=label, on_pressed=pressed(key)) for label, key in notice.buttons)
        reply = None
        if notice.on_reply is not None:
            on_reply = notice.on_reply
            reply = ReplyField(title=notice.reply_label, button_title="Save",
                               on_replied=lambda text: self._dispatch(on_reply, text))

        dispatched: list[bool] = []
        notification = Notification(
            title=notice.title, message=notice.body, buttons=buttons, reply_field=reply,
            on_clicked=pressed(CLICK) if notice.on_action else None,
            on_dispatched=lambda: dispatched.append(True), timeout=notice.timeout_s,
        )

        async def deliver() -> NoticeHandle | None:
            handle = None
            if REPLACING_BACKEND:
                from monitor.nudge.dbus_notify import ReplacingDBusNotifier  # noqa: PLC0415

                if self._notifier is None:
                    self._notifier = ReplacingDBusNotifier(self.app_name, Icon(path=APP_ICON))
                handle = await self._notifier.send_replacing(notification, notice.replaces)
            else:
                if self._notifier is None:
                    self._notifier = DesktopNotifier(app_name=self.app_name, app_icon=Icon(path=APP_ICON))
                await self._notifier.send_notification(notification)
            if not dispatched:  # desktop-notifier logs a failure and returns as if all went well
                raise DeliveryError("the notification service did not take the notice")
            return handle

        result: NoticeHandle | None = self._run(deliver())
        return result

    def _send_plain(self, notice: Notice) -> None:
        if NOTIFY_SEND_ITSELF:
            # plyer runs notify-send here (without python-dbus) and ignores its exit code, so
            # with the notification service gone a notice vanished instead of reaching the log
            self._send_notify_send(notice)
            return
        from plyer import notification  # noqa: PLC0415

        if notification is None:
            raise DeliveryError("plyer has no notification backend here")
        notification.notify(title=notice.title, message=notice.body, app_name=self.app_name,
                            timeout=10)

    def _send_notify_send(self, notice: Notice) -> None:
        try:
            stays = ["--expire-time=0"] if notice.timeout_s == STAYS else []
            subprocess.run(["notify-send", "-a", self.app_name, *stays, "--", notice.title, notice.body],
                           check=True, capture_output=True, timeout=SEND_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as exc:
            raise DeliveryError(f"notify-send failed: {exc}") from None

    def _dispatch(self, handler: Callable[[str], None] | None, value: str) -> None:
        """Run a button or reply handler on the worker thread, never on the event loop.

        A handler may send a notice itself ("Someone else"), which waits on the loop:
        run on the loop, it would wait on itself forever.
        """
        if handler is None:
            return

        def run() -> None:
            try:
                handler(value)
            except Exception:
                log.exception("handling a notification action failed")

        with self._lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unscroll-action")
            worker = self._worker
        worker.submit(run)

    def close(self) -> None:
        """Stop the event loop thread."""
        with self._lock:
            loop, thread, worker = self._loop, self._thread, self._worker
            self._loop = self._thread = self._worker = None
        if worker is not None:
            worker.shutdown(wait=True)
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()
