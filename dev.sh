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
