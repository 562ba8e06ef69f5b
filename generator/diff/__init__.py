"""`errspec diff`: what changed since another version of the spec, how badly, and the release
it needs.

    finding.py    a Finding, and a DiffRule (name, severity, bump, section, check)
    rules.py      every rule, declared once
    codes.py      the checks on single codes and the envelopes
    spec_wide.py  the checks on what many codes share
    specs.py      every rule on two specs, each finding placed in the new spec
    release.py    the bump the findings need, and the findings about `release` itself
    git.py        the spec and the SDK files at a git revision
    format.py     text, json, github annotations, markdown release notes
    command.py    the command
"""

from .command import load_against, run_diff
from .finding import SEVERITIES, DiffRule, Finding
from .rules import RULES
from .specs import diff_specs

__all__ = ["RULES", "SEVERITIES", "DiffRule", "Finding", "diff_specs", "load_against", "run_diff"]
