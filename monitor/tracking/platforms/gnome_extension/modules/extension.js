// unscroll's GNOME Shell extension, for GNOME 45 and later (ES modules).
// It tells unscroll on the session bus which window has focus, signals each change of
// focus or of the focused window's title (no polling), and minimises a window by id.
// legacy/extension.js is the same for GNOME 43 and 44 (legacy imports).
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Shell from 'gi://Shell';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

const VERSION = 1;
const PATH = '/org/unscroll/GnomeShell';
const IFACE = `<node><interface name="org.unscroll.GnomeShell1">
  <method name="GetFocused"><arg type="s" direction="out" name="window"/></method>
  <method name="Minimise"><arg type="s" direction="in" name="id"/><arg type="b" direction="out" name="done"/></method>
  <property name="Version" type="u" access="read"/>
  <signal name="FocusChanged"><arg type="s" name="window"/></signal>
</interface></node>`;

function describe(win) {
    if (!win)
        return '{}';
    const app = Shell.WindowTracker.get_default().get_window_app(win);
    return JSON.stringify({
        id: String(win.get_id()), title: win.get_title() || '',
        wm_class: win.get_wm_class() || '', wm_class_instance: win.get_wm_class_instance() || '',
        sandboxed_app_id: win.get_sandboxed_app_id() || '',
        gtk_app_id: win.get_gtk_application_id() || '',
        app: app && !app.is_window_backed() ? app.get_id() : '', pid: Math.max(win.get_pid(), 0),
    });
}

class UnscrollFocus {
    constructor() {
        this._dbus = Gio.DBusExportedObject.wrapJSObject(IFACE, this);
        this._dbus.export(Gio.DBus.session, PATH);
        this._watched = null;
        this._titleHandler = 0;
        this._focusHandler = global.display.connect('notify::focus-window', () => this._follow());
        this._follow();
    }

    destroy() {
        global.display.disconnect(this._focusHandler);
        this._watch(null);
        this._dbus.unexport();
        this._dbus = null;
    }

    get Version() {
        return VERSION;
    }

    GetFocused() {
        return describe(global.display.focus_window);
    }

    Minimise(id) {
        const win = global.get_window_actors().map(actor => actor.meta_window)
            .find(candidate => String(candidate.get_id()) === id);
        if (!win || !win.can_minimize())
            return false;
        win.minimize();
        return true;
    }

    _watch(win) {
        if (this._watched && this._titleHandler)
            this._watched.disconnect(this._titleHandler);
        this._watched = win;
        this._titleHandler = win ? win.connect('notify::title', () => this._changed()) : 0;
    }

    _follow() {
        this._watch(global.display.focus_window);
        this._changed();
    }

    _changed() {
        this._dbus.emit_signal('FocusChanged', new GLib.Variant('(s)', [this.GetFocused()]));
    }
}

export default class UnscrollExtension extends Extension {
    enable() {
        this._focus = new UnscrollFocus();
    }

    disable() {
        this._focus.destroy();
        this._focus = null;
    }
}
