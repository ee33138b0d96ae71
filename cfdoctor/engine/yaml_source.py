"""Read a YAML file into plain data plus the line of every key, so errors can point at a line."""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]

MAX_KNOWLEDGE_FILE_BYTES = 1024 * 1024
"""A unit is a page of text (the largest bundled one is under 20 KB); this cap keeps a careless or
hostile file from taking minutes and gigabytes to parse."""
MAX_NODES = 100_000
MAX_DEPTH = 64


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


def _check_tree(name: str, root: yaml.Node) -> dict[JsonPath, int]:
    """The line of every key, walking the node tree once, without recursion.

    Aliases are followed and counted as often as they are used, so nested aliases (nine of them
    are a billion strings) stop at MAX_NODES before anything expands them. Non-finite floats are
    refused too: NaN compares false with every bound, so a schema's range checks let it through.
    """
    lines: dict[JsonPath, int] = {}
    visited = 0
    stack: list[tuple[yaml.Node, JsonPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        line = node.start_mark.line + 1
        visited += 1
        if visited > MAX_NODES:
            raise YamlSyntaxError(
                name,
                line,
                f"the document expands to more than {MAX_NODES} values "
                "(nested YAML aliases?); write the values out",
            )
        if len(path) > MAX_DEPTH:
            raise YamlSyntaxError(name, line, f"the document nests deeper than {MAX_DEPTH} levels")
        lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.tag != "tag:yaml.org,2002:str":  # `on:` and `yes:` are booleans
                    raise YamlSyntaxError(
                        name,
                        key_node.start_mark.line + 1,
                        f"the key {key_node.value!r} is not text; quote it",
                    )
                key = key_node.value
                lines[(*path, key)] = key_node.start_mark.line + 1
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, index)) for index, item in enumerate(node.value))
        elif node.tag == "tag:yaml.org,2002:float" and not math.isfinite(_float(node.value)):
            field = ".".join(str(p) for p in path)
            raise YamlSyntaxError(
                name, line, f"{field}: {node.value} is not a finite number; write a number"
            )
    return lines


def _float(text: str) -> float:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        low = text.lower()
        return math.nan if low.endswith("nan") else math.inf if low.endswith("inf") else 0.0


def read_text_file(path: Path, limit: int) -> str:
    """A regular file's text, refused unread when it is anything else or larger than `limit`.

    A FIFO or a device (a unit linked to /dev/zero) would block or never end; the check is on the
    open descriptor (O_NONBLOCK so opening a FIFO cannot wait for a writer), so a file swapped
    after the check is still caught. Raises OSError or ValueError with a message for the user.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > limit:
            raise ValueError(f"file too large ({info.st_size} bytes; at most {limit})")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"file too large (more than {limit} bytes)")
    return data.decode("utf-8")


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML document; syntax errors become YamlSyntaxError with the line."""
    name = str(path)
    try:
        text = read_text_file(path, MAX_KNOWLEDGE_FILE_BYTES)
    except IsADirectoryError:
        raise YamlSyntaxError(name, 1, "not a regular file (a directory)") from None
    except OSError as exc:
        raise YamlSyntaxError(name, 1, f"cannot read file: {exc.strerror or exc}") from None
    except ValueError as exc:  # UnicodeDecodeError included
        raise YamlSyntaxError(name, 1, f"cannot read file: {exc}") from None
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines = _check_tree(name, node) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(name, line, f"YAML syntax: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(name, 1, f"YAML: {exc}") from exc
    except RecursionError:
        raise YamlSyntaxError(name, 1, "the document is nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
        raise YamlSyntaxError(name, 1, f"YAML value cannot be read: {exc}") from None
    finally:
        loader.dispose()
    return YamlDocument(name, data, lines)
