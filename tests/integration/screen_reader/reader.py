"""An assistive technology on the accessibility bus, driven one line at a time by a test.

Run by Debian's own Python (`/usr/bin/python3`), the only one that can import pyatspi
(`python3-pyatspi`); the tests' virtual environment cannot. It reads one JSON request a
line on stdin and answers each with one JSON line on stdout; between requests GLib's
main loop runs, so the events the kiosk sends over the bus are heard and kept until a
request asks for them.

It knows the kiosk only as a screen reader or a switch does: by the accessible names,
roles, states, text and actions the bus delivers. It never clicks at coordinates and
never sends key presses: everything it does is a control's own action or its text.

Requests (each a JSON object with "do"):
    wait_app    {"name"}: until an application of that name is on the bus.
    showing     {}: every node on screen, in the tree's order (see `_describe`).
    act         {"name", "role"?, "action"?}: do a showing node's action (0: its
                default) and say which actions it had.
    set_text    {"name", "text"}: replace a field's words through its editable text.
    events      {"clear"?}: what the kiosk announced since the last time asked.
    text_runs   {"containing"}: the showing node whose text holds those words: its text,
                and its runs of text attributes (start, end, attributes) as a screen
                reader reads them (bold is "weight" 700).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
from gi.repository import GLib  # noqa: E402

# Events a screen reader acts on: where the focus went, what was announced, what changed.
LISTENED = (
    "object:state-changed:focused",
    "object:announcement",
    "object:property-change:accessible-name",
    "window:activate",
)


class Reader:
    """Keeps the kiosk's events and answers the test's requests."""

    def __init__(self) -> None:
        self.app = None
        self.heard: list[dict] = []

    # --- events ----------------------------------------------------------------------------
    def hear(self, event) -> None:
        # When it was heard (the system's monotonic clock: the test's too).
        heard_at = time.monotonic()
        try:
            source = event.source
            said = {
                "time": heard_at,
                "type": event.type,
                "detail1": event.detail1,
                "role": source.getRoleName() if source else "",
                "name": source.name if source else "",
            }
            if event.type.startswith("object:announcement"):
                said["text"] = str(event.any_data)
            self.heard.append(said)
        except Exception as error:  # noqa: BLE001 - a node gone before it was read
            self.heard.append({"time": heard_at, "type": event.type, "error": str(error)})

    # --- the tree ------------------------------------------------------------------------------
    def showing(self) -> list[dict]:
        if self.app is None:
            raise RuntimeError("wait_app first")
        found: list[dict] = []
        for index in range(self.app.childCount):
            window = self.app.getChildAtIndex(index)
            if window is not None:
                self._walk(window, found, depth=0)
        return found

    def _walk(self, node, found: list[dict], depth: int) -> None:
        states = node.getState()
        if not states.contains(pyatspi.STATE_SHOWING):
            return
        found.append(_describe(node, depth))
        for index in range(node.childCount):
            child = node.getChildAtIndex(index)
            if child is not None:
                self._walk(child, found, depth + 1)

    def node(self, name: str, role: str | None) -> object:
        matches = []
        for window_index in range(self.app.childCount):
            self._find(self.app.getChildAtIndex(window_index), name, role, matches)
        if len(matches) != 1:
            raise LookupError(f"{len(matches)} showing nodes named {name!r} (role {role})")
        return matches[0]

    def _find(self, node, name: str, role: str | None, matches: list) -> None:
        if node is None or not node.getState().contains(pyatspi.STATE_SHOWING):
            return
        if node.name == name and (role is None or node.getRoleName() == role):
            matches.append(node)
        for index in range(node.childCount):
            self._find(node.getChildAtIndex(index), name, role, matches)

    def text_runs(self, containing: str) -> dict:
        for node in self._all_showing():
            try:
                text = node.queryText()
            except NotImplementedError:
                continue
            words = text.getText(0, -1)
            if containing not in words:
                continue
            runs, offset = [], 0
            while offset < text.characterCount:
                attributes, start, end = text.getAttributeRun(offset, False)
                runs.append([start, end, dict(a.split(":", 1) for a in attributes if ":" in a)])
                offset = max(end, offset + 1)
            return {"role": node.getRoleName(), "text": words, "runs": runs}
        raise LookupError(f"no showing text holds {containing!r}")

    def _all_showing(self) -> list:
        found: list = []

        def walk(node) -> None:
            if node is None or not node.getState().contains(pyatspi.STATE_SHOWING):
                return
            found.append(node)
            for index in range(node.childCount):
                walk(node.getChildAtIndex(index))

        for index in range(self.app.childCount):
            walk(self.app.getChildAtIndex(index))
        return found

    # --- requests ------------------------------------------------------------------------------
    def answer(self, request: dict) -> object:
        kind = request["do"]
        if kind == "wait_app":
            desktop = pyatspi.Registry.getDesktop(0)
            for index in range(desktop.childCount):
                app = desktop.getChildAtIndex(index)
                if app is not None and app.name == request["name"]:
                    self.app = app
                    return True
            return False
        readings = {
            "showing": self.showing,
            "text_runs": lambda: self.text_runs(request["containing"]),
        }
        if kind in readings:
            return readings[kind]()
        if kind == "act":
            node = self.node(request["name"], request.get("role"))
            action = node.queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
            index = request.get("action", 0)
            action.doAction(index)
            return names
        if kind == "set_text":
            node = self.node(request["name"], request.get("role"))
            return node.queryEditableText().setTextContents(request["text"])
        if kind == "events":
            heard = self.heard
            if request.get("clear", True):
                self.heard = []
            return heard
        raise ValueError(f"no such request: {kind}")


def _describe(node, depth: int) -> dict:
    """What a screen reader can know of one node."""
    states = node.getState()
    said = {
        "depth": depth,
        "role": node.getRoleName(),
        "name": node.name,
        "description": node.description,
        "states": sorted(pyatspi.stateToString(s) for s in states.getStates()),
        "locale": node.get_object_locale() or "",
        "attributes": dict(a.split(":", 1) for a in node.getAttributes() if ":" in a),
    }
    try:
        action = node.queryAction()
        said["actions"] = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        said["actions"] = []
    try:
        said["text"] = node.queryText().getText(0, -1)
    except NotImplementedError:
        said["text"] = None
    return said


def main() -> None:
    reader = Reader()
    pyatspi.Registry.registerEventListener(reader.hear, *LISTENED)

    def on_request(source: int, condition: int) -> bool:
        line = sys.stdin.readline()
        if not line:
            pyatspi.Registry.stop()
            return False
        try:
            reply = {"ok": reader.answer(json.loads(line))}
        except Exception as error:  # noqa: BLE001 - any failure goes back to the test
            reply = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_request)
    sys.stdout.write(json.dumps({"ok": "ready", "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    pyatspi.Registry.start()


if __name__ == "__main__":
    main()
