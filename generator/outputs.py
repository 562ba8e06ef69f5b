"""What a build makes: every output file's text, the spec's warnings and its size.

Plain data, so that the cache can store it as JSON and a cache-hit command can use it
without importing a stage.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .diagnostics import Diagnostic


class Outputs(NamedTuple):
    """The result of one build."""

    files: dict[str, str]  # path under the output directory -> text
    warnings: tuple[Diagnostic, ...] = ()
    codes: int = 0  # live codes in the spec
    categories: int = 0
    notes: tuple[str, ...] = ()  # what the outputs leave out, and why (a part the project lacks)
    surface: str = ""  # the API surface they were made with ("" for none)
    templates: str = ""  # the folder of the project's templates they were made with
    template_digests: tuple[tuple[str, str], ...] = ()  # (relative path, sha256) of each

    def to_data(self) -> dict[str, Any]:
        """The outputs as JSON-able data."""
        return {
            "files": self.files,
            "warnings": [list(w) for w in self.warnings],
            "codes": self.codes,
            "categories": self.categories,
            "notes": list(self.notes),
            "surface": self.surface,
            "templates": self.templates,
            "template_digests": [list(pair) for pair in self.template_digests],
        }

    @classmethod
    def from_data(cls, data: Any) -> Outputs | None:
        """The outputs `to_data` gave, or None when `data` is not such a record."""
        try:
            files, warnings = data["files"], data["warnings"]
            codes, categories, notes = data["codes"], data["categories"], data["notes"]
            surface, templates = data["surface"], data["templates"]
            digests = tuple((str(rel), str(sha)) for rel, sha in data["template_digests"])
            if not (
                isinstance(files, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
                and isinstance(warnings, list)
                and type(codes) is int
                and type(categories) is int
                and isinstance(notes, list)
                and all(isinstance(n, str) for n in notes)
                and isinstance(surface, str)
                and isinstance(templates, str)
            ):
                return None
            found = tuple(Diagnostic(*fields) for fields in warnings)
        except (KeyError, TypeError, ValueError):
            return None
        if not all(_well_formed(w) for w in found):
            return None
        return cls(files, found, codes, categories, tuple(notes), surface, templates, digests)


def _well_formed(w: Diagnostic) -> bool:
    kinds = (str, int, int, str, str)
    return all(type(value) is kind for value, kind in zip(w, kinds))
