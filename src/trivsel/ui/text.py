"""Showing text that may contain user input without letting it act as markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character markdown gives meaning to, so the text shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def error(text: str) -> None:
    st.error(escape_markdown(text), icon=":material/error:")


def success(text: str) -> None:
    st.success(escape_markdown(text), icon=":material/check_circle:")


_FLASH_KEY = "flash_message"


def flash(text: str) -> None:
    """Show a success message after the rerun that makes the change visible everywhere on the page."""
    st.session_state[_FLASH_KEY] = text
    st.rerun()


def show_flash() -> None:
    text = st.session_state.pop(_FLASH_KEY, None)
    if text:
        success(text)
