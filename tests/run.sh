#!/usr/bin/env bash
# Install everything the test suite needs and run all of it: ruff, mypy, pytest.
# This is the README's test command; .ci/run calls it.
#   bash tests/run.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

system_packages=(xvfb openbox xdotool x11-utils dbus dbus-x11 dunst libnotify-bin xterm imagemagick
                 fonts-dejavu-core sway foot kwin-wayland weston mpv mpv-mpris playerctl
                 gnome-shell gjs dconf-service libegl-mesa0 libgl1-mesa-dri
                 waybar grim systemd syncthing)
missing=()
for tool in Xvfb openbox xdotool xprop dbus-daemon dbus-monitor dunst dunstctl notify-send xterm import \
            sway swaymsg foot kwin_wayland weston-image mpv playerctl gnome-shell gjs gsettings gdbus \
            waybar grim busctl syncthing; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -e /etc/mpv/scripts/mpris.so ] || missing+=("mpv-mpris")
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing the desktop test stack (missing: ${missing[*]})"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${system_packages[@]}" >/dev/null
    else
        echo "The tests need: ${missing[*]}. Install them with:" >&2
        echo "  sudo apt-get install ${system_packages[*]}" >&2
        exit 1
    fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
echo "== installing unscroll and its test tools into .venv"
# pynput (the idle fallback on X servers without XScreenSaver, tested too) without evdev:
# its X11 backend needs python-xlib only, and evdev would need a C compiler
if ! { .venv/bin/python -m pip install -q -e '.[test]' && .venv/bin/python -m pip install -q --no-deps 'pynput>=1.7'; } \
        >.venv/install.log 2>&1; then
    cat .venv/install.log >&2
    exit 1
fi

echo "== ruff"; .venv/bin/ruff check .
echo "== mypy (linux, darwin, win32)"; .venv/bin/mypy && .venv/bin/mypy --platform darwin && .venv/bin/mypy --platform win32
# Three test files at a time (pytest-xdist): the desktop and fault tests mostly wait on clocks
# and sessions, so pytest takes about 8 minutes on two cores, not 19. A file stays on one
# worker, in order (its module-scoped sessions and daemons serve its tests one after another).
# UNSCROLL_TEST_WORKERS sets another number; given -n 0, pytest runs one test at a time.
echo "== pytest"; .venv/bin/python -m pytest -n "${UNSCROLL_TEST_WORKERS:-3}" --dist loadfile "$@"
