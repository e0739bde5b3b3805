"""Node codes: a node's code numbers it inside its parent; its full code is the path ("2-3-1")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol


class NodeCode(NamedTuple):
    """The three fields a full code is made of, for callers that hold other row types."""

    id: int
    parent_id: int | None
    code: str


class _Coded(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def code(self) -> str: ...


def full_codes(nodes: Iterable[_Coded]) -> dict[int, str]:
    """Full code of every node given (ORM rows or result rows), from the axis down."""
    by_id = {n.id: n for n in nodes}
    out: dict[int, str] = {}

    def code_of(node_id: int) -> str:
        if node_id not in out:
            node = by_id[node_id]
            parent = node.parent_id
            out[node_id] = f"{code_of(parent)}-{node.code}" if parent in by_id else node.code
        return out[node_id]

    for node_id in by_id:
        code_of(node_id)
    return out


def code_sort_key(full_code: str) -> tuple[tuple[int, int | str], ...]:
    """Order "2-10" after "2-9": numeric parts as numbers, custom parts after them, as text."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in str(full_code).split("-"))
