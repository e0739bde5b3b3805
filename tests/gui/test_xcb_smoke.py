"""The real program on a real X display (Xvfb, Qt's xcb platform — not offscreen).

Every other GUI test runs offscreen, so a library missing for the xcb plugin ("Could not load
the Qt platform plugin xcb") would pass them all; this one starts ``main.py --sample`` as a
planner does, waits for the main window, photographs the screen and quits with Ctrl+Q.
`./dev.sh test` installs the tools; outside CI the test skips when they are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner_gui.startup import NO_DISPLAY, READY_ENV, display_problem

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "xdotool", "xwininfo", "import")
WAIT = 90  # seconds; only a limit for a hung start, not a speed target


def _tools_or_skip() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the xcb smoke test but these are missing: {', '.join(missing)}")
    pytest.skip(f"needs {', '.join(missing)} (./dev.sh test installs them)")


def _start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail("Xvfb did not start")
    return server, f":{number}"


def _wait_for(condition, what: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if process.poll() is not None:
            said = log.read_text(errors="replace")
            pytest.fail(f"the program ended (exit {process.returncode}) before {what}:\n{said}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {WAIT} s")
        time.sleep(0.2)


def _luminance_spread(path: Path) -> tuple[float, int]:
    """Standard deviation of grey levels over a grid of pixels, and how many distinct colours it met."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), "the screenshot could not be read"
    values, colours = [], set()
    for y in range(0, image.height(), 6):
        for x in range(0, image.width(), 6):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            values.append(0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF))
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5, len(colours)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's display")
def test_the_real_program_starts_on_xcb_shows_its_window_and_quits_cleanly(tmp_path, qapp):
    _tools_or_skip()
    home = tmp_path / "خانه کاربر"  # a non-ASCII data folder, as on a Persian desktop
    home.mkdir()
    ready = tmp_path / "ready"
    server, display = _start_xvfb()
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_RUNTIME_DIR=str(tmp_path), **{READY_ENV: str(ready)})
    log_path = tmp_path / "stderr.txt"
    log = log_path.open("wb")  # a file, not a pipe: Qt's warnings cannot fill it and block
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--sample"], cwd=tmp_path, env=env,
                           stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_for(ready.exists, "main window", app, log_path)
        window = int(ready.read_text().strip())
        tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True,
                              check=True).stdout
        assert hex(window) in tree, "the window the program named is not on the X display"
        shot = Path(os.environ.get("BARNAMENEGAR_XCB_SHOT", tmp_path / "screen.png"))
        subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True, capture_output=True)
        spread, colours = _luminance_spread(shot)
        assert spread > 10 and colours > 20, f"the screen looks blank (spread {spread:.1f}, {colours} colours)"
        # Ctrl+Q on the real keyboard path, as a planner quits.
        subprocess.run(["xdotool", "windowfocus", "--sync", str(window), "key", "--clearmodifiers", "ctrl+q"],
                       env=env, check=True, capture_output=True)
        try:
            app.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the program did not end within {WAIT} s of Ctrl+Q")
        text = log_path.read_text(errors="replace")
        assert app.returncode == 0, text
        assert "Could not load the Qt platform plugin" not in text
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        log.close()
        server.terminate()
        server.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux can lack a display")
def test_with_no_display_the_program_says_so_in_one_line_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--sample"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [NO_DISPLAY]
    assert "نمایشگری پیدا نشد" in lines[0] and "No display found" in lines[0]
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.db")), "nothing is written"


def test_display_problem_knows_headless_platforms_and_other_systems():
    assert display_problem({}, "linux", ["main.py"]) == NO_DISPLAY
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", ["main.py"]) == NO_DISPLAY
    assert display_problem({"DISPLAY": ":0"}, "linux", ["main.py"]) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", ["main.py"]) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", ["main.py"]) is None
    assert display_problem({}, "linux", ["main.py", "-platform", "offscreen"]) is None
    assert display_problem({}, "win32", ["main.py"]) is None


def test_qt_system_locale_is_made_persian_for_numbers_and_times_only():
    from planner_gui.startup import persian_locale_environment

    environ = {"LANG": "en_US.UTF-8"}
    persian_locale_environment(environ)
    assert environ == {"LANG": "en_US.UTF-8", "LC_NUMERIC": "fa_IR.UTF-8", "LC_TIME": "fa_IR.UTF-8"}
    import locale

    assert locale.localeconv()["decimal_point"] == "."  # the C library keeps its numbers
