"""The checks of `errspec diff` on what many codes share: categories, the retired list, the
page, the WebSocket and HTTP settings and the handler example (rules.py declares the rule of
each). Changes that concern no single code have `code` None and name what changed
("category rate_limit", "page", "http", ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import Case, Category, RetiredCode, Spec, Text
from .codes import doc_page, localized
from .finding import Finding, about, on


def _text_changes(
    key: str, was: Text, now: Text, locales: tuple[str, ...]
) -> Iterator[tuple[str, Any, Any]]:
    """(`key[lang]`, old text, new text) for every locale whose text differs."""
    for lang in locales:
        before, after = localized(was, lang), localized(now, lang)
        if before != after:
            yield f"{key}[{lang}]", before, after


def _categories(old: Spec, new: Spec) -> Iterator[tuple[Category, Category]]:
    """Every category on both sides, as (old, new)."""
    now = {c.id: c for c in new.categories}
    for was in old.categories:
        if was.id in now:
            yield was, now[was.id]


def category_exception_renamed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A category's exception class was renamed."""
    for was, now in _categories(old, new):
        if was.exception != now.exception:
            why = f"SDK code that catches {was.exception} no longer catches its codes"
            message = f"exception {was.exception} → {now.exception}; {why}"
            yield about(f"category {now.id}", message, was.exception, now.exception)


def _removed_categories(old: Spec, new: Spec) -> Iterator[tuple[Category, list[int], bool]]:
    """Every category gone from the new spec: (category, its codes, whether its exception
    class is gone from the SDKs too)."""
    kept = {c.id for c in new.categories}
    exceptions = {c.exception for c in new.categories}
    for cat in old.categories:
        if cat.id not in kept:
            yield cat, [e.code for e in old.in_category(cat)], cat.exception not in exceptions


def _gone(cat: Category, gone: bool) -> str:
    return f"; the SDKs no longer define {cat.exception}" if gone else ""


def category_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A category that had codes was removed."""
    for cat, codes, gone in _removed_categories(old, new):
        if codes:
            message = f"removed while it had codes {', '.join(map(str, codes))}{_gone(cat, gone)}"
            yield about(f"category {cat.id}", message, cat.id)


def exception_class_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """An empty category was removed, and its exception class with it."""
    for cat, codes, gone in _removed_categories(old, new):
        if not codes and gone:
            yield about(f"category {cat.id}", f"removed{_gone(cat, gone)}", cat.id)


def empty_category_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """An empty category was removed; its exception class stays (another category uses it)."""
    for cat, codes, gone in _removed_categories(old, new):
        if not codes and not gone:
            yield about(f"category {cat.id}", "removed", cat.id)


def category_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A new category."""
    known = {c.id for c in old.categories}
    for cat in new.categories:
        if cat.id not in known:
            message = f"added ({cat.low}-{cat.high}, exception {cat.exception})"
            yield about(f"category {cat.id}", message, new=cat.id)


def category_text_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A category's label or title changed."""
    for was, now in _categories(old, new):
        subject = f"category {now.id}"
        if was.label != now.label:
            yield about(subject, f"label {was.label} → {now.label}", was.label, now.label)
        both = tuple(lang for lang in new.locales if lang in old.locales)
        for key, before, after in _text_changes("title", was.title, now.title, both):
            yield about(subject, f"{key} changed", before, after)


def category_retryable_default_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A category's retryable_default changed: the SDKs retry its unknown codes otherwise."""
    for was, now in _categories(old, new):
        if was.retryable_default != now.retryable_default:
            state = "retryable" if now.retryable_default else "not retryable"
            message = f"retryable_default {was.retryable_default} → {now.retryable_default}; the SDKs now treat its unknown codes as {state}"
            yield about(f"category {now.id}", message, was.retryable_default, now.retryable_default)


def go_module_path_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The Go module's import path changed: packages.go, or the /vN a major release adds."""
    if old.packages.go and new.packages.go and old.go_module != new.go_module:
        why = "Go code imports the new path; the old one keeps the old release"
        message = f"Go import path {old.go_module} → {new.go_module}; {why}"
        yield about("packages", message, old.go_module, new.go_module)


def _retired_pairs(old: Spec, new: Spec) -> Iterator[tuple[RetiredCode, RetiredCode]]:
    """Every code retired on both sides, as (old entry, new entry)."""
    now = {r.code: r for r in new.retired}
    for was in old.retired:
        if was.code in now:
            yield was, now[was.code]


def retired_name_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A retired code's name changed (the old name is free again)."""
    names = {r.code: r.name for r in old.retired} | {e.code: e.name for e in old.codes}
    for now in new.retired:
        was = names.get(now.code)
        if was is not None and was != now.name:
            why = f"{was} is no longer reserved and may be given to another code"
            yield on(now, f"retired name {was} → {now.name}; {why}", was, now.name)


def retired_text_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A retired code's reason or release changed."""
    for was, now in _retired_pairs(old, new):
        if was.since != now.since:
            yield on(now, f"since {was.since} → {now.since}", was.since, now.since)
        both = tuple(lang for lang in new.locales if lang in old.locales)
        for key, before, after in _text_changes("reason", was.reason, now.reason, both):
            yield on(now, f"{key} changed", before, after)


def page_url_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The page every `doc_url` points to moved: its URL, or the doc URL locale, changed."""
    (old_lang, old_page), (new_lang, new_page) = doc_page(old), doc_page(new)
    every = "every doc_url changes; links to the old page break"
    if old_lang != new_lang:
        message = f"doc_url_locale {old_lang} → {new_lang}; {every}"
        yield about("page", message, old_lang, new_lang)
    elif old_page != new_page:
        message = f"url[{new_lang}] {old_page} → {new_page}; {every}"
        yield about("page", message, old_page, new_page)


def other_page_url_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The page URL of a locale other than the doc URL locale changed."""
    new_lang = new.page.doc_url_locale
    both = tuple(lang for lang in new.locales if lang in old.locales)
    for key, before, after in _text_changes("url", old.page.url, new.page.url, both):
        if key != f"url[{new_lang}]":
            yield about("page", f"{key} {before} → {after}", before, after)


def handler_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The handler example changed, came or went."""
    was, now = old.handler, new.handler
    if was is None or now is None:
        if was is not now:
            yield about(
                "handler",
                (
                    "added"
                    if was is None
                    else "removed: the page and the" " snippets show no handler example"
                ),
            )
        return
    for key in ("function", "endpoint", "default"):
        before, after = getattr(was, key), getattr(now, key)
        if before != after:
            yield about("handler", f"{key} {before} → {after}", before, after)
    both = tuple(lang for lang in new.locales if lang in old.locales)
    matched: set[int] = set()
    for before in was.cases:
        j = next(
            (
                j
                for j, c in enumerate(now.cases)
                if j not in matched and set(c.codes) & set(before.codes)
            ),
            None,
        )
        if j is None:
            yield about("handler", f"case for {_codes(before)} removed", before.action)
            continue
        matched.add(j)
        after = now.cases[j]
        if _case_key(before, both) != _case_key(after, both):
            moved = "" if before.codes == after.codes else f" → {_codes(after)}"
            yield about("handler", f"case for {_codes(before)}{moved} changed")
    for j, after in enumerate(now.cases):
        if j not in matched:
            yield about("handler", f"case for {_codes(after)} added", new=after.action)


def _case_key(case: Case, locales: tuple[str, ...]) -> tuple[object, ...]:
    """What a case is, in the locales both specs have."""
    return (
        case.codes,
        case.action,
        case.default_delay,
        tuple(case.message[lang] for lang in locales),
    )


def _codes(case: Case) -> str:
    """ "code 2002" or "codes 1001, 1002": what a handler case is known by."""
    plural = "s" if len(case.codes) > 1 else ""
    return f"code{plural} {', '.join(map(str, case.codes))}"


def websocket_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The API no longer answers on WebSocket: every WebSocket client breaks."""
    if old.websocket_envelope is not None and new.websocket_envelope is None:
        message = f"the WebSocket API ({old.websocket_path}) removed; WebSocket clients break"
        yield about("websocket", message, old.websocket_path)


def websocket_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """The API now answers on WebSocket too."""
    if old.websocket_envelope is None and new.websocket_envelope is not None:
        yield about(
            "websocket", f"the WebSocket API ({new.websocket_path}) added", new=new.websocket_path
        )


def websocket_command_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A WebSocket command was removed (the API still has WebSocket)."""
    if new.websocket_envelope is None:
        return  # websocket_removed says it once
    kept = {c.name for c in new.commands}
    for command in old.commands:
        if command.name not in kept:
            message = f"command {command.name} removed; clients that send it get errors"
            yield about("websocket", message, command.name)


def websocket_command_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A new WebSocket command."""
    known = {c.name for c in old.commands}
    for command in new.commands:
        if command.name not in known:
            yield about("websocket", f"command {command.name} added", new=command.name)


def websocket_endpoint_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """The WebSocket path or API key parameter changed."""
    if old.websocket_envelope is None or new.websocket_envelope is None:
        return
    for key in ("websocket_path", "api_key_param"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            message = f"{key.removeprefix('websocket_')} {before} → {after}; clients must follow"
            yield about("websocket", message, before, after)


def http_header_changed(old: Spec, new: Spec) -> Iterator[Finding]:
    """An HTTP header name changed."""
    for key in ("api_key_header", "retry_after_header"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            message = f"{key} {before} → {after}; clients send or read the old header"
            yield about("http", message, before, after)


def locale_added(old: Spec, new: Spec) -> Iterator[Finding]:
    """A locale was added: its texts come with it."""
    for found in new.coverage:
        if found.lang not in old.locales:
            count = f"{found.translated} of {found.total} texts"
            yield about("locales", f"locale {found.lang} added ({count})", new=found.lang)


def locale_removed(old: Spec, new: Spec) -> Iterator[Finding]:
    """A locale was removed: its pages and texts go."""
    for found in old.coverage:
        if found.lang not in new.locales:
            count = f"{found.translated} of {found.total} texts"
            message = f"locale {found.lang} removed ({count}); its pages are no longer published"
            yield about("locales", message, found.lang)
