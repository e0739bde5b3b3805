"""Barnamenegar (برنامه‌نگار): the composition root.

`python main.py` starts the desktop app; `python main.py SUBCOMMAND …` runs a headless job
(see `python main.py --help`).  Only this file decides between the two.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Persian output must not depend on the console's locale (Windows code pages, LANG=C).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    from planner_core import commands  # noqa: F401  (registers the later subcommands)
    from planner_core.cli import EXIT_BAD_INPUT, BadInput, parse, run

    try:
        args = parse(argv)
    except BadInput as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command:
        return run(args)
    from planner_gui.app import run_app

    return run_app(database=args.db, sample=args.sample)


if __name__ == "__main__":
    sys.exit(main())
