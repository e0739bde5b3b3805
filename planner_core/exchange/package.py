"""Plan packages (.bnp): a ZIP holding manifest.json and plan.json (docs/exchange-format.md).

Every package is untrusted input.  ``read_package`` never writes anything and never uses a
name from the archive as a path: it looks the two known members up by name, refuses an archive
with too many members or members larger than the limits *before* reading them (the sizes in
the ZIP directory), reads each member through a bounded stream so a lying directory cannot make
it read more, checks each member's SHA-256 and size against the manifest, parses JSON strictly
(UTF-8, no duplicate keys, no NaN, bounded nesting) and validates both documents against the
JSON Schema shipped in ``schema/plan-package.schema.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from planner_core.errors import PlannerError
from planner_core.text import ltr, to_persian_digits

PACKAGE_FORMAT = "barnamenegar-package"
PACKAGE_VERSION = 1
MANIFEST, PLAN = "manifest.json", "plan.json"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "plan-package.schema.json"

# Limits on what an incoming package may hold.  A 20,000-project plan is about 40 MB of JSON.
MAX_MEMBERS = 8
MAX_MANIFEST_BYTES = 64 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 80 * 1024 * 1024
MAX_PACKAGE_BYTES = 80 * 1024 * 1024
MAX_JSON_DEPTH = 40
CHUNK = 64 * 1024


class PackageError(PlannerError):
    """An incoming package (or workbook) is unusable.  ``str()`` is Persian, ``english`` its short English half."""

    def __init__(self, persian: str, english: str) -> None:
        super().__init__(persian)
        self.english = english


@dataclass(frozen=True)
class Package:
    manifest: dict[str, Any]
    document: dict[str, Any]

    @property
    def is_template(self) -> bool:
        return self.manifest.get("kind") == "template"

    @property
    def source(self) -> dict[str, Any] | None:
        return self.manifest.get("source_municipality")


def app_version() -> str:
    try:
        return metadata.version("barnamenegar")
    except metadata.PackageNotFoundError:
        return "0.1.0"


# --- schema ------------------------------------------------------------------------------

@cache
def schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def _validator(definition: str) -> jsonschema.Draft202012Validator:
    root = schema()
    registry: Registry = Registry().with_resource(root["$id"], Resource.from_contents(root))
    return jsonschema.Draft202012Validator({"$ref": f"{root['$id']}#/$defs/{definition}"}, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _schema_message(error: jsonschema.ValidationError) -> tuple[str, str]:
    where = error.json_path
    kind = error.validator
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        fa = f"کلید «{missing}» لازم است"
    elif kind == "type":
        fa = f"نوع مقدار نادرست است (باید {error.validator_value} باشد)"
    elif kind in ("enum", "const"):
        fa = f"مقدار «{str(error.instance)[:60]}» مجاز نیست"
    elif kind in ("pattern", "format"):
        fa = f"قالب مقدار «{str(error.instance)[:60]}» نادرست است"
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        fa = f"مقدار {to_persian_digits(error.instance)} بیرون از بازه مجاز است"
    elif kind in ("minLength", "maxLength"):
        fa = "طول متن بیرون از حد مجاز است"
    else:
        fa = "با قالب تبادل نمی‌خواند"
    return f"{fa} (در {ltr(where)})", f"{where}: {error.message[:160]}"


def validate_against_schema(instance: Any, definition: str, member: str) -> None:
    """Raise PackageError naming the first (most relevant) schema violation."""
    error = jsonschema.exceptions.best_match(_validator(definition).iter_errors(instance))
    if error is not None:
        fa, en = _schema_message(error)
        raise PackageError(f"بسته تبادل نامعتبر است؛ {member}: {fa}.", f"invalid package: {member} {en}")


# --- writing -----------------------------------------------------------------------------

def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def build_manifest(document: dict[str, Any], members: dict[str, bytes], *, template: bool) -> dict[str, Any]:
    return {
        "format": PACKAGE_FORMAT,
        "version": PACKAGE_VERSION,
        "kind": "template" if template else "plan",
        "source_municipality": document.get("municipality"),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": app_version(),
        "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    for name, data in members.items()},
    }


class ExportCancelled(Exception):
    """The planner cancelled an export; nothing was left at the target (not even the partial file)."""


def write_package(document: dict[str, Any], target: Path, *, template: bool = False,
                  cancelled: Callable[[], bool] | None = None,
                  progress: Callable[[int, int, str], None] | None = None) -> dict[str, Any]:
    """Write ``document`` as a .bnp package; returns the manifest.  Written beside, then renamed,
    so a cancelled or failed export leaves no half-written file and an older package at
    ``target`` untouched."""
    def stop_if_asked() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled

    members = {PLAN: _json_bytes(document)}
    manifest = build_manifest(document, members, template=template)
    validate_against_schema(manifest, "manifest", MANIFEST)
    validate_against_schema(document, "document", PLAN)
    stop_if_asked()
    partial = target.with_name(target.name + ".part")
    total = sum(len(data) for data in members.values())
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, _json_bytes(manifest))
            written = 0
            for name, data in members.items():
                with archive.open(name, "w") as stream:
                    for start in range(0, len(data), CHUNK * 4):
                        stop_if_asked()
                        stream.write(data[start:start + CHUNK * 4])
                        written += min(CHUNK * 4, len(data) - start)
                        if progress:
                            progress(written, total, name)
        stop_if_asked()
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise PackageError(f"بسته در «{ltr(target)}» نوشته نشد: {exc.strerror or exc}.",
                           f"cannot write '{target}'") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


# --- reading -----------------------------------------------------------------------------

def _bad(persian: str, english: str) -> PackageError:
    return PackageError(f"بسته تبادل پذیرفته نشد: {persian}", f"package refused: {english}")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read one member through a bounded stream: never more than ``limit`` bytes are decompressed."""
    if info.file_size > limit:
        raise _bad(f"عضو «{info.filename[:60]}» بزرگ‌تر از حد مجاز است.", f"member '{info.filename[:60]}' too large")
    buffer = io.BytesIO()
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(min(CHUNK, limit + 1 - buffer.tell()))
                if not chunk:
                    break
                buffer.write(chunk)
                if buffer.tell() > limit:
                    raise _bad(f"عضو «{info.filename[:60]}» بیش از اندازه اعلام‌شده است.",
                               f"member '{info.filename[:60]}' larger than declared")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _bad(f"عضو «{info.filename[:60]}» خراب است یا خوانده نمی‌شود.",
                   f"member '{info.filename[:60]}' is damaged: {exc}") from exc
    return buffer.getvalue()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _bad(f"کلید «{key[:40]}» دو بار در یک شیء آمده است.", f"duplicate key '{key[:40]}'")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _bad(f"مقدار «{name}» در JSON مجاز نیست.", f"'{name}' is not valid JSON")


def _depth_ok(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return True


def parse_json(data: bytes, member: str) -> Any:
    """Strict JSON: UTF-8 only, no duplicate keys, no NaN/Infinity, nesting bounded."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"«{member}» با UTF-8 نوشته نشده است (بایت {to_persian_digits(exc.start)}).",
                   f"{member} is not UTF-8") from exc
    text = text.removeprefix("\ufeff")
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError as exc:
        raise _bad(f"«{member}» بیش از حد تودرتو است.", f"{member} is nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise _bad(f"«{member}» JSON درستی نیست (سطر {to_persian_digits(exc.lineno)}، ستون "
                   f"{to_persian_digits(exc.colno)}).", f"{member} is malformed JSON: {exc.msg}") from exc
    if not _depth_ok(value, MAX_JSON_DEPTH):
        raise _bad(f"«{member}» بیش از حد تودرتو است.", f"{member} is nested too deeply")
    return value


def read_package(source: Path) -> Package:
    """Read and check a whole package without writing anything; PackageError names what is wrong."""
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise PackageError(f"فایل «{ltr(source)}» پیدا نشد یا خوانده نمی‌شود.", f"cannot read '{source}'") from exc
    if size > MAX_PACKAGE_BYTES:
        raise _bad("فایل بزرگ‌تر از حد مجاز است.", "file too large")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _bad(f"«{ltr(source)}» فایل ZIP بسته برنامه‌نگار نیست.", "not a ZIP package") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _bad(f"شمار اعضای بسته ({to_persian_digits(len(infos))}) بیش از حد مجاز است.", "too many members")
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename in by_name:
                raise _bad(f"عضو «{info.filename[:60]}» دو بار در بسته آمده است.", "duplicate member")
            by_name[info.filename] = info
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise _bad("حجم بازشده بسته بیش از حد مجاز است.", "total uncompressed size too large")
        if MANIFEST not in by_name:
            raise _bad("manifest.json در بسته نیست.", "manifest.json missing")
        manifest = parse_json(_read_member(archive, by_name[MANIFEST], MAX_MANIFEST_BYTES), MANIFEST)
        if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
            raise _bad("این فایل بسته تبادل برنامه‌نگار نیست (format).", "not a Barnamenegar package")
        version = manifest.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _bad("نسخه قالب بسته نامعتبر است.", "invalid format version")
        if version > PACKAGE_VERSION:
            raise _bad(f"بسته با نسخه {to_persian_digits(version)} قالب ساخته شده و این برنامه نسخه "
                       f"{to_persian_digits(PACKAGE_VERSION)} را می‌شناسد؛ برنامه‌نگار را به‌روز کنید.",
                       f"format version {version} is newer than {PACKAGE_VERSION}")
        validate_against_schema(manifest, "manifest", MANIFEST)
        declared = manifest["members"]
        unknown = sorted(set(by_name) - {MANIFEST} - set(declared))
        if unknown:
            raise _bad(f"عضو ناشناخته «{unknown[0][:60]}» در بسته هست.", f"unknown member '{unknown[0][:60]}'")
        contents: dict[str, bytes] = {}
        for name, entry in declared.items():
            info = by_name.get(name)
            if info is None:
                raise _bad(f"عضو «{name[:60]}» که در فهرست آمده در بسته نیست.", f"member '{name[:60]}' missing")
            if info.file_size != entry["size"]:
                raise _bad(f"اندازه عضو «{name[:60]}» با فهرست نمی‌خواند.", f"member '{name[:60]}' size mismatch")
            data = _read_member(archive, info, min(entry["size"], MAX_MEMBER_BYTES))
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise _bad(f"چکیده SHA-256 عضو «{name[:60]}» با فهرست نمی‌خواند (فایل دست‌کاری یا خراب شده است).",
                           f"member '{name[:60]}' checksum mismatch")
            contents[name] = data
    document = parse_json(contents[PLAN], PLAN)
    if not isinstance(document, dict) or document.get("format") != "barnamenegar":
        raise _bad("plan.json سند برنامه برنامه‌نگار نیست.", "plan.json is not a plan document")
    doc_version = document.get("version")
    if isinstance(doc_version, int) and not isinstance(doc_version, bool) and doc_version > 1:
        raise _bad("سند برنامه با نسخه جدیدتری از برنامه‌نگار ساخته شده است.", "plan document version is newer")
    validate_against_schema(document, "document", PLAN)
    return Package(manifest, document)
