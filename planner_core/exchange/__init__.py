"""Exchange between municipalities: the plan document, plan packages (.bnp), merge and templates.

- ``document``: the plan document of docs/dump-format.md (export_document); ``importer``: import_document.
- ``package``: the .bnp ZIP (manifest.json + plan.json), written and read under safety limits.
- ``validate``: what a document must satisfy before anything is written (schema, UUIDs, references).
- ``merge``: plans in and out of a file: as new, merged by UUID with conflicts, templates.
"""

from planner_core.exchange.document import FORMAT, VERSION, Progress, export_document
from planner_core.exchange.importer import import_document

__all__ = ["FORMAT", "VERSION", "Progress", "export_document", "import_document"]
