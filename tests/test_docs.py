"""The docs keep up with the code: every setting and command has a home in docs/, and the README stays a
short front page whose links all lead somewhere (issue 16: a 48 KB README whose facts drifted apart)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from trivsel.cli import build_parser

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_MAX_BYTES = 6_500
# Where the variables are read: the application, and the scripts that start the browser for the tests.
SOURCES = [
    *ROOT.glob("src/**/*.py"),
    ROOT / "app.py",
    *ROOT.glob("pages/*.py"),
    *ROOT.glob("scripts/*"),
    *ROOT.glob("benchmarks/**/*.py"),
]
VARIABLE = re.compile(r"\bTRIVSEL_[A-Z][A-Z0-9_]*\b")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE_TAG = re.compile(r"<img [^>]*src=\"([^\"]+)\"")


def environment_variables() -> set[str]:
    return {name for path in SOURCES if path.is_file() for name in VARIABLE.findall(path.read_text("utf-8"))}


def commands(parser: argparse.ArgumentParser, prefix: str = "trivsel") -> dict[str, argparse.ArgumentParser]:
    """Every runnable command, nested ones included: {"trivsel import units": its parser, ...}."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= commands(sub, f"{prefix} {name}") or {f"{prefix} {name}": sub}
    return found


def options(parser: argparse.ArgumentParser) -> set[str]:
    """The options a user may type (not --help, not the hidden ones)."""
    return {
        flag
        for action in parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction)
        for flag in action.option_strings
    }


def markdown_code(text: str) -> list[str]:
    """The headings and code spans of a markdown text (fenced blocks are neither, and are left out)."""
    text = FENCE.sub("", text)
    return HEADING.findall(text) + [span for _, span in CODE_SPAN.findall(text)]


def mentions(pieces: list[str], word: str) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    return any(pattern.search(piece) for piece in pieces)


def docs_code() -> list[str]:
    return [piece for path in sorted(DOCS.glob("*.md")) for piece in markdown_code(path.read_text("utf-8"))]


def test_the_scans_find_what_is_there():
    """A scan that finds nothing would pass every test below."""
    assert {"TRIVSEL_DB", "TRIVSEL_MILESTONES", "TRIVSEL_BACKUP_KEEP", "TRIVSEL_CHROMIUM"} <= environment_variables()
    assert {
        "trivsel init",
        "trivsel import units",
        "trivsel export unit-summary",
        "trivsel users add",
        "trivsel retention run",
    } <= set(commands(build_parser()))
    assert "trivsel users" not in commands(build_parser())  # a group, not a command
    assert mentions(markdown_code("## `TRIVSEL_DB` x\n\ntext `trivsel users add NAME`\n"), "trivsel users add")
    assert not mentions(markdown_code("`TRIVSEL_INBOX_POLL_SECONDS`"), "TRIVSEL_INBOX")
    assert not mentions(markdown_code("```\nTRIVSEL_DB=x\n```\n"), "TRIVSEL_DB")


def test_every_environment_variable_is_documented():
    pieces = docs_code()
    assert sorted(name for name in environment_variables() if not mentions(pieces, name)) == []


def test_every_command_is_documented():
    pieces = docs_code()
    assert sorted(name for name in commands(build_parser()) if not mentions(pieces, name)) == []


def test_every_command_option_is_in_the_cli_reference():
    pieces = markdown_code((DOCS / "cli.md").read_text("utf-8"))
    missing = [
        f"{name} {flag}"
        for name, parser in commands(build_parser()).items()
        for flag in sorted(options(parser))
        if not mentions(pieces, flag)
    ]
    assert missing == []


def test_the_readme_is_a_short_front_page():
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move the details to docs/"


@pytest.mark.parametrize("path", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_lead_to_files_that_exist(path):
    text = FENCE.sub("", path.read_text("utf-8"))
    targets = [
        t.split("#")[0]
        for t in LINK.findall(text) + IMAGE_TAG.findall(text)
        if not re.match(r"[a-z]+:", t) and not t.startswith("#")
    ]
    assert [t for t in targets if not (path.parent / t).exists()] == []
