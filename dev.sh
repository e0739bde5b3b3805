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
    if [ "$1" = app ]; then pkgs="$pkgs libxcb-cursor0 libxkbcommon-x11-0"; fi
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

python_packages() {
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q -e ".[test]"
}

case "${1:-}" in
    app)
        system_packages app
        python_packages
        exec "$VENV/bin/python" main.py --sample
        ;;
    test)
        system_packages test
        python_packages
        export QT_QPA_PLATFORM=offscreen
        "$VENV/bin/python" -m ruff check .
        exec "$VENV/bin/python" -m pytest -q
        ;;
    *)
        echo "usage: ./dev.sh app | ./dev.sh test" >&2
        exit 2
        ;;
esac
