// A test helper for unscroll's tests on a real headless GNOME Shell 43: what a person
// does with the mouse (focus a window, move the pointer), asked for over the session bus.
// GNOME 43 starts in the overview, where new windows do not take the focus: leave it.
'use strict';

const {Clutter, Gio, GLib} = imports.gi;
const Main = imports.ui.main;

const IFACE = `<node><interface name="org.unscroll.TestHelper">
  <method name="Activate"><arg type="s" direction="in" name="title"/><arg type="s" direction="out" name="focused"/></method>
  <method name="Focused"><arg type="s" direction="out" name="title"/></method>
  <method name="Shows"><arg type="s" direction="in" name="title"/><arg type="b" direction="out" name="shown"/></method>
  <method name="Minimised"><arg type="s" direction="in" name="title"/><arg type="b" direction="out" name="minimised"/></method>
  <method name="MovePointer"/>
  <property name="Ready" type="b" access="read"/>
</interface></node>`;

class TestHelper {
    enable() {
        this._dbus = Gio.DBusExportedObject.wrapJSObject(IFACE, this);
        this._dbus.export(Gio.DBus.session, '/org/unscroll/TestHelper');
        this._pointer = Clutter.get_default_backend().get_default_seat()
            .create_virtual_device(Clutter.InputDeviceType.POINTER_DEVICE);
        if (Main.layoutManager._startingUp)
            this._started = Main.layoutManager.connect('startup-complete', () => Main.overview.hide());
        else
            Main.overview.hide();
    }

    disable() {
        if (this._started)
            Main.layoutManager.disconnect(this._started);
        this._dbus.unexport();
    }

    get Ready() {
        return !Main.layoutManager._startingUp && !Main.overview.visible;
    }

    _find(title) {
        return global.get_window_actors().map(actor => actor.meta_window)
            .find(win => win.get_title() === title);
    }

    Activate(title) {
        const win = this._find(title);
        if (win)
            Main.activateWindow(win);
        return this.Focused();
    }

    Focused() {
        const win = global.display.focus_window;
        return win ? win.get_title() || '' : '';
    }

    Shows(title) {
        return Boolean(this._find(title));
    }

    Minimised(title) {
        const win = this._find(title);
        return Boolean(win && win.minimized);
    }

    MovePointer() {
        this._pointer.notify_relative_motion(GLib.get_monotonic_time(), 1, 0);
    }
}

function init() {
    return new TestHelper();
}
