"""Hostile packages: every broken or malicious file is refused with one Persian + English line,
exit 2, and the receiving database file byte-for-byte unchanged."""

from __future__ import annotations

import copy
import hashlib
import json
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import main
from planner_core.exchange.package import MAX_MEMBER_BYTES, PackageError, read_package

ROOT = Path(__file__).resolve().parents[2]


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _manifest(contents: dict[str, bytes], **changes) -> dict:
    manifest = {"format": "barnamenegar-package", "version": 1, "kind": "plan",
                "source_municipality": {"id": "2782528a-0994-5719-8fc1-c9ae34992420", "name": "شهرداری اصفهان"},
                "exported_at": "2026-11-30T10:00:00+00:00", "app_version": "0.1.0",
                "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                            for name, data in contents.items()}}
    manifest.update(changes)
    return manifest


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _package(path: Path, plan: bytes, manifest: dict | bytes | None = None, extra: dict | None = None) -> Path:
    members = {"plan.json": plan}
    manifest_bytes = manifest if isinstance(manifest, bytes) else _json(manifest or _manifest(members))
    return _zip(path, {"manifest.json": manifest_bytes, **members, **(extra or {})})


@pytest.fixture(scope="module")
def good_doc() -> dict:
    return json.loads((ROOT / "resources" / "sample_plan.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def target(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "مقصد.db"
    assert main.main(["demo", str(path)]) == 0
    return path


def _mutated(doc: dict, change) -> bytes:
    doc = copy.deepcopy(doc)
    change(doc)
    return _json(doc)


def _first(doc: dict, kind: str) -> dict:
    from planner_core.exchange.validate import walk_nodes

    return next(n for n in walk_nodes(doc["plans"][0]) if n["kind"] == kind)


def corpus(folder: Path, doc: dict) -> dict[str, Path]:
    """Each case: name → a package that must be refused."""
    good = _json(doc)
    cases: dict[str, Path] = {}

    def case(name: str, path_maker) -> None:
        cases[name] = path_maker(folder / f"{name}.bnp")

    case("not_a_zip", lambda p: (p.write_bytes(b"this is not a zip at all" * 10), p)[1])
    case("empty_file", lambda p: (p.write_bytes(b""), p)[1])
    case("no_manifest", lambda p: _zip(p, {"plan.json": good}))
    case("manifest_not_json", lambda p: _package(p, good, b"{format: barnamenegar"))
    case("manifest_not_utf8", lambda p: _package(p, good, b'{"format": "\xff\xfe barnamenegar"}'))
    case("future_version", lambda p: _package(p, good, _manifest({"plan.json": good}, version=99)))
    case("other_format", lambda p: _package(p, good, _manifest({"plan.json": good}, format="zip-of-cats")))
    case("manifest_wrong_types", lambda p: _package(p, good, _manifest({"plan.json": good}, members=["plan.json"])))
    case("size_mismatch", lambda p: _package(p, good, _manifest({"plan.json": good.replace(
        "اصفهان".encode(), "شیراز".encode(), 1)})))
    # Same size, one digit changed after the manifest was made: only the SHA-256 tells.
    case("checksum_mismatch", lambda p: _package(p, good.replace(b'"weight": 1', b'"weight": 2', 1),
                                                 _manifest({"plan.json": good})))
    case("unlisted_member_with_path_name", lambda p: _package(
        p, good, extra={"../../../tmp/barnamenegar-escape.txt": b"owned"}))
    case("too_many_members", lambda p: _package(p, good, extra={f"x{i}.json": b"{}" for i in range(20)}))
    case("plan_not_json", lambda p: _package(p, b'{"format": "barnamenegar", '))
    case("plan_not_utf8", lambda p: _package(p, good.replace(b"\xd8\xa7", b"\xd8\x01", 1)[:-1] + b"\xc3"))
    case("plan_duplicate_keys", lambda p: _package(p, b'{"format": "barnamenegar", "format": "x"}'))
    case("plan_nan", lambda p: _package(p, good.replace(b'"weight": 1', b'"weight": NaN', 1)))
    case("plan_too_deep", lambda p: _package(p, b"[" * 100_000 + b"]" * 100_000))
    case("plan_moderately_deep", lambda p: _package(p, b'{"a":' * 60 + b"1" + b"}" * 60))
    case("plan_future_version", lambda p: _package(p, _mutated(doc, lambda d: d.update(version=7))))
    case("plan_wrong_type", lambda p: _package(p, _mutated(doc, lambda d: d["plans"][0].update(title=12))))
    case("plan_bad_enum", lambda p: _package(p, _mutated(doc, lambda d: _first(d, "project").update(state="x"))))
    case("plan_missing_key", lambda p: _package(p, _mutated(doc, lambda d: d["plans"][0].pop("axes"))))
    case("plan_bad_uuid", lambda p: _package(p, _mutated(doc, lambda d: d["plans"][0].update(id="../../x"))))

    def duplicate_uuid(d: dict) -> None:
        _first(d, "goal")["id"] = _first(d, "axis")["id"]
    case("duplicate_uuid", lambda p: _package(p, _mutated(doc, duplicate_uuid)))

    def unit_cycle(d: dict) -> None:
        units = d["org_units"]
        units[0]["parent"], units[1]["parent"] = units[1]["code"], units[0]["code"]
    case("org_unit_cycle", lambda p: _package(p, _mutated(doc, unit_cycle)))
    case("budget_code_self_parent", lambda p: _package(p, _mutated(
        doc, lambda d: d["budget_codes"][0].update(parent=d["budget_codes"][0]["code"]))))
    case("dangling_unit", lambda p: _package(p, _mutated(
        doc, lambda d: _first(d, "project").update(responsible_unit="NO-SUCH-UNIT"))))
    case("dangling_budget_code", lambda p: _package(p, _mutated(
        doc, lambda d: _first(d, "project")["allocations"][0].update(budget_code="999999"))))
    # Passes the schema's pattern, fails only while writing: the one transaction rolls back.
    case("impossible_date", lambda p: _package(p, _mutated(
        doc, lambda d: _first(d, "project").update(start_date="2024-13-45"))))
    case("program_years_reversed", lambda p: _package(p, _mutated(
        doc, lambda d: _first(d, "program").update(first_year=1405, last_year=1403))))
    return cases


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_hostile_package_is_refused_and_the_file_is_unchanged(target, good_doc, tmp_path, capsys):
    cases = corpus(tmp_path, good_doc)
    before = _sha(target)
    for name, package in cases.items():
        capsys.readouterr()
        code = main.main(["import", str(target), str(package)])
        err = capsys.readouterr().err.strip()
        assert code == 2, (name, err)
        assert len(err.splitlines()) == 1 and " / " in err, (name, err)
        persian, english = err.split(" / ", 1)
        assert any("\u0600" <= ch <= "\u06ff" for ch in persian) and english.strip(), (name, err)
        assert "Traceback" not in err
        assert _sha(target) == before, name
    assert not Path("/tmp/barnamenegar-escape.txt").exists()


def test_a_refused_package_into_a_missing_file_leaves_no_file(good_doc, tmp_path, capsys):
    package = _package(tmp_path / "bad.bnp", _mutated(good_doc, lambda d: d["plans"][0].update(title=12)))
    missing = tmp_path / "تازه.db"
    assert main.main(["import", str(missing), str(package)]) == 2
    assert "title" in capsys.readouterr().err
    assert not missing.exists()


def _bomb(path: Path, size: int) -> None:
    """A package whose plan.json is ``size`` zero bytes: a few hundred KB on disk."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json(_manifest({"plan.json": b""})))
        with archive.open("plan.json", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                member.write(block)


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Patch the local header and the central directory so ``member`` claims ``declared`` bytes."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30: local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def test_zip_bomb_is_refused_without_decompressing_it(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.bnp"
    _bomb(bomb, 256 << 20)
    assert bomb.stat().st_size < 2 << 20
    read = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        chunk = original(self, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    tracemalloc.start()
    with pytest.raises(PackageError) as refused:
        read_package(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "حد مجاز" in str(refused.value)
    assert sum(read) < 64 * 1024  # only the manifest was read
    assert peak < 100 << 20


def test_zip_bomb_lying_about_its_size_is_read_no_further_than_declared(tmp_path, monkeypatch):
    bomb = tmp_path / "lying.bnp"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("plan.json", "w") as member:
            for _ in range(128):
                member.write(b"\0" * (1 << 20))
    declared = 4096
    manifest = _manifest({"plan.json": b"\0" * declared})
    with zipfile.ZipFile(bomb, "a") as archive:
        archive.writestr("manifest.json", _json(manifest))
    _lie_about_size(bomb, "plan.json", declared)
    assert zipfile.ZipFile(bomb).getinfo("plan.json").file_size == declared

    read = []
    original = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        chunk = original(self, n)
        if self.name == "plan.json":
            read.append(len(chunk))
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    tracemalloc.start()
    with pytest.raises(PackageError):
        read_package(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sum(read) <= declared + 1
    assert peak < 100 << 20
    assert MAX_MEMBER_BYTES < 100 << 20
