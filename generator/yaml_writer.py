"""Writing records as YAML that reads back to the same values, for scaffolds and importers.

Values that YAML 1.1 tools would mistype (``NO``, ``yes``, ``010``, ``1:20``) are quoted, so that
yamllint's truthy and octal rules and editors agree with our loader; dates stay unquoted because
the validator, not YAML, interprets them. Short lists of text are written inline (``[RU]``),
multi-line text as a literal block.
"""

from __future__ import annotations

from typing import Any

import yaml

TIMESTAMP = "tag:yaml.org,2002:timestamp"
FLOW_LIMIT = 70
LINE_WIDTH = 160  # long text wraps past this; flow lists are never broken (yamllint allows 200)


class _Resolver(yaml.resolver.Resolver):
    """The standard YAML 1.1 resolver without timestamps: dates are written plain."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


class _Dumper(
    yaml.emitter.Emitter, yaml.serializer.Serializer, yaml.representer.SafeRepresenter, _Resolver
):
    def __init__(self, stream: Any, **options: Any) -> None:
        yaml.emitter.Emitter.__init__(self, stream, allow_unicode=True, width=LINE_WIDTH, indent=2)
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, sort_keys=False)
        _Resolver.__init__(self)

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block lists under their key (``sanctions:\n  - authority: EU``), as yamllint
        and the hand-written records do."""
        super().increase_indent(flow, False)


def _text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") else None
    if style:
        value = value.rstrip("\n") + "\n"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: _Dumper, value: list[Any] | tuple[Any, ...]) -> yaml.SequenceNode:
    flow = all(isinstance(item, str) and "\n" not in item for item in value) and (
        sum(len(item) + 2 for item in value) <= FLOW_LIMIT
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _mapping(dumper: _Dumper, value: dict[str, Any]) -> yaml.MappingNode:
    """Small mappings of text inside lists ({name, lang}) are written inline."""
    flow = (
        len(value) <= 3
        and all(isinstance(item, str) and "\n" not in item for item in value.values())
        and sum(len(k) + len(v) + 4 for k, v in value.items()) <= FLOW_LIMIT
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow)


class _Block(dict[str, Any]):
    """A mapping always written in block style (the record itself, a sanction...)."""


def _block(dumper: _Dumper, value: _Block) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


_Dumper.add_representer(_Block, _block)
_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(tuple, _list)
_Dumper.add_representer(dict, _mapping)


BLOCK_KEYS = frozenset({"sanctions", "grounds"})  # lists of these are always in block style


def _prepare(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        items = {k: _prepare(v, k) for k, v in value.items()}
        return _Block(items) if key in BLOCK_KEYS or not key else items
    if isinstance(value, list | tuple):
        return [_prepare(item, key) for item in value]
    return value


def dump_yaml(data: dict[str, Any]) -> str:
    """Serialise a record (top-level keys in the order given) as YAML text."""
    return yaml.dump(_prepare(data), Dumper=_Dumper, default_flow_style=False)
