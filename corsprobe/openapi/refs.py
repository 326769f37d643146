"""Local ``$ref`` resolution (``#/components/...``) with cycle detection. Pure; nothing is fetched.

Every ``$ref`` in the document is checked once, up front: a reference to another file or a URL is
refused (corsprobe never fetches anything a description points at), a pointer to nothing is an
error, and a chain of references that loops back on itself is an error naming the chain.
Recursive schemas (a property referring to its own schema) are legal; ``samples`` stops at them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from corsprobe.errors import ScenarioError

MAX_REFS = 100_000


class Resolver:
    """Follows local JSON pointers in one document."""

    def __init__(self, document: dict[str, Any], source: str) -> None:
        self.document, self.source = document, source
        self._check_all()

    def resolve(self, node: Any) -> Any:
        """``node`` with its ``$ref`` chain followed (checked acyclic at construction)."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = self.target(node["$ref"])
        return node

    def target(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise ScenarioError(self.source, None, f"$ref {ref!r} points outside this document; corsprobe "
                                "resolves only local references ('#/components/...') and never fetches others "
                                "(bundle the description into one file first)")
        node: Any = self.document
        pointer = unquote(ref[1:])
        for raw in pointer.split("/")[1:] if pointer else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise ScenarioError(self.source, None, f"$ref {ref!r} points at nothing in this document")
        return node

    def _check_all(self) -> None:
        refs: list[str] = []
        seen: set[int] = set()
        stack: list[Any] = [self.document]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                ref = node.get("$ref")
                if ref is not None:
                    if not isinstance(ref, str):
                        raise ScenarioError(self.source, None, f"a $ref must be a string, not {ref!r}")
                    refs.append(ref)
                    if len(refs) > MAX_REFS:
                        raise ScenarioError(self.source, None, f"more than {MAX_REFS:,} $ref entries")
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, dict | list))
        for ref in dict.fromkeys(refs):
            self._check_chain(ref)

    def _check_chain(self, ref: str) -> None:
        chain = [ref]
        node = self.target(ref)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            following = node["$ref"]
            if following in chain:
                loop = " -> ".join([*chain[chain.index(following):], following])
                raise ScenarioError(self.source, None, f"$ref cycle: {loop} never reaches a definition")
            chain.append(following)
            node = self.target(following)
