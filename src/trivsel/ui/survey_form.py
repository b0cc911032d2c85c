"""Draw a survey definition as a sectioned form that works on a phone.

Answers live in our own session-state dict (widget state is dropped when a section is
not drawn), so they survive moving back and forth between sections.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from trivsel.surveys.definitions import LIKERT_LABELS, WHO5_LABELS, Item, Survey
from trivsel.ui.text import escape_markdown

SCALE_HINT = "0 = slet ikke sandsynligt, 10 = meget sandsynligt"
SHORT_TEXT = 200  # free-text items up to this length get a one-line field


REQUIRED = {"da": "skal besvares", "en": "required"}


def _widget(item: Item, number: int, value, key: str, lang: str):
    # The question is drawn as escaped markdown and handed to the widget as plain text, its label
    # hidden: a screen reader reads the widget's label as typed, so "1\. …" would be read aloud.
    question = f"{number}. {item.text.get(lang)}"
    st.markdown(escape_markdown(question) + (" \\*" if item.required else ""))
    if item.type == "scale0_10":
        st.caption(SCALE_HINT)
    label = f"{question} ({REQUIRED[lang]})" if item.required else question
    plain = {"key": key, "label_visibility": "collapsed"}
    if item.type in ("likert5", "who5"):
        labels = LIKERT_LABELS if item.type == "likert5" else WHO5_LABELS
        options = list(labels)
        return st.radio(label, options, index=options.index(value) if value in options else None,
                        format_func=lambda v: labels[v].get(lang), **plain)
    if item.type == "scale0_10":
        options = list(range(11))
        return st.radio(label, options, index=options.index(value) if value in options else None,
                        horizontal=True, **plain)
    if item.type == "number":
        return st.number_input(label, item.minimum, item.maximum, value, step=1, placeholder="Skriv et tal", **plain)
    if item.type == "single_choice":
        values = [o.value for o in item.options]
        labels = {o.value: o.label.get(lang) for o in item.options}
        return st.radio(label, values, index=values.index(value) if value in values else None,
                        format_func=labels.get, **plain)
    if item.type == "multiple_choice":
        labels = {o.value: o.label.get(lang) for o in item.options}
        return st.multiselect(label, list(labels), default=value or [], format_func=labels.get,
                              placeholder="Vælg en eller flere", **plain)
    if item.max_length <= SHORT_TEXT:  # a name or a phone number: one line, easier on a phone
        return st.text_input(label, value or "", max_chars=item.max_length, **plain)
    return st.text_area(label, value or "", max_chars=item.max_length, **plain)


def render(survey: Survey, state_key: str, initial: dict | None = None,
           on_section_change: Callable[[dict], None] | None = None, lang: str = "da") -> dict | None:
    """Draw the current section; return the answers when the respondent presses "Send", else None."""
    answers = st.session_state.setdefault(f"{state_key}_answers", dict(initial or {}))
    section_index = st.session_state.setdefault(f"{state_key}_section", _resume_at(survey, answers))
    sections = survey.sections
    section = sections[section_index]
    numbers = {item.id: n for n, item in enumerate(survey.items, start=1)}

    st.progress((section_index + 1) / len(sections),
                text=f"{section_index + 1} / {len(sections)}: {section.title.get(lang)}")
    if section.intro:
        st.caption(escape_markdown(section.intro.get(lang)))
    last = section_index == len(sections) - 1
    # A form sends the section's answers with its buttons: one run of the page per section, not one per
    # click on an answer (30 people answering at once in a staff meeting share one server).
    with st.form(f"{state_key}_form_{section_index}", border=False, enter_to_submit=False):
        for item in section.items:
            answers[item.id] = _widget(item, numbers[item.id], answers.get(item.id), f"{state_key}_{item.id}", lang)
        st.caption("Spørgsmål med \\* skal besvares.")
        back, forward = st.columns(2)
        went_back = section_index > 0 and back.form_submit_button("Forrige", icon=":material/arrow_back:",
                                                                  width="stretch")
        went_on = forward.form_submit_button("Send svar" if last else "Næste", type="primary", width="stretch",
                                             icon=":material/send:" if last else ":material/arrow_forward:")
    missing = [numbers[i.id] for i in section.items if i.required and answers.get(i.id) in (None, "", [])]
    if went_back:
        _move(state_key, -1, answers, on_section_change)
    if went_on:
        if missing:
            st.error("Besvar venligst spørgsmål " + ", ".join(map(str, missing)) + ".", icon=":material/error:")
        elif last:
            return {k: v for k, v in answers.items() if v not in (None, "", [])}
        else:
            _move(state_key, 1, answers, on_section_change)
    return None


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


def _move(state_key: str, step: int, answers: dict, on_section_change) -> None:
    if on_section_change is not None:
        on_section_change({k: v for k, v in answers.items() if v not in (None, "", [])})
    st.session_state[f"{state_key}_section"] += step
    st.rerun()


def reset(state_key: str) -> None:
    for suffix in ("_answers", "_section"):
        st.session_state.pop(f"{state_key}{suffix}", None)
