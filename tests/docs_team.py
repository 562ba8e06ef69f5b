"""The docs team's everyday edit, made as a person makes it: by editing the text of spec/.

Adds code 3005 (HTTP 413, zh and en texts) and lists it in an operation's x-error-codes,
rewords 1001's wire message and its page example, retires 2003 the way the README says
(the code's entry moves to `retired` with `{code, name, reason, since}`), and raises `release`.
Used by tests/test_docs_team_scenario.py; every edit checks that its anchor text exists, so a
changed spec fails loudly here instead of silently making no edit.
"""

from __future__ import annotations

import re
from pathlib import Path

NEW_CODE = 3005
NEW_NAME = "REQUEST_TOO_LARGE"
NEW_STATUS = 413
NEW_CODE_OPERATION = "/v1/market/depth"
REWORDED = 1001
NEW_MESSAGE = "API key is invalid or expired"
RETIRED = 2003
RETIRED_SINCE = "2.0.0"
# What `errspec diff` asks for: retiring 2003 takes a member from the SDKs' ErrorCode (major).
NEW_RELEASE = "2.0.0"

NEW_CODE_YAML = f"""\
  - code: {NEW_CODE}
    name: {NEW_NAME}
    category: rate_limit
    message: Request too large
    http_status: {NEW_STATUS}
    transports: [http]
    meaning: {{zh: 请求体过大, en: Request too large}}
    suggestion: {{zh: 缩小请求范围, en: Ask for less data per request}}
    solution:
      zh: 减少单次请求的数据量，分多次请求。
      en: Ask for less data per request, and split large queries.
    example: {{code: {NEW_CODE}, message: Request too large}}

"""

RETIRED_YAML = f"""\
retired:
  - code: {RETIRED}
    name: {{name}}
    reason:
      zh: 时间范围参数已移除。
      en: The time range parameters were removed.
    since: "{RETIRED_SINCE}"
"""


def _replace_once(text: str, old: str, new: str, what: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"docs-team edit ({what}): expected {old!r} exactly once")
    return text.replace(old, new)


def _code_block(text: str, code: int) -> re.Match[str]:
    """The `  - code: N` item of `codes:` with its trailing blank line."""
    found = re.search(rf"^  - code: {code}\n(?:(?!  - |\S).*\n|\n)*", text, re.M)
    if found is None:
        raise AssertionError(f"docs-team edit: no entry for code {code}")
    return found


def edit_errors(text: str) -> str:
    """spec/errors.yaml after the docs team's edit."""
    old_message = re.search(
        rf"^  - code: {REWORDED}\n(?:    .*\n)*?    message: (.*)\n", text, re.M
    )
    if old_message is None:
        raise AssertionError(f"docs-team edit: no message for code {REWORDED}")
    block = _code_block(text, REWORDED)
    reworded = block.group(0).replace(old_message.group(1), NEW_MESSAGE)
    text = text[: block.start()] + reworded + text[block.end() :]

    retired = _code_block(text, RETIRED)
    name = re.search(r"^    name: (\S+)$", retired.group(0), re.M)
    assert name is not None
    text = text[: retired.start()] + text[retired.end() :]
    text = _replace_once(
        text, "retired: []\n", RETIRED_YAML.format(name=name.group(1)), "retire 2003"
    )

    after = _code_block(text, 3004)
    text = text[: after.end()] + NEW_CODE_YAML + text[after.end() :]
    return re.sub(r"^release: .*$", f"release: {NEW_RELEASE}", text, count=1, flags=re.M)


def edit_openapi(text: str) -> str:
    """spec/openapi.yaml: 3005 listed in one operation's x-error-codes, 2003 in none."""
    lists = re.compile(r"x-error-codes: \[(.*)\]")
    target = lists.search(text, text.index(f"  {NEW_CODE_OPERATION}:"))
    assert target is not None

    def edited(found: re.Match[str]) -> str:
        listed = {int(c) for c in found.group(1).split(",")} - {RETIRED}
        if found.start() == target.start():
            listed.add(NEW_CODE)
        return f"x-error-codes: [{', '.join(map(str, sorted(listed)))}]"

    return lists.sub(edited, text)


def apply(project: Path) -> None:
    """Make the docs team's edit in project/spec/ (errors.yaml and openapi.yaml)."""
    errors = project / "spec" / "errors.yaml"
    openapi = project / "spec" / "openapi.yaml"
    errors.write_text(edit_errors(errors.read_text(encoding="utf-8")), encoding="utf-8")
    openapi.write_text(edit_openapi(openapi.read_text(encoding="utf-8")), encoding="utf-8")
