"""The doorway window itself: a small Tk window run in a short-lived child process.

The daemon writes what to show as one JSON object on the child's stdin (a ``DoorwayView``)
and reads the person's answer as one JSON object on its stdout (a ``DoorwayAnswer``).
Tk stays out of the daemon's memory: only this child imports it. The window's X11 class
is ``unscroll-doorway`` so tests and window rules can find it.

Run as ``python -m monitor.doorway.window``; exit status 0 with an answer, 3 when Tk
or the display is missing (the reason on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from monitor.doorway.view import (
    CONTINUED,
    LEFT,
    NO_ANSWER,
    REACHED_OUT,
    DoorwayAnswer,
    DoorwayView,
    minutes_label,
)

WINDOW_CLASS = "unscroll-doorway"
NO_TK_STATUS = 3
PARENT_CHECK_MS = 500
FONT = ("DejaVu Sans", 11)
HEADLINE_FONT = ("DejaVu Sans", 15, "bold")
MUTED = "#5f6368"
ACCENT = "#1a73e8"


class DoorwayWindow:
    """One doorway on screen: the day so far, a breath, a person, Leave and Continue."""

    def __init__(self, tk: Any, view: DoorwayView) -> None:
        """Build the window for ``view`` with the ``tkinter`` module ``tk`` (not shown yet)."""
        self.tk = tk
        self.view = view
        self.answer: DoorwayAnswer | None = None
        self.person_index = 0
        self.skipped: list[int] = []
        self.breath_left = view.breath_seconds
        self.parent = os.getppid()
        self.root = tk.Tk(className=WINDOW_CLASS)
        self.root.title("unscroll")
        self.root.configure(padx=24, pady=20)
        self.root.resizable(False, False)
        self.root.attributes("-topmost", True)
        self.root.protocol("WM_DELETE_WINDOW", lambda: self.finish(DoorwayAnswer(LEFT)))
        self._build()

    def _build(self) -> None:
        tk, root = self.tk, self.root
        tk.Label(root, text=self.view.headline, font=HEADLINE_FONT, wraplength=420,
                 justify="left").pack(anchor="w")
        tk.Label(root, text=self.view.today, font=FONT, fg=MUTED).pack(anchor="w", pady=(4, 12))
        self.breath = tk.Label(root, font=FONT)
        self.breath.pack(anchor="w", pady=(0, 12))
        self.person_row = tk.Frame(root)
        self.person_row.pack(anchor="w", fill="x", pady=(0, 12))
        self.person_why = tk.Label(self.person_row, font=FONT, wraplength=420, justify="left")
        self.person_why.pack(anchor="w")
        buttons = tk.Frame(self.person_row)
        buttons.pack(anchor="w", pady=(6, 0))
        self.person_button = tk.Button(buttons, font=FONT, fg="white", bg=ACCENT,
                                       activebackground=ACCENT, command=self.reach_out)
        self.person_button.pack(side="left")
        self.other_button = tk.Button(buttons, text="Someone else", font=FONT,
                                      command=self.someone_else)
        self.other_button.pack(side="left", padx=(8, 0))
        self._build_exits()
        self._show_person()

    def _build_exits(self) -> None:
        tk = self.tk
        exits = tk.Frame(self.root)
        exits.pack(anchor="w", fill="x")
        tk.Button(exits, text="Leave (Esc)", font=FONT,
                  command=lambda: self.finish(DoorwayAnswer(LEFT))).pack(side="left")
        self.continue_buttons = []
        for index, seconds in enumerate(self.view.continue_for):
            key = " (Enter)" if index == 0 else ""
            button = tk.Button(exits, text=f"Continue {minutes_label(seconds)}{key}", font=FONT,
                               state="disabled",
                               command=lambda s=seconds: self.finish(DoorwayAnswer(CONTINUED, s)))
            button.pack(side="left", padx=(8, 0))
            self.continue_buttons.append(button)
        self.root.bind("<Escape>", lambda _event: self.finish(DoorwayAnswer(LEFT)))
        self.root.bind("<Return>", lambda _event: self.continue_first())

    def _show_person(self) -> None:
        if not self.view.people:
            self.person_row.pack_forget()
            return
        person = self.view.people[self.person_index % len(self.view.people)]
        self.person_why.configure(text=person.why)
        self.person_button.configure(text=person.label)
        if len(self.view.people) < 2:
            self.other_button.pack_forget()

    def reach_out(self) -> None:
        """The person button: the daemon opens their link and logs that they were reached."""
        person = self.view.people[self.person_index % len(self.view.people)]
        self.finish(DoorwayAnswer(REACHED_OUT, person_id=person.id, skipped=tuple(self.skipped)))

    def someone_else(self) -> None:
        """Show the next person the daemon offered."""
        self.skipped.append(self.view.people[self.person_index % len(self.view.people)].id)
        self.person_index += 1
        self._show_person()

    def continue_first(self) -> None:
        """Enter: the first "Continue", once the breath is over."""
        if self.breath_left <= 0 and self.view.continue_for:
            self.finish(DoorwayAnswer(CONTINUED, self.view.continue_for[0]))

    def tick_breath(self) -> None:
        """Count the breath down once a second, then let "Continue" be used."""
        if self.breath_left > 0:
            self.breath.configure(text=f"Take a breath… {self.breath_left}")
            self.breath_left -= 1
            self.root.after(1000, self.tick_breath)
            return
        self.breath.configure(text="Your choice.")
        for button in self.continue_buttons:
            button.configure(state="normal")

    def watch_parent(self) -> None:
        """Close without an answer when the daemon that opened the window has gone."""
        if os.getppid() != self.parent:
            self.finish(DoorwayAnswer(NO_ANSWER))
            return
        self.root.after(PARENT_CHECK_MS, self.watch_parent)

    def finish(self, answer: DoorwayAnswer) -> None:
        """Keep the first answer and close the window."""
        if self.answer is None:
            self.answer = answer
        self.root.destroy()

    def run(self) -> DoorwayAnswer:
        """Show the window centred and on top until an answer or the timeout."""
        self.root.update_idletasks()
        width, height = self.root.winfo_reqwidth(), self.root.winfo_reqheight()
        x = (self.root.winfo_screenwidth() - width) // 2
        y = (self.root.winfo_screenheight() - height) // 3
        self.root.geometry(f"+{x}+{y}")
        self.tick_breath()
        self.root.after(int(self.view.timeout_seconds * 1000),
                        lambda: self.finish(DoorwayAnswer(NO_ANSWER)))
        self.root.after(PARENT_CHECK_MS, self.watch_parent)
        self.root.focus_force()
        self.root.mainloop()
        return self.answer or DoorwayAnswer(NO_ANSWER)


def main() -> int:
    """Read the view from stdin, show it, write the answer to stdout."""
    view = DoorwayView.from_json(json.loads(sys.stdin.readline()))
    try:
        import tkinter  # noqa: PLC0415 - only the child process pays for Tk
    except ImportError as exc:
        print(f"Tk is not available ({exc}); on Debian and Ubuntu: apt install python3-tk",
              file=sys.stderr)
        return NO_TK_STATUS
    try:
        window = DoorwayWindow(tkinter, view)
    except tkinter.TclError as exc:
        print(f"no display for the doorway: {exc}", file=sys.stderr)
        return NO_TK_STATUS
    answer = window.run()
    print(json.dumps(answer.to_json()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
