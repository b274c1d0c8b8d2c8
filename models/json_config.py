"""Settings dataclasses as JSON: one way for every model's config (synthesizer engines, the win-probability model)."""

from __future__ import annotations

import typing
from dataclasses import asdict, fields
from typing import Self


class JsonConfig:
    """Mixin for a frozen settings dataclass: `to_json` writes tuples as lists; `from_json` keeps only the fields
    the class knows (settings files of older or newer versions still load) and reads lists back as tuples."""

    def to_json(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> Self:
        hints = typing.get_type_hints(cls)
        values = {}
        for field in fields(cls):
            if field.name in data:
                value = data[field.name]
                tuple_typed = typing.get_origin(hints[field.name]) is tuple
                values[field.name] = tuple(value) if tuple_typed and isinstance(value, list) else value
        return cls(**values)
