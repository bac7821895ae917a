"""The one factory that picks the media backend for this system, importing it only then."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from monitor.tracking.media.base import MediaSource


def open_media(*, clock: Callable[[], float] = time.time) -> MediaSource:
    """The media source of this system: CoreAudio (macOS), GSMTC (Windows), else MPRIS (D-Bus).

    Opening never fails: a source that cannot see players says why in its ``problem``.
    """
    source: MediaSource
    if sys.platform == "darwin":
        from monitor.tracking.media.coreaudio import CoreAudioSource  # noqa: PLC0415 - lazy by design

        source = CoreAudioSource(clock=clock)
    elif sys.platform == "win32":
        from monitor.tracking.media.gsmtc import GsmtcSource  # noqa: PLC0415

        source = GsmtcSource(clock=clock)
    else:
        from monitor.tracking.media.mpris import MprisSource  # noqa: PLC0415

        source = MprisSource(clock=clock)
    return source
