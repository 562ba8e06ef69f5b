"""The exit codes of every errspec command: the one table (the README repeats it)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What an errspec process tells its caller."""

    OK = 0  # valid, in sync, written, or no finding at --fail-on
    DRIFT = 1  # check: the output directory differs; diff: a finding reaches --fail-on
    INVALID = 2  # bad input: a spec problem, an unreadable file, a refused --out, a usage error
    BUG = 3  # an internal error of errspec: please report it (ERRSPEC_DEBUG=1 shows the traceback)
    IO = 4  # the outputs could not be written (disk full, permissions); nothing was changed
