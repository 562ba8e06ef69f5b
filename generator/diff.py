"""`errspec diff --against REF`: what changed since another version of the spec, and how badly.

Each rule is a small function named after the change it looks for. It reads the
old and the new Spec, both fully validated, and yields a Finding per change:
`error` breaks clients, `warning` may break some, `info` changes only what people read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError
from generator.model import ErrorEntry, Field, RetiredCode, Spec, Text
from generator.spec import load_spec, parse_and_validate

SEVERITIES = ("error", "warning", "info")
EXIT_OK, EXIT_BREAKING, EXIT_INVALID = 0, 1, 2
_TEXTS = ("meaning", "suggestion", "causes", "solution", "notes", "section_title")


@dataclass(frozen=True)
class Finding:
    """One change between the old and the new spec; `code` is None for envelope changes."""

    severity: str
    code: int | None
    name: str
    message: str
    old: Any = None
    new: Any = None
    rule: str = ""

    def sort_key(self) -> tuple[int, int, str, str]:
        """Severity first, then code (envelopes before codes), then rule and message."""
        code = -1 if self.code is None else self.code
        return SEVERITIES.index(self.severity), code, self.rule, self.message

    def __str__(self) -> str:
        subject = self.name if self.code is None else f"{self.code} {self.name}"
        return f"{self.severity}: {subject}: {self.message}"


Rule = Callable[[Spec, Spec], Iterator[Finding]]


class Unreadable(Exception):
    """REF names neither a spec file nor a git revision that holds the spec."""


def _live(spec: Spec) -> dict[int, ErrorEntry]:
    return {e.code: e for e in spec.codes}


def _pairs(old: Spec, new: Spec) -> Iterator[tuple[ErrorEntry, ErrorEntry]]:
    """Every code live on both sides, as (old entry, new entry)."""
    live = _live(new)
    for before in old.codes:
        if before.code in live:
            yield before, live[before.code]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _on(
    severity: str, entry: ErrorEntry | RetiredCode, message: str, old: Any = None, new: Any = None
) -> Finding:
    return Finding(severity, entry.code, entry.name, message, old, new)


def code_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    live, retired = _live(new), {r.code for r in new.retired}
    for e in old.codes:
        if e.code not in live and e.code not in retired:
            hint = "move it to `retired` with a reason so it is never reused"
            yield _on("error", e, f"removed; {hint}", old=e.name)


def name_moved(old: Spec, new: Spec) -> Iterator[Finding]:
    owner = {e.name: e.code for e in old.codes}
    for e in new.codes:
        was = owner.get(e.name)
        if was is not None and was != e.code:
            why = "clients matching on the name get another code"
            yield _on("error", e, f"name moved from code {was}; {why}", was, e.code)


def code_renamed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        if was.name != now.name:
            yield _on("error", now, f"renamed {was.name} → {now.name}", was.name, now.name)


def http_status_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        before, after = was.http_status, now.http_status
        if before is not None and after is not None and before != after:
            yield _on("error", now, f"http_status {before} → {after}", before, after)


def category_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        before, after = was.category, now.category
        if before.id != after.id:
            message = f"category {before.id} → {after.id} (exception {before.exception} → {after.exception})"
            yield _on("error", now, message, before.id, after.id)


def transport_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        for transport in was.transports:
            if transport not in now.transports:
                message = f"no longer sent over {transport}"
                yield _on("error", now, message, list(was.transports), list(now.transports))


def transport_added(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        for transport in now.transports:
            if transport not in was.transports:
                message = f"now also sent over {transport}"
                yield _on("info", now, message, list(was.transports), list(now.transports))


def retired_code_reused(old: Spec, new: Spec) -> Iterator[Finding]:
    live, still = _live(new), {r.code for r in new.retired}
    for r in old.retired:
        if r.code in live:
            now = live[r.code].name
            message = (
                f"retired since {r.since} but live again as {now}; retired codes are never reused"
            )
            yield _on("error", r, message, r.name, now)
        elif r.code not in still:
            hint = "keep it there so it is never reused"
            yield _on("error", r, f"dropped from the retired list; {hint}", r.name)


def message_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        if was.message != now.message:
            message = f"message {_quoted(was.message)} → {_quoted(now.message)}"
            yield _on("warning", now, message, was.message, now.message)


def retryable_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        if was.retryable and not now.retryable:
            message = "no longer retryable; clients that retry it will stop"
            yield _on("warning", now, message, True, False)
        elif now.retryable and not was.retryable:
            yield _on("info", now, "now retryable", False, True)


def retry_after_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        if was.retry_after and not now.retry_after:
            message = f"retry_after dropped; the {old.retry_after_header} header is no longer sent"
            yield _on("warning", now, message, True, False)
        elif now.retry_after and not was.retry_after:
            message = f"now sends the {new.retry_after_header} header"
            yield _on("info", now, message, False, True)


def _fields(old: Spec, new: Spec) -> Iterator[tuple[str, Field | None, Field | None]]:
    """(envelope id, old field, new field) for every field name on either side."""
    for before, after in (
        (old.http_envelope, new.http_envelope),
        (old.websocket_envelope, new.websocket_envelope),
    ):
        was, now = {f.name: f for f in before.fields}, {f.name: f for f in after.fields}
        for name in [*was, *(n for n in now if n not in was)]:
            yield after.id, was.get(name), now.get(name)


def _envelope(env: str, severity: str, message: str, old: Any, new: Any) -> Finding:
    return Finding(severity, None, f"{env} envelope", message, old=old, new=new)


def envelope_field_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    for env, was, now in _fields(old, new):
        if was is not None and now is None:
            yield _envelope(env, "warning", f"field {was.name} removed", was.name, None)


def envelope_field_made_required(old: Spec, new: Spec) -> Iterator[Finding]:
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and now.required and not was.required:
            yield _envelope(env, "warning", f"field {now.name} made required", False, True)


def envelope_field_made_optional(old: Spec, new: Spec) -> Iterator[Finding]:
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and was.required and not now.required:
            message = f"field {now.name} made optional; clients may rely on it"
            yield _envelope(env, "warning", message, True, False)


def envelope_field_type_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and was.type != now.type:
            message = f"field {now.name} type {was.type} → {now.type}"
            yield _envelope(env, "warning", message, was.type, now.type)


def envelope_field_added(old: Spec, new: Spec) -> Iterator[Finding]:
    for env, was, now in _fields(old, new):
        if was is None and now is not None:
            required = "required" if now.required else "optional"
            yield _envelope(env, "info", f"{required} field {now.name} added", None, now.name)


def code_added(old: Spec, new: Spec) -> Iterator[Finding]:
    known = set(_live(old)) | {r.code for r in old.retired}
    for e in new.codes:
        if e.code not in known:
            yield _on("info", e, "added", new=e.name)


def code_retired(old: Spec, new: Spec) -> Iterator[Finding]:
    live, before = _live(old), {r.code for r in old.retired}
    for r in new.retired:
        if r.code not in before:
            how = "moved to the retired list" if r.code in live else "added to the retired list"
            yield _on("info", r, f"{how} (since {r.since})", new=r.since)


def _text(text: Text | None, lang: str) -> Any:
    try:
        return None if text is None else text[lang]
    except KeyError:
        return None


def texts_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    locales = [*new.locales, *(lang for lang in old.locales if lang not in new.locales)]
    for was, now in _pairs(old, new):
        for key in _TEXTS:
            for lang in locales:
                before, after = _text(getattr(was, key), lang), _text(getattr(now, key), lang)
                if before != after:
                    what = "added" if before is None else "removed" if after is None else "changed"
                    yield _on("info", now, f"{key}[{lang}] {what}", before, after)


def example_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    for was, now in _pairs(old, new):
        if dict(was.example) != dict(now.example):
            yield _on("info", now, "example changed", dict(was.example), dict(now.example))


RULES: tuple[Rule, ...] = (
    code_removed,
    name_moved,
    code_renamed,
    http_status_changed,
    category_changed,
    transport_removed,
    retired_code_reused,
    message_changed,
    retryable_changed,
    retry_after_changed,
    envelope_field_removed,
    envelope_field_made_required,
    envelope_field_made_optional,
    envelope_field_type_changed,
    code_added,
    code_retired,
    transport_added,
    envelope_field_added,
    texts_changed,
    example_changed,
)


def diff_specs(old: Spec, new: Spec) -> list[Finding]:
    """Every finding of every rule, in the order they are reported."""
    found = [replace(f, rule=rule.__name__) for rule in RULES for f in rule(old, new)]
    return sorted(found, key=Finding.sort_key)


def _git(where: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(
            ["git", "--no-pager", *args], cwd=where, capture_output=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unreadable(f"cannot run git in {where}: {exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unreadable("; ".join(lines) or f"git {args[0]} failed")
    return proc.stdout


def load_against(ref: str, spec_path: Path) -> Spec:
    """The validated spec REF names: a spec file's path, or a git revision of `spec_path`."""
    if Path(ref).is_file():
        return load_spec(Path(ref), ref)
    if ref.startswith("-") or not ref.strip():
        raise Unreadable("no such file, and not a git revision")
    where = spec_path.absolute().parent
    prefix = _git(where, "rev-parse", "--show-prefix").decode("utf-8").strip()
    display = f"{ref}:{prefix}{spec_path.name}"
    raw = _git(where, "show", display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SpecError([Diagnostic(display, line, 1, "invalid UTF-8", "save the file as UTF-8")])
    return parse_and_validate(text, display)


def _load(load: Callable[[], Spec], ref: str, problems: list[str]) -> Spec | None:
    try:
        return load()
    except SpecError as exc:
        problems.extend(map(str, exc.diagnostics))
    except Unreadable as exc:
        problems.append(
            f"errspec: cannot read the spec at {ref}: {exc}; pass a git revision"
            " (HEAD, main, a commit) or the path of a spec file"
        )
    return None


def run_diff(args: argparse.Namespace) -> int:
    """`errspec diff`: print the findings; 0 when none reaches --fail-on, 1 when one does,
    2 when either spec is invalid or REF cannot be read."""
    spec_path = Path(args.spec)
    problems: list[str] = []
    new = _load(lambda: load_spec(spec_path, args.spec), args.spec, problems)
    old = _load(lambda: load_against(args.against, spec_path), args.against, problems)
    if old is None or new is None:
        for line in problems:
            print(line, file=sys.stderr)
        print(
            f"errspec: cannot compare {args.spec} with {args.against}; both must be valid specs",
            file=sys.stderr,
        )
        return EXIT_INVALID
    findings = diff_specs(old, new)
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    threshold = SEVERITIES.index(args.fail_on)
    failed = any(SEVERITIES.index(f.severity) <= threshold for f in findings)
    if args.format == "json":
        summary = {
            **counts,
            "fail_on": args.fail_on,
            "failed": failed,
            "against": args.against,
            "spec": args.spec,
        }
        keys = ("severity", "code", "name", "rule", "message", "old", "new")
        document = {
            "findings": [{key: getattr(f, key) for key in keys} for f in findings],
            "summary": summary,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding)
        tally = ", ".join(
            f"{counts[s]} {s}" + ("s" if counts[s] != 1 and s != "info" else "") for s in SEVERITIES
        )
        verdict = "fails" if failed else "passes"
        print(f"errspec: {tally} against {args.against}; {verdict} --fail-on {args.fail_on}")
    return EXIT_BREAKING if failed else EXIT_OK
