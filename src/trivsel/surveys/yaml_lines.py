"""YAML that remembers where things are written, so a problem can name the line to fix.

Mappings load as `LineMap` and lists as `LineList`: plain dicts and lists that also carry
the line each key or element starts on (1-based). A key written twice is kept once and
listed in `duplicates`, where PyYAML alone would silently keep the last value.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError


class LineMap(dict):
    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class LineList(list):
    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Loader(yaml.SafeLoader):
    pass


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser, about ten times faster, with the same constructors."""


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _construct_map(loader: yaml.constructor.SafeConstructor, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)  # resolve `<<` merge keys as SafeLoader does
    mapping = LineMap(_line(node))
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            seen = key in mapping
        except TypeError:
            raise ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            ) from None
        if seen:
            mapping.duplicates.append((key, _line(key_node)))
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = _line(key_node)
    return mapping


def _construct_list(loader: yaml.constructor.SafeConstructor, node: yaml.SequenceNode) -> LineList:
    items = LineList(_line(node))
    for child in node.value:
        items.append(loader.construct_object(child, deep=True))
        items.item_lines.append(_line(child))
    return items


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


def load(text: str) -> Any:
    """One YAML document with safe types only; raises yaml.YAMLError on bad syntax."""
    try:
        return _load(_FastLoader, text)
    except yaml.YAMLError:
        return _load(_Loader, text)  # PyYAML's own parser names the offending character in its message


def _load(kind: type, text: str) -> Any:
    loader = kind(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
