"""Showing text that may contain user input without letting it act as markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and escaping them all
# also covers what Streamlit adds to markdown (":material/…:", ":red[…]", emoji, "$" maths, "&" entities).
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character markdown gives meaning to, so the text shows as typed.

    GFM still turns a bare web or e-mail address into a link (a link, never a fetch): where that
    matters, draw the text with st.text instead."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def screen_reader_label(text: str) -> str:
    """A hidden widget label (label_visibility="collapsed"), which only a screen reader reads, from data.

    It stays as typed, since a screen reader reads escapes aloud, except that no markdown image can form:
    Streamlit draws even a hidden label as markdown, and the browser fetches its images."""
    return str(text).replace("\\", "\\\\").replace("![", "\\![")


def empty_state(text: str, icon: str = ":material/info:", container=st) -> None:
    """The one line a page shows where it has nothing to show yet: what is missing, and what to do or when it
    comes. Never a blank chart or an empty table."""
    container.info(escape_markdown(text), icon=icon)


def error(text: str) -> None:
    st.error(escape_markdown(text), icon=":material/error:")


def success(text: str) -> None:
    st.success(escape_markdown(text), icon=":material/check_circle:")


_FLASH_KEY = "flash_message"


def flash(text: str, *, refused: bool = False) -> None:
    """Show a success message (or, `refused`, an error) after the rerun that makes the change visible
    everywhere on the page. From a widget callback it carries the message to the run that follows."""
    st.session_state[_FLASH_KEY] = (text, refused)
    st.rerun()


def show_flash() -> None:
    flashed = st.session_state.pop(_FLASH_KEY, None)
    if flashed:
        text, refused = flashed
        (error if refused else success)(text)
