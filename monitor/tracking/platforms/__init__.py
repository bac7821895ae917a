"""Desktop backends behind one small interface; ``open_platform`` picks and imports one lazily."""

from monitor.tracking.platforms.base import ActiveWindow, Platform
from monitor.tracking.platforms.factory import detect_backend, open_platform

__all__ = ["ActiveWindow", "Platform", "detect_backend", "open_platform"]
