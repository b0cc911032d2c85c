"""Draw a survey definition as a sectioned form that works on a phone.

Answers live in our own session-state dict (widget state is dropped when a section is
not drawn), so they survive moving back and forth between sections.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from trivsel.surveys.definitions import LIKERT_LABELS, WHO5_LABELS, Item, Survey, Text
from trivsel.ui import survey_language as texts
from trivsel.ui.text import error, escape_markdown, screen_reader_label

SHORT_TEXT = 200  # free-text items up to this length get a one-line field
# How long a question takes on a phone: reading a short statement and tapping an answer, or writing a few
# words. A rule of thumb, not a measurement; it gives the trivsel survey's 38 + 1 questions 8 minutes.
SECONDS_PER_CLOSED_ITEM = 10
SECONDS_PER_FREE_TEXT = 60


def _widget(item: Item, number: int, value, key: str, lang: str) -> None:
    # The question is drawn as escaped markdown, and handed to the widget as its hidden label nearly as
    # typed: a screen reader reads that label, so "1\. …" would be read aloud (see screen_reader_label).
    question = f"{number}. {item.text.get(lang)}"
    st.markdown(escape_markdown(question) + (" \\*" if item.required else ""))
    if item.type == "scale0_10":
        st.caption(escape_markdown(texts.SCALE_HINT.get(lang)))
    label = screen_reader_label(f"{question} ({texts.REQUIRED.get(lang)})" if item.required else question)
    plain = {"key": key, "label_visibility": "collapsed"}
    if item.type in ("likert5", "who5"):
        labels = LIKERT_LABELS if item.type == "likert5" else WHO5_LABELS
        options = list(labels)
        # A radio draws its options as markdown; the YAML's option labels are data.
        st.radio(
            label,
            options,
            index=options.index(value) if value in options else None,
            format_func=lambda v: escape_markdown(labels[v].get(lang)),
            **plain,
        )
    elif item.type == "scale0_10":
        st.radio(label, list(range(11)), index=value if value in range(11) else None, horizontal=True, **plain)
    elif item.type == "number":
        placeholder = texts.NUMBER_PLACEHOLDER.get(lang)
        st.number_input(label, item.minimum, item.maximum, value, step=1, placeholder=placeholder, **plain)
    elif item.type == "single_choice":
        values = [o.value for o in item.options]
        labels = {o.value: o.label.get(lang) for o in item.options}
        st.radio(
            label,
            values,
            index=values.index(value) if value in values else None,
            format_func=lambda v: escape_markdown(labels[v]),
            **plain,
        )
    elif item.type == "multiple_choice":
        labels = {o.value: o.label.get(lang) for o in item.options}
        st.multiselect(
            label,
            list(labels),
            default=value or [],
            format_func=labels.get,
            placeholder=texts.CHOOSE_SEVERAL.get(lang),
            select_all=False,
            **plain,
        )
    elif item.max_length <= SHORT_TEXT:  # a name or a phone number: one line, easier on a phone
        st.text_input(label, value or "", max_chars=item.max_length, **plain)
    else:
        st.text_area(label, value or "", max_chars=item.max_length, **plain)


def estimated_minutes(survey: Survey) -> int:
    """Whole minutes, rounded up, the survey takes by the rule of thumb above."""
    free = sum(item.type == "free_text" for item in survey.items)
    seconds = free * SECONDS_PER_FREE_TEXT + (len(survey.items) - free) * SECONDS_PER_CLOSED_ITEM
    return math.ceil(seconds / 60)


def duration(survey: Survey, lang: str = "da") -> str:
    """The line for the survey's first screen, e.g. 'Det tager ca. 8 minutter at svare (39 spørgsmål).'"""
    minutes, count = estimated_minutes(survey), len(survey.items)
    if lang == "en":
        return (
            f"It takes about {minutes} minute{'' if minutes == 1 else 's'} to answer "
            f"({count} question{'' if count == 1 else 's'})."
        )
    if lang == "da" or not texts.DURATION.has(lang):
        return f"Det tager ca. {minutes} minut{'' if minutes == 1 else 'ter'} at svare ({count} spørgsmål)."
    return texts.DURATION.get(lang).format(minutes=minutes, count=count)


def render(
    survey: Survey,
    state_key: str,
    initial: dict | None = None,
    on_section_change: Callable[[dict], None] | None = None,
    lang: str = "da",
    *,
    check: Callable[[dict], list[str]] | None = None,
    send_label: Text = texts.SEND,
    show_duration: bool = False,
) -> None:
    """Draw the current section. Its buttons move between sections; `send_label` hands the answers to finished().

    `check` gets the answers so far when a section is left forward and returns Danish reasons it cannot be
    left (empty: go on), so a wrong answer is named on the section where it was typed. `show_duration`
    says on the first section how long the survey takes. Every text is drawn in `lang`, a survey text without
    a translation in Danish."""
    answers = st.session_state.setdefault(f"{state_key}_answers", dict(initial or {}))
    section_index = st.session_state.setdefault(f"{state_key}_section", _resume_at(survey, answers))
    sections = survey.sections
    section = sections[section_index]
    numbers = _numbers(survey)

    if show_duration and section_index == 0:
        st.caption(duration(survey, lang))  # markdown-safe: words from code and two counts
    st.progress(
        (section_index + 1) / len(sections),
        text=f"{section_index + 1} / {len(sections)}: {escape_markdown(section.title.get(lang))}",
    )
    if section.intro:
        st.caption(escape_markdown(section.intro.get(lang)))
    last = section_index == len(sections) - 1
    # A form sends the section's answers with its buttons, and the buttons' callbacks move on before the
    # page runs: one run of the page per section, not one per click on an answer, nor two per section
    # (30 people answering at once in a staff meeting share one server).
    with st.form(f"{state_key}_form_{section_index}", border=False, enter_to_submit=False):
        for item in section.items:
            _widget(item, numbers[item.id], answers.get(item.id), _key(state_key, item), lang)
        st.caption(escape_markdown(texts.REQUIRED_NOTE.get(lang)))
        back, forward = st.columns(2)
        if section_index > 0:
            back.form_submit_button(
                escape_markdown(texts.BACK.get(lang)),
                icon=":material/arrow_back:",
                width="stretch",
                on_click=_leave,
                args=(survey, state_key, section_index, -1, on_section_change, check),
            )
        forward.form_submit_button(
            escape_markdown((send_label if last else texts.NEXT).get(lang)),
            type="primary",
            width="stretch",
            icon=":material/send:" if last else ":material/arrow_forward:",
            on_click=_leave,
            args=(survey, state_key, section_index, 1, on_section_change, check),
        )
    missing = st.session_state.pop(f"{state_key}_missing", None)
    if missing:
        st.error(
            texts.MISSING.get(lang).format(numbers=", ".join(map(str, missing))),  # markdown-safe: ours, numbers
            icon=":material/error:",
        )
    for problem in st.session_state.pop(f"{state_key}_problems", []):
        error(problem)


def finished(state_key: str) -> dict | None:
    """The answers, once "Send" has found every required question answered; else None.

    Pages ask before drawing the form, so a sent survey is stored without being drawn once more."""
    return st.session_state.pop(f"{state_key}_finished", None)


def _key(state_key: str, item: Item) -> str:
    return f"{state_key}_{item.id}"


def _numbers(survey: Survey) -> dict[str, int]:
    return {item.id: n for n, item in enumerate(survey.items, start=1)}


def _leave(survey: Survey, state_key: str, index: int, step: int, on_section_change, check) -> None:
    """A section's button, before the page runs: keep its answers, then go back, go on or finish."""
    if st.session_state.get(f"{state_key}_section") != index or f"{state_key}_answers" not in st.session_state:
        return  # a second click on a section already left (a double tap, or one after sending)
    answers = st.session_state[f"{state_key}_answers"]
    section = survey.sections[index]
    for item in section.items:
        answers[item.id] = st.session_state.get(_key(state_key, item))
    given = {k: v for k, v in answers.items() if v not in (None, "", [])}
    if step > 0:
        numbers = _numbers(survey)
        missing = [numbers[i.id] for i in section.items if i.required and i.id not in given]
        if missing:
            st.session_state[f"{state_key}_missing"] = missing
            return
        problems = check(given) if check is not None else []
        if problems:
            st.session_state[f"{state_key}_problems"] = problems
            return
        if index == len(survey.sections) - 1:
            st.session_state[f"{state_key}_finished"] = given
            return
    if on_section_change is not None:
        on_section_change(given)
    st.session_state[f"{state_key}_section"] = index + step


def _resume_at(survey: Survey, answers: dict) -> int:
    """A resumed survey opens at the first section with an unanswered required question,
    or after the last section with any answer (optional questions may stay empty)."""

    def answered(item) -> bool:
        return answers.get(item.id) not in (None, "", [])

    for index, section in enumerate(survey.sections):
        if any(item.required and not answered(item) for item in section.items):
            return index
    touched = [i for i, section in enumerate(survey.sections) if any(answered(item) for item in section.items)]
    return min(touched[-1] + 1, len(survey.sections) - 1) if touched else 0


def reset(state_key: str, survey: Survey) -> None:
    """Forget the survey's answers: our own keys and every question's widget key (the last section's widgets
    would otherwise keep their values in the session, on a shared tablet for the next person to reach)."""
    for suffix in ("_answers", "_section", "_missing", "_problems", "_finished"):
        st.session_state.pop(f"{state_key}{suffix}", None)
    for item in survey.items:
        st.session_state.pop(_key(state_key, item), None)
