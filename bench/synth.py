"""Synthetic but realistic registries of N codes, derived from the frozen registry.

The page, envelopes, WebSocket, HTTP, handler and retired sections and the
categories and codes are copied from tests/fixtures/published/errors.yaml (the
registry as published, frozen, so that the workload does not move when the real
spec does; run.py checks the hash of what it generates); the remaining codes go
into extra categories with wide ranges. Every optional field of a code is used
somewhere, in both locales, and texts carry the characters the filters escape
(quotes, backslashes, pipes, backticks, dollars, braces). The hand-written
spec/openapi.yaml is copied beside it, its x-error-codes extended with a sample
of the synthetic codes so that the generated OpenAPI grows with N.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "errors.yaml"
OPENAPI = ROOT / "spec" / "openapi.yaml"
BASE = ROOT / "tests" / "fixtures" / "published" / "errors.yaml"
BASE_OPENAPI = ROOT / "tests" / "fixtures" / "published" / "openapi.yaml"

CATEGORIES = 8
RANGE = 100_000
_WORDS_EN = (
    "order",
    "account",
    "symbol",
    "balance",
    "channel",
    "session",
    "quota",
    "ledger",
    "price",
    "depth",
    "trade",
    "token",
    "webhook",
    "report",
    "export",
    "snapshot",
)
_STATES_EN = (
    "not found",
    "locked",
    "expired",
    "invalid",
    "unavailable",
    "too large",
    "already exists",
    "rejected",
    "pending",
    "suspended",
)
_WORDS_ZH = (
    "订单",
    "账户",
    "交易品种",
    "余额",
    "频道",
    "会话",
    "配额",
    "账本",
    "价格",
    "深度",
    "成交",
    "令牌",
    "回调",
    "报表",
    "导出",
    "快照",
)
_STATES_ZH = (
    "不存在",
    "已锁定",
    "已过期",
    "无效",
    "不可用",
    "过大",
    "已存在",
    "被拒绝",
    "处理中",
    "已暂停",
)
_STATUSES = (400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503)


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def _dump(data: Any, **options: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, **options))


def synthetic_spec(n: int, seed: int = 7) -> dict[str, Any]:
    """The real spec's data grown to `n` codes (the real codes included)."""
    data: dict[str, Any] = _load(BASE.read_text(encoding="utf-8"))
    data["packages"]["go"] = "example.com/market-data/mderrors"  # the Go SDK is made too
    real = data["codes"]
    if n < len(real):
        raise ValueError(f"n must be at least the {len(real)} codes of the real spec")
    rng = random.Random(seed)
    extra = n - len(real)
    per_category = -(-extra // CATEGORIES) if extra else 0
    used = max(c["range"][1] for c in data["categories"])
    start = (used // RANGE + 1) * RANGE
    for k in range(CATEGORIES if extra else 0):
        low = start + k * RANGE
        data["categories"].append(
            {
                "id": f"domain_{k}",
                "range": [low, low + RANGE - 1],
                "label": f"{low // RANGE}xxxxx",
                "exception": f"Domain{k}Error",
                "title": {
                    "zh": f"{_WORDS_ZH[k % len(_WORDS_ZH)]}错误 {k}",
                    "en": f"{_WORDS_EN[k % len(_WORDS_EN)].capitalize()} errors {k}",
                },
            }
        )
    codes = list(real)
    for i in range(extra):
        k, j = divmod(i, per_category)
        codes.append(_code(rng, start + k * RANGE + j + 1, f"domain_{k}", j, codes[-1]))
    data["codes"] = codes
    return data


def _code(
    rng: random.Random, code: int, category: str, j: int, previous: dict[str, Any]
) -> dict[str, Any]:
    w = rng.randrange(len(_WORDS_EN))
    s = rng.randrange(len(_STATES_EN))
    en = f"{_WORDS_EN[w].capitalize()} {_STATES_EN[s]}"
    zh = f"{_WORDS_ZH[w]}{_STATES_ZH[s]}"
    websocket_only = j % 7 == 3
    retryable = j % 5 == 0 and not websocket_only
    raw: dict[str, Any] = {
        "code": code,
        "name": f"{_WORDS_EN[w].upper()}_{_STATES_EN[s].upper().replace(' ', '_')}_{code}",
        "category": category,
        "message": f'{en} (ref "{code}")' if j % 3 else f"{en}: see `/v1/{_WORDS_EN[w]}s/{{id}}`",
        "transports": (
            ["websocket"] if websocket_only else ["http", "websocket"] if j % 2 else ["http"]
        ),
        "meaning": {"zh": f"{zh}（{code}）", "en": f"{en} ({code})"},
    }
    if not websocket_only:
        raw["http_status"] = 429 if retryable and j % 10 == 0 else rng.choice(_STATUSES)
    if retryable:
        raw["retryable"] = True
        if j % 10 == 0:
            raw["retry_after"] = True
    if j % 4:
        raw["suggestion"] = {
            "zh": f"检查 {_WORDS_EN[w]} 参数 | 稍后重试",
            "en": f"Check the {_WORDS_EN[w]} parameter | retry later",
        }
    if j % 6 == 1:
        raw["causes"] = {
            "zh": [f"{zh}", "参数 `limit` 超出 $100 上限", '请求中含有 \\ 或 " 字符'],
            "en": [
                en,
                "The `limit` exceeds the $100 cap",
                'The request contains \\ or " characters',
            ],
        }
    elif j % 6 == 4:
        raw["causes"] = {
            "zh": f"{zh}，请检查 {{id}} 是否正确。",
            "en": f"{en}; check that {{id}} is right.",
        }
    if j % 3 != 2:
        raw["solution"] = (
            {"zh": ["重试请求", "联系技术支持"], "en": ["Retry the request", "Contact support"]}
            if j % 2
            else {
                "zh": f"调用 `GET /v1/{_WORDS_EN[w]}s` 后重试。",
                "en": f"Call `GET /v1/{_WORDS_EN[w]}s`, then retry.",
            }
        )
    if j % 9 == 5:
        raw["notes"] = {
            "zh": "响应头 `Retry-After` 给出等待秒数。",
            "en": "The `Retry-After` header gives the wait in seconds.",
        }
    shares = (
        j % 11 == 2
        and previous.get("category") == category
        and "shares_section_with" not in previous
        and ("http" in previous["transports"]) == (not websocket_only)
    )
    if shares:
        raw["shares_section_with"] = previous["code"]
    if j % 11 == 1:
        raw["section_title"] = {
            "zh": f"{_WORDS_ZH[w]}暂不可用",
            "en": f"{_WORDS_EN[w].capitalize()} temporarily unavailable",
        }
    example: dict[str, Any] = {"code": code, "message": raw["message"]}
    if websocket_only:
        example = {"cmd": "subscribe", **example}
    if j % 2:
        example["data"] = {
            "id": f"{_WORDS_EN[w]}-{code}",
            "limit": j % 1000,
            "retry": retryable,
            "tags": [_WORDS_EN[w], "a|b", 'quote"d'],
            "next": None,
        }
    raw["example"] = example
    return raw


def synthetic_openapi(data: dict[str, Any], sample: int = 40) -> str:
    """spec/openapi.yaml with a sample of the synthetic codes added to its operations."""
    surface: dict[str, Any] = _load(BASE_OPENAPI.read_text(encoding="utf-8"))
    real = {c["code"] for c in _load(BASE.read_text(encoding="utf-8"))["codes"]}
    extra = [c for c in data["codes"] if c["code"] not in real]
    picked = extra[:: max(1, len(extra) // sample)] if extra else []
    surface = copy.deepcopy(surface)
    for i, item in enumerate(surface["paths"].values()):
        for op in item.values():
            if isinstance(op, dict) and "x-error-codes" in op:
                op["x-error-codes"] = op["x-error-codes"] + [c["code"] for c in picked[i::3]]
    return _dump(surface, allow_unicode=True, sort_keys=False, width=100)


def write_workspace(root: Path, n: int | None) -> Path:
    """A project directory holding spec/errors.yaml and spec/openapi.yaml.

    `n` None copies the real spec; otherwise a synthetic spec of `n` codes.
    Returns the spec path.
    """
    spec_dir = root / "spec"
    spec_dir.mkdir(parents=True, exist_ok=True)
    if n is None:
        (spec_dir / "errors.yaml").write_bytes(SPEC.read_bytes())
        (spec_dir / "openapi.yaml").write_bytes(OPENAPI.read_bytes())
    else:
        data = synthetic_spec(n)
        text = _dump(data, allow_unicode=True, sort_keys=False, width=100)
        (spec_dir / "errors.yaml").write_text(text, encoding="utf-8")
        (spec_dir / "openapi.yaml").write_text(synthetic_openapi(data), encoding="utf-8")
    return spec_dir / "errors.yaml"


def change_one_message(spec: Path) -> None:
    """Edit the message of one code (the middle one) in place."""
    data = _load(spec.read_text(encoding="utf-8"))
    entry = data["codes"][len(data["codes"]) // 2]
    entry["message"] += " (changed)"
    entry["example"]["message"] = entry["message"]
    spec.write_text(_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
