"""Read a YAML file into plain data plus the line of every key, so errors can point at a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    path: str
    data: Any
    lines: dict[JsonPath, int]

    def line_of(self, path: JsonPath) -> int:
        """The line of the deepest known ancestor of `path` (1-based)."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return 1


class YamlSyntaxError(Exception):
    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


def _record_lines(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML document; syntax errors become YamlSyntaxError with the line."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlSyntaxError(name, 1, f"cannot read file: {exc}") from exc
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(name, line, f"YAML syntax: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(name, 1, f"YAML: {exc}") from exc
    finally:
        loader.dispose()
    lines: dict[JsonPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(name, data, lines)
