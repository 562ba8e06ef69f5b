"""The checks of `errspec diff` on single codes and on the envelopes (rules.py declares the
rule of each, with its severity, release bump and release-notes section).

Each check is a small function named after the change it looks for. It reads the old and
the new Spec, both fully validated, and yields one change per occurrence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import ErrorEntry, Field, RetiredCode, Spec, Text
from .finding import Finding, about, on, quoted

_TEXTS = ("meaning", "suggestion", "causes", "solution", "notes", "section_title")


def live_codes(spec: Spec) -> dict[int, ErrorEntry]:
    """The live codes of `spec` by number."""
    return {e.code: e for e in spec.codes}


def code_pairs(old: Spec, new: Spec) -> Iterator[tuple[ErrorEntry, ErrorEntry]]:
    """Every code live on both sides, as (old entry, new entry)."""
    live = live_codes(new)
    for before in old.codes:
        if before.code in live:
            yield before, live[before.code]


def code_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A live code disappeared without moving to `retired`."""
    live, retired = live_codes(new), {r.code for r in new.retired}
    for e in old.codes:
        if e.code not in live and e.code not in retired:
            hint = "move it to `retired` with a reason so it is never reused"
            yield on(e, f"removed; {hint}", old=e.name)


def name_moved(old: Spec, new: Spec) -> Iterator[Finding]:
    """A name now belongs to another code."""
    owner = {e.name: e.code for e in old.codes}
    for e in new.codes:
        was = owner.get(e.name)
        if was is not None and was != e.code:
            why = "clients matching on the name get another code"
            yield on(e, f"name moved from code {was}; {why}", was, e.code)


def code_renamed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A live code got another name."""
    for was, now in code_pairs(old, new):
        if was.name != now.name:
            yield on(now, f"renamed {was.name} → {now.name}", was.name, now.name)


def http_status_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code's HTTP status changed."""
    for was, now in code_pairs(old, new):
        before, after = was.http_status, now.http_status
        if before is not None and after is not None and before != after:
            yield on(now, f"http_status {before} → {after}", before, after)


def category_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code moved to another category (and exception class)."""
    for was, now in code_pairs(old, new):
        before, after = was.category, now.category
        if before.id != after.id:
            exceptions = f"exception {before.exception} → {after.exception}"
            message = f"category {before.id} → {after.id} ({exceptions})"
            yield on(now, message, before.id, after.id)


def transport_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code is no longer sent over one of its transports."""
    for was, now in code_pairs(old, new):
        for transport in was.transports:
            if transport not in now.transports:
                message = f"no longer sent over {transport}"
                yield on(now, message, list(was.transports), list(now.transports))


def transport_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code is now also sent over another transport."""
    for was, now in code_pairs(old, new):
        for transport in now.transports:
            if transport not in was.transports:
                message = f"now also sent over {transport}"
                yield on(now, message, list(was.transports), list(now.transports))


def retired_code_reused(old: Spec, new: Spec) -> Iterator[Finding]:
    """A retired code is live again, or was dropped from `retired`."""
    live, still = live_codes(new), {r.code for r in new.retired}
    for r in old.retired:
        if r.code in live:
            now = live[r.code].name
            message = (
                f"retired since {r.since} but live again as {now}; retired codes are never reused"
            )
            yield on(r, message, r.name, now)
        elif r.code not in still:
            hint = "keep it there so it is never reused"
            yield on(r, f"dropped from the retired list; {hint}", r.name)


def message_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code's wire message changed."""
    for was, now in code_pairs(old, new):
        if was.message != now.message:
            message = f"message {quoted(was.message)} → {quoted(now.message)}"
            yield on(now, message, was.message, now.message)


def retryable_turned_off(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code that was retryable no longer is."""
    for was, now in code_pairs(old, new):
        if was.retryable and not now.retryable:
            message = "no longer retryable; clients that retry it will stop"
            yield on(now, message, True, False)


def retryable_turned_on(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code became retryable."""
    for was, now in code_pairs(old, new):
        if now.retryable and not was.retryable:
            yield on(now, "now retryable", False, True)


def retry_after_dropped(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code no longer sends the Retry-After header."""
    for was, now in code_pairs(old, new):
        if was.retry_after and not now.retry_after:
            message = f"retry_after dropped; the {old.retry_after_header} header is no longer sent"
            yield on(now, message, True, False)


def retry_after_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code now sends the Retry-After header."""
    for was, now in code_pairs(old, new):
        if now.retry_after and not was.retry_after:
            message = f"now sends the {new.retry_after_header} header"
            yield on(now, message, False, True)


def _fields(old: Spec, new: Spec) -> Iterator[tuple[str, Field | None, Field | None]]:
    """(envelope id, old field, new field) for every field name on either side."""
    for before, after in (
        (old.http_envelope, new.http_envelope),
        (old.websocket_envelope, new.websocket_envelope),
    ):
        if before is None or after is None:
            continue  # the WebSocket API itself came or went: websocket_added/removed
        was, now = {f.name: f for f in before.fields}, {f.name: f for f in after.fields}
        for name in [*was, *(n for n in now if n not in was)]:
            yield after.id, was.get(name), now.get(name)


def _envelope(env: str, message: str, old: Any, new: Any) -> Finding:
    return about(f"{env} envelope", message, old, new)


def envelope_field_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """An envelope lost a field."""
    for env, was, now in _fields(old, new):
        if was is not None and now is None:
            yield _envelope(env, f"field {was.name} removed", was.name, None)


def envelope_field_made_required(old: Spec, new: Spec) -> Iterator[Finding]:
    """An optional envelope field became required."""
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and now.required and not was.required:
            yield _envelope(env, f"field {now.name} made required", False, True)


def envelope_field_made_optional(old: Spec, new: Spec) -> Iterator[Finding]:
    """A required envelope field became optional."""
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and was.required and not now.required:
            message = f"field {now.name} made optional; clients may rely on it"
            yield _envelope(env, message, True, False)


def envelope_field_type_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """An envelope field's type changed."""
    for env, was, now in _fields(old, new):
        if was is not None and now is not None and was.type != now.type:
            message = f"field {now.name} type {was.type} → {now.type}"
            yield _envelope(env, message, was.type, now.type)


def envelope_field_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """An envelope gained a field."""
    for env, was, now in _fields(old, new):
        if was is None and now is not None:
            required = "required" if now.required else "optional"
            yield _envelope(env, f"{required} field {now.name} added", None, now.name)


def code_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A new code."""
    known = set(live_codes(old)) | {r.code for r in old.retired}
    for e in new.codes:
        if e.code not in known:
            yield on(e, "added", new=e.name)


def code_retired(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code moved to (or was added to) `retired`."""
    live, before = live_codes(old), {r.code for r in old.retired}
    for r in new.retired:
        if r.code not in before:
            how = "moved to the retired list" if r.code in live else "added to the retired list"
            yield on(r, f"{how} (since {r.since})", new=r.since)


def localized(text: Text | None, lang: str) -> Any:
    """`text` in `lang`, or None when there is no such text."""
    try:
        return None if text is None else text[lang]
    except KeyError:
        return None


def texts_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code's page texts changed, per locale both specs have (locale_added and
    locale_removed say the rest once)."""
    locales = [lang for lang in new.locales if lang in old.locales]
    for was, now in code_pairs(old, new):
        for key in _TEXTS:
            for lang in locales:
                before, after = localized(getattr(was, key), lang), localized(
                    getattr(now, key), lang
                )
                if before != after:
                    what = "added" if before is None else "removed" if after is None else "changed"
                    yield on(now, f"{key}[{lang}] {what}", before, after)


def example_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code's page example changed."""
    for was, now in code_pairs(old, new):
        if dict(was.example) != dict(now.example):
            yield on(now, "example changed", dict(was.example), dict(now.example))


def doc_page(spec: Spec) -> tuple[str, str]:
    """(locale, page URL) that every `doc_url` of `spec` starts with."""
    lang = spec.page.doc_url_locale
    if spec.site_url is not None:
        return lang, f"{spec.site_url}/{lang}/errors/"
    return lang, spec.page.url[lang]


def doc_url_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A code's `doc_url` moved (its section was shared, split or retitled)."""
    (old_lang, old_page), (new_lang, new_page) = doc_page(old), doc_page(new)
    if old_lang != new_lang:
        return  # every anchor changes with the locale; page_url_changed says so once
    for was, now in code_pairs(old, new):
        before, after = was.doc_url, now.doc_url
        if before.removeprefix(old_page) != after.removeprefix(new_page):
            message = f"doc_url {before} → {after}; links to the old section break"
            title = _old_title(old, was, new, now)
            if title is not None:
                message += f"; to keep it, give code {now.code} section_title: {{{old_lang}: {quoted(title)}}}"
            yield on(now, message, before, after)


def _old_title(old: Spec, was: ErrorEntry, new: Spec, now: ErrorEntry) -> str | None:
    """The heading title that would keep a section's anchor: only when the section holds the
    same codes on both sides (a shared or split section moves whatever its title)."""
    lang = old.page.doc_url_locale
    before = next((s for s in old.sections(was.category) if was.code in s.codes), None)
    after = next((s for s in new.sections(now.category) if now.code in s.codes), None)
    if before is None or after is None or before.codes != after.codes:
        return None
    return str((before.lead.section_title or before.lead.meaning)[lang])


def code_deprecated(old: Spec, new: Spec) -> Iterator[Finding]:
    """A live code is now deprecated (still sent; the SDKs mark it)."""
    for was, now in code_pairs(old, new):
        if now.deprecated is not None and was.deprecated is None:
            instead = f"; use {now.deprecated.replacement}" if now.deprecated.replacement else ""
            yield on(
                now, f"deprecated since {now.deprecated.since}{instead}", new=now.deprecated.since
            )


def code_undeprecated(old: Spec, new: Spec) -> Iterator[Finding]:
    """A deprecated code is in good standing again."""
    for was, now in code_pairs(old, new):
        if was.deprecated is not None and now.deprecated is None:
            yield on(now, "no longer deprecated", old=was.deprecated.since)


def replacement_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The code a deprecated or retired code points to instead changed."""

    def replacements(spec: Spec) -> dict[int, int | None]:
        found = {e.code: e.deprecated.replacement for e in spec.codes if e.deprecated}
        return found | {r.code: r.replacement for r in spec.retired}

    before, after = replacements(old), replacements(new)
    entries: list[ErrorEntry | RetiredCode] = [*new.codes, *new.retired]
    for e in entries:
        if e.code in before and e.code in after and before[e.code] != after[e.code]:
            yield on(
                e, f"replacement {before[e.code]} → {after[e.code]}", before[e.code], after[e.code]
            )
