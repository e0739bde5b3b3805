#!/usr/bin/env bash
# One entry point for a fresh machine:  ./dev.sh app   — install everything, start on the sample plan
#                                       ./dev.sh test  — install everything, run the whole test suite
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

PY=${PYTHON:-python3}
VENV=${VENV:-.venv}

system_packages() {
    # What Qt needs offscreen, and poppler-utils (pdftotext/pdftoppm) for the PDF tests.
    local need=()
    local pkgs="libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 poppler-utils"
    # Every library Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa, xcbglintegrations) loads on a real
    # X display: `ldd` on them must find everything (Qt's own list for X11, as Debian/Ubuntu packages).
    local xcb="libx11-6 libx11-xcb1 libxext6 libxfixes3 libxi6 libxrender1 libsm6 libice6 libxcb1 libxcb-cursor0
        libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
        libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xinput0
        libxcb-xkb1 libxkbcommon-x11-0"
    pkgs="$pkgs $xcb"
    # The test run also starts the real program on the xcb platform under Xvfb (tests/gui/test_xcb_smoke.py):
    # xdotool presses Ctrl+Q, xwininfo lists the windows, ImageMagick's import takes the screenshot.
    if [ "$1" = test ]; then pkgs="$pkgs xvfb xdotool x11-utils imagemagick"; fi
    command -v dpkg-query >/dev/null || return 0
    for p in $pkgs; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing system packages: ${need[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "Missing system packages (install them as root): ${need[*]}" >&2
    fi
}

postgres_url() {
    # Install, start and prepare a local PostgreSQL for the tests (root on Debian only).
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
    if ! command -v pg_lsclusters >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || return 1
    fi
    local version cluster
    read -r version cluster _ < <(pg_lsclusters -h | head -1)
    [ -n "${version:-}" ] || return 1
    pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1 || return 1
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='planner'\"" | grep -q 1 ||
        su postgres -c "psql -qc \"CREATE USER planner WITH PASSWORD 'planner'\"" >/dev/null || return 1
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='planner_test'\"" | grep -q 1 ||
        su postgres -c "createdb -O planner planner_test" || return 1
    echo "postgresql+psycopg://planner:planner@localhost/planner_test"
}

check_xcb() {
    # Qt aborts on a real display when a library of its xcb plugin is missing: name it before that happens.
    local plugins missing
    plugins=$("$VENV/bin/python" -c "from PySide6.QtCore import QLibraryInfo as L; print(L.path(L.LibraryPath.PluginsPath))")
    missing=$(ldd "$plugins"/platforms/libqxcb.so "$plugins"/../lib/libQt6XcbQpa.so.6 2>/dev/null | grep "not found" | sort -u || true)
    [ -z "$missing" ] || echo "Qt's xcb platform still lacks (install their Debian packages as root):
$missing" >&2
}

python_packages() {
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q -e ".[test]"
}

case "${1:-}" in
    app)
        system_packages app
        python_packages
        [ "$(uname -s)" = Linux ] && check_xcb
        exec "$VENV/bin/python" main.py --sample
        ;;
    test)
        system_packages test
        python_packages
        export QT_QPA_PLATFORM=offscreen
        "$VENV/bin/python" -m ruff check .
        "$VENV/bin/python" -m pytest -q
        # The same domain tests on PostgreSQL: any SQLAlchemy URL must work with the same models.
        if url=$(postgres_url); then
            BARNAMENEGAR_TEST_DB_URL="$url" "$VENV/bin/python" -m pytest -q tests/core -m "not slow" \
                --deselect tests/core/test_booklet.py
        elif [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
            echo "PostgreSQL could not be set up for the tests (see above)." >&2
            exit 1
        else
            echo "PostgreSQL not available here (needs root and apt-get): its run of tests/core is skipped."
        fi
        ;;
    *)
        echo "usage: ./dev.sh app | ./dev.sh test" >&2
        exit 2
        ;;
esac
