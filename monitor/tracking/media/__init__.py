"""Playing media, so that watching is not taken for being away (one interface, one lazy factory).

``factory.open_media`` picks the backend for this system: MPRIS on the D-Bus session bus
(Linux), the Global System Media Transport Controls (Windows), CoreAudio's per-process
output (macOS). ``focus.playback_for`` decides whether the focused window is the one
playing. Nothing is imported here: the daemon loads these modules the first time the
person is idle, so a day spent at the keys costs no memory for them.
"""
