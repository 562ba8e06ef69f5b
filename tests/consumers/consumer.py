"""Typical consumer code of the Python SDK: checked by mypy --strict and pyright --strict."""

from __future__ import annotations

from http.client import HTTPMessage
from typing import Any

from market_data_errors.error_codes import ErrorCode
from market_data_errors.exceptions import ApiError, raise_for_envelope
from market_data_errors.models import ErrorEnvelope


def describe(code: int) -> str:
    known = ErrorCode.lookup(code)
    if known is None:
        return f"unknown {code}"
    member = ErrorCode(code)
    if code == ErrorCode.RATE_LIMIT_EXCEEDED:
        return f"slow down ({member.retry_after})"
    return f"{member.name}: {member.message} retryable={ErrorCode.RATE_LIMIT_EXCEEDED.retryable}"


def handle(body: dict[str, Any], headers: HTTPMessage) -> object:
    envelope = ErrorEnvelope.model_validate(body)
    try:
        return raise_for_envelope(envelope, headers)
    except ApiError as error:
        if error.code == ErrorCode.RATE_LIMIT_EXCEEDED and error.retry_after is not None:
            return error.retry_after
        raise


def handle_plain(body: dict[str, object], headers: dict[str, str]) -> object:
    return raise_for_envelope({"code": ErrorCode.SUCCESS, "data": body}, headers)
