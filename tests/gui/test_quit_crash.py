"""The app must not abort on quit after a session of searching and filtering the tree.

PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a reference to it, so
every signal emitted from Python (``dataChanged`` for each status cell when the year filter
changes, our own ``ctx.changed`` …) takes one reference from ``True``. After a few thousand emits
the count reaches zero and CPython aborts with "Fatal Python error: bool_dealloc" — usually while
collecting garbage on quit. 6.11 and earlier hold their reference; pyproject.toml excludes 6.12.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The first-time user's sequence: 18 searches, a unit filter, clear, the fiscal years (eight rounds), File › خروج.
SESSION = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from planner_gui.app import build_main_window, create_application

    app = create_application(["barnamenegar"])
    window = build_main_window(sys.argv[1], sample=False)
    window.show()
    QTest.qWait(200)
    tree = window.tree
    queries = ["پارک‌ها", "پارکها", "پارك‌ها", "بوستان‌های محله‌ای", "بوستانهای محله ای", "بوستان هاي",
               "بوستانها", "محله‌اي", "حمل و نقل", "حمل‌ونقل", "حملونقل", "كمربند", "۱-۱-۲", "1-1-2",
               "١-١-٢", "ايستگاه", "zzz", "  "]
    for query in queries:
        tree.search.setText(query)
        tree.apply_filter()
        QTest.qWait(20)
    tree.clear_filter()
    tree.unit_filter.setCurrentIndex(1)
    QTest.qWait(50)
    tree.clear_filter()
    for year in [*range(1403, 1411), None] * 8:  # each change re-colours every loaded row (one emit each)
        tree.year_filter.setCurrentIndex(tree.year_filter.findData(year))
        QTest.qWait(10)
    window.findChild(QAction, "quit").trigger()
    QTest.qWait(50)
    QTimer.singleShot(0, app.quit)
    app.exec()
    print("exited cleanly")
""")

# 500 emits of a connected signal: PySide6 6.12.0 takes 500 references from True, a sound binding none.
EMITS = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        pinged = Signal(int)

    app = QCoreApplication([])
    emitter = Emitter()
    emitter.pinged.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.pinged.emit(1)
    print(sys.getrefcount(True) - before)
""")


def _run(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(source, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-X", "faulthandler", str(script), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)


def test_emitting_a_signal_keeps_the_reference_to_true(tmp_path):
    done = _run(tmp_path, EMITS)
    lost = int(done.stdout.split()[0])
    assert lost > -50, f"{-lost} references to True lost in 500 emits (PySide6 6.12.0's emit bug)"


def test_search_filter_and_quit_does_not_abort(tmp_path):
    from planner_core.sample import load_sample
    from planner_core.store import open_store

    plan_file = tmp_path / "sample.db"
    store = open_store(plan_file, create=True)
    load_sample(store)
    store.dispose()
    for attempt in range(3):
        done = _run(tmp_path, SESSION, str(plan_file))
        assert done.returncode == 0, f"run {attempt + 1} exited {done.returncode}:\n{done.stderr[-3000:]}"
        assert "exited cleanly" in done.stdout
