"""`errspec validate` checks the whole input set that `generate` reads: validate 0 => generate 0;
its warnings (what the OpenAPI or the page would show wrongly) stand at the spec line."""

from __future__ import annotations

import copy
import re
from pathlib import Path


from support import code_entry, dump_spec, entry_of as entry, localized_texts, retired_entry
from support import frozen_data as load_frozen_data
from support import run_errspec, yaml_load

# `project` is a scratch project of the frozen registry: these tests name its codes.


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_validate_reads_the_api_surface_as_generate_does(project: Path) -> None:
    surface = project / "spec" / "openapi.yaml"
    text = surface.read_text(encoding="utf-8")
    surface.write_text(
        text.replace(
            "x-error-codes: [1001, 1002, 1003, 3001, 5000]", "x-error-codes: [1001, 9999]"
        ),
        encoding="utf-8",
    )
    validate = run_errspec("validate", cwd=project)
    generate = run_errspec("generate", cwd=project)
    assert (validate.code, generate.code) == (2, 2), validate.out + validate.err
    line = line_of(surface, "      x-error-codes: [1001, 9999]")
    expected = f"spec/openapi.yaml:{line}:29: x-error-codes names unknown code 9999"
    assert expected in validate.err and expected in generate.err


def test_validate_takes_another_surface(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "surface.yaml"
    other.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8"
    )
    result = run_errspec("validate", "--openapi", str(other), cwd=project)
    assert result.code == 0, result.err
    assert f"with {other} and every target" in result.out


def test_a_retired_code_in_x_error_codes_says_since_when(project: Path) -> None:
    data = load_frozen_data()
    data["codes"].remove(entry(data, 2002))
    data["retired"] = [retired_entry(2002, "SYMBOL_NOT_FOUND", since="v2")]
    data["handler"]["cases"] = [c for c in data["handler"]["cases"] if c["codes"] != [2002]]
    dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", cwd=project)
    assert result.code == 2
    assert re.search(
        r"^spec/openapi.yaml:\d+:\d+: x-error-codes names code 2002, retired in v2; remove it here$",
        result.err,
        re.M,
    ), result.err
    assert "add it to spec/errors.yaml" not in result.err


def add_3005(data: dict) -> None:
    data["codes"].append(
        code_entry(
            3005,
            name="PAYLOAD_TOO_LARGE",
            message="Payload too large",
            http_status=413,
            meaning={"zh": "请求体过大", "en": "Payload too large"},
        )
    )


def test_an_http_code_no_operation_lists_is_a_warning(project: Path) -> None:
    data = load_frozen_data()
    add_3005(data)
    spec = dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", cwd=project)
    assert result.code == 0, result.err
    line = line_of(spec, "- code: 3005")
    warning = next(w for w in result.err.splitlines() if "3005" in w)
    assert warning.startswith(
        f"spec/errors.yaml:{line}:9: warning: code 3005 (HTTP 413) is listed in no operation's"
        " x-error-codes, so the OpenAPI document never shows it; add 3005 to the x-error-codes"
        " of the operations that can return it (e.g. GET /v1/market/ticker/{symbol},"
    )
    assert "warning(s)" in result.out
    assert run_errspec("generate", cwd=project).code == 0


def test_an_example_message_that_differs_is_a_warning_unless_marked(project: Path) -> None:
    data = load_frozen_data()
    entry(data, 1001)["example"]["message"] = "Invalid token: expired"
    entry(data, 2001).pop("example_message_differs", None)  # 2001's example shows a detail
    dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", cwd=project)
    assert result.code == 0, result.err
    found = [w for w in result.err.splitlines() if "the example's message" in w]
    assert [re.sub(r"^.*: warning: code (\d+):.*$", r"\1", w) for w in found] == ["1001", "2001"]
    assert "add `example_message_differs: true` to the code" in found[0]
    entry(data, 2001)["example_message_differs"] = True
    dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", cwd=project)
    found = [w for w in result.err.splitlines() if "the example's message" in w]
    assert [re.sub(r"^.*: warning: code (\d+):.*$", r"\1", w) for w in found] == ["1001"]


def test_github_format_annotates_errors_and_warnings(project: Path) -> None:
    data = load_frozen_data()
    add_3005(data)
    spec = dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", "--format", "github", cwd=project)
    assert result.code == 0, result.err
    line = line_of(spec, "- code: 3005")
    assert (
        f"::warning file=spec/errors.yaml,line={line},col=9,title=errspec warning::code 3005"
        " (HTTP 413) is listed in no operation's x-error-codes" in result.out
    )
    entry(data, 3001)["http_status"] = 200
    dump_spec(data, spec)
    result = run_errspec("validate", "--format", "github", cwd=project)
    assert result.code == 2
    [annotation] = [a for a in result.out.splitlines() if a.startswith("::error ")]
    assert re.fullmatch(
        r"::error file=spec/errors.yaml,line=\d+,col=\d+,title=errspec error::code 3001 has"
        r" http_status 200, which is not an error status \(only code 0 may be 2xx\); use a 4xx"
        r" status for a client error or a 5xx status for a server error",
        annotation,
    )


def test_a_spec_without_a_surface_is_validated_with_every_target_and_says_so_once(
    tmp_path: Path,
) -> None:
    """Without spec/openapi.yaml, generate writes an OpenAPI of the components alone, and
    validate 0 means generate 0: one note, not a warning per code."""
    spec = dump_spec(load_frozen_data(), tmp_path / "spec" / "errors.yaml")
    result = run_errspec("validate", "--spec", str(spec))
    assert result.code == 0, result.err
    assert result.err.count("errspec: note: no ") == 1
    assert "the OpenAPI document has the components only (paths: {})" in result.err
    assert "listed in no operation" not in result.err
    assert "with no API surface and every target" in result.out
    made = run_errspec("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert made.code == 0, made.err
    openapi = yaml_load((tmp_path / "out" / "openapi.yaml").read_text(encoding="utf-8"))
    assert openapi["paths"] == {} and "ErrorEnvelope" in openapi["components"]["schemas"]


def test_a_locale_errspec_has_no_words_for_needs_them_or_a_fallback(project: Path) -> None:
    data = load_frozen_data()
    data["locales"].append("ja")
    for text in localized_texts(data, ["zh", "en"]):
        text["ja"] = copy.deepcopy(text["en"])
    data["page"]["labels"] = {}
    dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", "--spec", "spec/errors.yaml", cwd=project)
    assert result.code == 2
    assert "errspec has no words of its own for ja" in result.err
    assert "generator/" not in result.err  # no message tells a user to edit errspec's code
    data["fallback"] = "en"
    dump_spec(data, project / "spec" / "errors.yaml")
    result = run_errspec("validate", "--spec", "spec/errors.yaml", cwd=project)
    assert result.code == 0, result.err
    shown = run_errspec(
        "explain", "3001", "--lang", "JA", "--spec", "spec/errors.yaml", cwd=project
    )
    assert shown.code == 0 and "retryable" in shown.out  # the fallback's words


def test_a_comment_that_cuts_a_text_short_is_a_warning(project: Path) -> None:
    """`message: A #b` is the text "A": the " #" starts a YAML comment. Said at the text, with
    the quoted form; a quoted "#", a comment of its own line and one after a number are not."""
    spec = project / "spec" / "errors.yaml"
    text = spec.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("    message: "))
    message = lines[first].removeprefix("    message: ").rstrip("\n")
    lines[first] = f"    message: {message} #v2 wording\n"
    second = next(
        i for i, line in enumerate(lines) if line.startswith("    message: ") and i > first
    )
    quoted = lines[second].removeprefix("    message: ").rstrip("\n")
    lines[second] = f'    message: "{quoted} #1"\n'
    lines.insert(first, "    # a comment of its own line\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("    http_status: "))
    lines[number] = lines[number].rstrip("\n") + "  # the usual status\n"
    spec.write_text("".join(lines), encoding="utf-8")
    result = run_errspec("validate", cwd=project)
    assert result.code == 0, result.err
    found = [w for w in result.err.splitlines() if "ends before" in w]
    assert found == [
        f'spec/errors.yaml:{first + 2}:14: warning: message: the text ends before " #": YAML'
        f' reads "#v2 wording" as a comment, so the text is {message!r}; if the # belongs to'
        f' the text, put it in double quotes: message: "{message} #v2 wording"; else move the'
        " comment to a line of its own"
    ]
