"""Helpers shared by the tests: small edits of documents at a JSON Pointer."""

from collections.abc import Callable
from typing import Any

Mutation = Callable[[dict[str, Any]], None]


def set_at(path: str, value: object) -> Mutation:
    """A mutation that sets the value at a JSON Pointer (the last key may be new)."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def all_of(*mutations: Mutation) -> Mutation:
    """One mutation made of several, applied in order."""

    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate
