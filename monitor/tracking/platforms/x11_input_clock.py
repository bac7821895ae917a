"""Idle time where the X server has no MIT-SCREEN-SAVER extension: pynput's input listeners.

pynput is optional: nearly every X server has the extension, and pynput asks for evdev,
which is compiled from source. On X11 it needs only python-xlib, so
``pip install --no-deps pynput`` in unscroll's environment is enough.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from monitor.core.errors import PlatformUnavailable

log = logging.getLogger(__name__)

_env_lock = threading.Lock()


class InputClock:
    """Time of the last keyboard or mouse input, from pynput listeners (no XScreenSaver)."""

    def __init__(self, display_name: str | None, label: str, timeout: float) -> None:
        self._last = time.monotonic()
        self._listeners: list[Any] = []
        self._start(display_name, label, timeout)

    def _touch(self, *args: Any) -> None:
        self._last = time.monotonic()

    def _start(self, display_name: str | None, label: str, timeout: float) -> None:
        # pynput connects to the display named by $DISPLAY, at import and in each listener
        # thread; point it at ours for as long as that takes.
        with _env_lock:
            saved = os.environ.get("DISPLAY")
            if display_name:
                os.environ["DISPLAY"] = display_name
            try:
                from pynput import keyboard, mouse  # noqa: PLC0415 - connects at import

                self._listeners = [
                    mouse.Listener(on_move=self._touch, on_click=self._touch,
                                   on_scroll=self._touch),
                    keyboard.Listener(on_press=self._touch, on_release=self._touch),
                ]
                for listener in self._listeners:
                    listener.start()
                for listener in self._listeners:
                    waiter = threading.Thread(target=listener.wait, daemon=True)
                    waiter.start()
                    waiter.join(timeout)
                    if waiter.is_alive() or not listener.is_alive():
                        raise RuntimeError("the input listener did not start")
            except ImportError as err:
                raise PlatformUnavailable(
                    f"cannot measure idle time on X display {label}: the server has no "
                    "MIT-SCREEN-SAVER extension, and pynput, which can listen for input instead, "
                    "is not installed; install it into unscroll's environment with "
                    "`pip install --no-deps pynput`"
                ) from err
            except Exception as err:
                self.stop()
                raise PlatformUnavailable(
                    f"cannot measure idle time on X display {label}: the server has no "
                    f"MIT-SCREEN-SAVER extension and pynput could not listen for input ({err})"
                ) from err
            finally:
                if saved is None:
                    os.environ.pop("DISPLAY", None)
                else:
                    os.environ["DISPLAY"] = saved
        self._last = time.monotonic()

    def idle_seconds(self) -> float:
        """Seconds since the listeners last saw input."""
        return max(0.0, time.monotonic() - self._last)

    def stop(self, timeout: float = 2.0) -> None:
        """End the listeners' threads (waiting up to ``timeout`` for each)."""
        for listener in self._listeners:
            try:
                listener.stop()
                # pynput queues its "disable recording" on the connection its thread is
                # blocked reading, so it would only go out with the next input event. Send it
                # on the listener's second connection as well so that the thread ends now.
                stopper = getattr(listener, "_display_stop", None)
                context = getattr(listener, "_context", None)
                if stopper is not None and context is not None:
                    stopper.record_disable_context(context)
                    stopper.flush()
            except Exception:  # a dead listener must not fail close()
                log.debug("stopping a pynput listener failed", exc_info=True)
        for listener in self._listeners:
            listener.join(timeout)
        self._listeners = []
