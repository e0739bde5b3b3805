"""Workbooks for import tests, built in the test: a catalogue, and a zip bomb that looks like one."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def catalogue(path: Path, rows: Iterable[Sequence[object]], header: Sequence[object] = ("کد", "عنوان", "کد والد"),
              title: str = "کدها") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _member(name: str, data: bytes, crc: int, size: int, offset: int) -> tuple[bytes, bytes]:
    raw = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(raw), 0) + raw + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(raw),
                          0, 0, 0, 0, 0, offset) + raw
    return local, central


def bomb(path: Path, megabytes: int = 220) -> Path:
    """A real .xlsx of about 920 KB whose first sheet inflates to ``megabytes`` MB of rows: one
    full-flushed deflate segment repeated (each is independent), so the test builds it in a
    fraction of a second instead of compressing hundreds of megabytes."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    row = b'<row><c t="inlineStr"><is><t>' + "مدیریت پسماند".encode() * 4 + b"</t></is></c></row>"
    chunk = row * (1024 * 1024 // len(row))
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = again.compress(chunk) + again.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush(zlib.Z_FINISH)
    data = first + segment * megabytes + end
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * megabytes + len(tail)

    locals_, centrals = [], []
    offset = 0
    for info in source.infolist():
        if info.filename == SHEET:
            body, member_crc, member_size = data, crc, size
        else:
            plain = source.read(info.filename)
            squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
            body, member_crc, member_size = squeeze.compress(plain) + squeeze.flush(), zlib.crc32(plain), len(plain)
        local, central = _member(info.filename, body, member_crc, member_size, offset)
        locals_.append(local)
        centrals.append(central)
        offset += len(local)
    directory = b"".join(centrals)
    end_record = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(centrals), len(centrals), len(directory), offset, 0)
    path.write_bytes(b"".join(locals_) + directory + end_record)
    return path
