"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe``: stdlib only.

Chromium reads NUL-terminated JSON commands from file descriptor 3 and writes replies and events
to descriptor 4, so no websocket library (and no port) is needed. One browser serves every page
of a test module; each page gets its own target and session, and its own list of events.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)

Json = dict[str, Any]


class CDPError(RuntimeError):
    pass


@dataclass
class Visit:
    """What one page load produced: problems the page reported, and a probe of its DOM."""

    url: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    probe: Json = field(default_factory=dict)


class Chromium:
    def __init__(self, executable: str, profile: Path, log: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        to_browser_r, self._write_fd = os.pipe()
        self._read_fd, from_browser_w = os.pipe()
        # the child's ends, moved above 10 so that placing them on 3 and 4 cannot clobber them
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def place_pipes() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            preexec_fn=place_pipes,
            close_fds=False,  # only 0-4 are inheritable: Python opens everything else CLOEXEC
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self.events: list[Json] = []
        self.send("Target.setDiscoverTargets", {"discover": False})

    # -- protocol -------------------------------------------------------------------------
    def _receive(self, deadline: float) -> Json:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._read_fd], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise CDPError(f"Chromium exited (code {self.process.poll()})")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: Json = json.loads(raw)
        return message

    def send(self, method: str, params: Json | None = None, session: str | None = None) -> Json:
        self._next_id += 1
        message: Json = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: Json = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> Json:
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(self._receive(deadline))

    # -- pages ----------------------------------------------------------------------------
    def visit(self, url: str, *, width: int = 390, height: int = 844, probe: str = "") -> Visit:
        """Load `url` at a phone's size; collect errors, console messages and `probe`'s value."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session,
        )
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        visit = Visit(url)
        if probe:
            result = self.send(
                "Runtime.evaluate", {"expression": probe, "returnByValue": True}, session
            )
            visit.probe = result.get("result", {}).get("value") or {}
        self.send("Runtime.evaluate", {"expression": "1"}, session)  # flush pending events
        mine = [e for e in self.events if e.get("sessionId") == session]
        self.events = [e for e in self.events if e.get("sessionId") != session]
        for event in mine:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                visit.errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                visit.errors.append(json.dumps(params.get("args", []))[:300])
            elif event["method"] == "Log.entryAdded":
                entry = params.get("entry", {})
                if entry.get("level") == "error":
                    visit.errors.append(f"{entry.get('source')}: {entry.get('text')}")
            elif event["method"] == "Page.javascriptDialogOpening":
                visit.dialogs.append(str(params.get("message")))
        self._session, self._target = session, target
        return visit

    def screenshot(self, path: Path) -> None:
        """A full-page PNG of the page last visited."""
        metrics = self.send("Page.getLayoutMetrics", session=self._session)
        size = metrics["cssContentSize"]
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            },
            self._session,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close_page(self) -> None:
        self.send("Target.closeTarget", {"targetId": self._target})

    def close(self) -> None:
        with contextlib.suppress(CDPError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write_fd)
        os.close(self._read_fd)
        self._log.close()
