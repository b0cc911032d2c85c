"""Text from data never reaches Streamlit's markdown.

Streamlit draws markdown in headings, st.write/markdown/caption, the alerts, widget labels, `help=`,
metric values, tab labels, progress text, st.table cells and radio options. A unit name such as
`![x](http://evil.example/p.png)` there makes every visitor's browser fetch an outside address. The scan
below reads the pages and the ui helpers and fails, with file:line, on every such call whose text is
not a constant, a number, a constant from code (an UPPER_CASE name), or wrapped in escape_markdown(...)
(or, for a hidden widget label, screen_reader_label(...)).
A line that draws code constants the scan cannot see through may say so with `# markdown-safe: <why>`.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import example, given, strategies
from markdown_it import MarkdownIt

from trivsel.ui.text import escape_markdown, screen_reader_label

ROOT = Path(__file__).parents[1]
SCANNED = sorted([ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("src/trivsel/ui/*.py")])
PRAGMA = re.compile(r"#\s*markdown-safe:\s*\S")

LABEL = ((0,), ("label",))
BODY = ((0,), ("body",))
# Streamlit call -> (positions, keywords) of the arguments it draws as markdown.
MARKDOWN_ARGUMENTS = {
    **dict.fromkeys(
        ["markdown", "caption", "title", "header", "subheader", "info", "success", "error", "warning", "toast"], BODY
    ),
    **dict.fromkeys(
        [
            "button",
            "download_button",
            "form_submit_button",
            "link_button",
            "checkbox",
            "toggle",
            "radio",
            "selectbox",
            "multiselect",
            "select_slider",
            "slider",
            "text_input",
            "text_area",
            "number_input",
            "date_input",
            "time_input",
            "datetime_input",
            "file_uploader",
            "color_picker",
            "camera_input",
            "audio_input",
            "pills",
            "segmented_control",
            "expander",
            "popover",
            "status",
        ],
        LABEL,
    ),
    "page_link": ((1,), ("label",)),
    "metric": ((0, 1, 2), ("label", "value", "delta")),
    "progress": ((1,), ("text",)),
    "spinner": ((0,), ("text",)),
    "tabs": ((0,), ("tabs",)),
    "table": ((0,), ("data",)),
}
OPTIONS_AS_MARKDOWN = {"radio", "pills", "segmented_control"}  # their options are drawn as markdown too
ESCAPERS = {"escape_markdown", "screen_reader_label"}
NUMBERS = {"len", "int", "float", "round", "sum", "range", "danish_number", "signed_number"}
KEEPS_SAFETY = {"list", "tuple", "sorted", "reversed", "str"}  # builtins that return what they are given
# Our functions whose text is made by code: "færre end 5 personer", a role's Danish name, the menu's pages,
# the overview's cards (their labels and the hidden label).
TEXT_FROM_CODE = {"hidden_label", "role_label", "visible_pages", "headline", "release_note", "wait_message"}
FROM_CALLER = ast.Name(id="<a parameter>")  # never safe: a parameter holds whatever the caller passes


def is_constant_name(name: str) -> bool:
    return len(name) > 1 and name.isupper()


def _bind(bindings: dict[str, list[ast.expr]], target: ast.expr, value: ast.expr) -> None:
    """Record what each name in an assignment's target gets; unpacking a literal goes element by element."""
    if isinstance(target, ast.Name):
        bindings.setdefault(target.id, []).append(value)
    elif isinstance(target, (ast.Tuple, ast.List)):
        if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
            for t, v in zip(target.elts, value.elts):
                _bind(bindings, t, v)
        else:
            for t in target.elts:
                _bind(bindings, t, ast.Subscript(value=value, slice=ast.Constant(0)))
    elif isinstance(target, ast.Starred):
        _bind(bindings, target.value, value)


def _bind_loop(bindings: dict[str, list[ast.expr]], target: ast.expr, iterable: ast.expr) -> None:
    if isinstance(iterable, (ast.Tuple, ast.List)):  # a loop over a literal: each element in turn
        for element in iterable.elts:
            _bind(bindings, target, element)
    elif (
        isinstance(iterable, ast.Call)
        and _called(iterable.func) == "zip"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == len(iterable.args)
    ):  # zip(a, b): each name from its own sequence
        for name, sequence in zip(target.elts, iterable.args):
            _bind_loop(bindings, name, sequence)
    else:
        _bind(bindings, target, ast.Subscript(value=iterable, slice=ast.Constant(0)))


@dataclass
class Module:
    """One scanned file: its lines, the modules it imports, the names that hold Streamlit objects, and the
    names that only ever hold constants."""

    path: Path
    tree: ast.Module
    lines: list[str]
    modules: set[str] = field(default_factory=set)
    streamlit: set[str] = field(default_factory=lambda: {"st"})
    constants: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path) -> Module:
        source = path.read_text(encoding="utf-8")
        module = cls(path, ast.parse(source), source.splitlines())
        bindings: dict[str, list[ast.expr]] = {}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import):
                module.modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                module.modules |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    _bind(bindings, target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                _bind(bindings, node.target, node.value)
            elif isinstance(node, ast.For):
                _bind_loop(bindings, node.target, node.iter)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                _bind(bindings, node.optional_vars, node.context_expr)
            elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
                arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                defaults = [*node.args.defaults, *node.args.kw_defaults]
                for argument in arguments:
                    bindings.setdefault(argument.arg, []).append(FROM_CALLER)
                for argument, default in zip(reversed(arguments), reversed(defaults)):
                    if default is not None:  # `container=st`: may be a Streamlit object
                        bindings[argument.arg].append(default)
        module.modules -= module.streamlit
        module._fixed_point(bindings)
        return module

    def _fixed_point(self, bindings: dict[str, list[ast.expr]]) -> None:
        """Streamlit objects: names any binding of which uses one (`left, right = st.columns(2)`).
        Constants: names every binding of which is safe."""
        while True:
            streamlit = {"st"} | {
                name
                for name, values in bindings.items()
                if any(isinstance(n, ast.Name) and n.id in self.streamlit for v in values for n in ast.walk(v))
            }
            constants = {name for name, values in bindings.items() if all(self.safe(v) for v in values)}
            if (streamlit, constants) == (self.streamlit, self.constants):
                return
            self.streamlit, self.constants = streamlit, constants

    def safe(self, node: ast.expr | None, local: frozenset[str] = frozenset()) -> bool:
        """Whether the expression can only be constant text, a number, or text escaped for markdown."""
        match node:
            case None | ast.Constant():
                return True
            case ast.JoinedStr(values=values):
                return all(self.safe(v, local) for v in values)
            case ast.FormattedValue(value=value, format_spec=spec):
                return self.safe(value, local) or _numeric_format(spec)
            case ast.Name(id=name):
                return is_constant_name(name) or name in local or name in self.constants
            case ast.Attribute(value=value, attr=attr):
                return is_constant_name(attr) or self.safe(value, local)
            case ast.Subscript(value=value) | ast.Starred(value=value):
                return self.safe(value, local)
            case ast.IfExp(body=body, orelse=orelse):
                return self.safe(body, local) and self.safe(orelse, local)
            case ast.BinOp(left=left, op=ast.Add() | ast.Sub(), right=right) if _number(left) or _number(right):
                return True  # arithmetic on a number: a number, or a TypeError
            case ast.BinOp(left=left, right=right):
                return self.safe(left, local) and self.safe(right, local)
            case ast.List(elts=elements) | ast.Tuple(elts=elements):
                return all(self.safe(e, local) for e in elements)
            case ast.Dict(keys=keys, values=values):
                return all(self.safe(e, local) for e in [*keys, *values])
            case (
                ast.ListComp(elt=element, generators=generators) | ast.GeneratorExp(elt=element, generators=generators)
            ):
                for generator in generators:  # the loop's names are the comprehension's own
                    if self.safe(generator.iter, local):
                        local |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
                return self.safe(element, local)
            case ast.Lambda(body=body):
                return self.safe(body, local)
            case ast.Call(func=func, args=args, keywords=keywords):
                name = _called(func)
                if name in ESCAPERS or name in NUMBERS or name in TEXT_FROM_CODE:
                    return True
                given = all(self.safe(a, local) for a in [*args, *(k.value for k in keywords)])
                if isinstance(func, ast.Attribute):  # a method of constant text or a constant table
                    return given and self.safe(func.value, local)
                return given and name in KEEPS_SAFETY
        return False


def _number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _numeric_format(spec: ast.JoinedStr | None) -> bool:
    """A format spec text cannot take: a number's (`.1f`, `+d`, `%`) or a date's (`%d-%m-%Y`)."""
    if spec is None or not all(isinstance(v, ast.Constant) for v in spec.values):
        return False
    text = "".join(v.value for v in spec.values)
    return bool(text) and (text[-1] in "bdeEfFgGnoxX%" or "%" in text)


def _called(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _receiver(func: ast.Attribute) -> str | None:
    base = func.value
    while isinstance(base, (ast.Attribute, ast.Call, ast.Subscript)):
        base = base.func if isinstance(base, ast.Call) else base.value
    return base.id if isinstance(base, ast.Name) else None


def _arguments(call: ast.Call, positions: tuple[int, ...], keywords: tuple[str, ...]) -> list[ast.expr]:
    picked = [call.args[i] for i in positions if i < len(call.args)]
    return picked + [k.value for k in call.keywords if k.arg in keywords]


def markdown_arguments(module: Module, call: ast.Call, helpers: dict) -> list[ast.expr]:
    """The arguments of this call that end up drawn as markdown."""
    name = _called(call.func)
    if name in helpers:
        return _arguments(call, *helpers[name])
    if not isinstance(call.func, ast.Attribute) or _receiver(call.func) not in module.streamlit:
        return []  # not Streamlit's: our own functions (figures.table, text.error …), rnd.status(today) …
    if name == "write":
        found = list(call.args)
    elif name in MARKDOWN_ARGUMENTS:
        found = _arguments(call, *MARKDOWN_ARGUMENTS[name])
    else:
        return []
    found += [k.value for k in call.keywords if k.arg == "help"]
    if name in OPTIONS_AS_MARKDOWN:
        formatter = [k.value for k in call.keywords if k.arg == "format_func"]
        found += formatter or _arguments(call, (1,), ("options",))
    return found


def markdown_helpers(modules: list[Module]) -> dict[str, tuple[tuple[int, ...], tuple[str, ...]]]:
    """Our functions that pass one of their parameters straight on to Streamlit's markdown; their callers
    are checked instead of them."""
    helpers: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}
    changed = True
    while changed:
        changed = False
        for module in modules:
            for function in ast.walk(module.tree):
                if not isinstance(function, ast.FunctionDef):
                    continue
                parameters = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
                passed = {
                    argument.id
                    for call in ast.walk(function)
                    if isinstance(call, ast.Call)
                    for argument in markdown_arguments(module, call, helpers)
                    if isinstance(argument, ast.Name) and argument.id in parameters
                }
                spec = (tuple(i for i, p in enumerate(parameters) if p in passed), tuple(sorted(passed)))
                if passed and helpers.get(function.name) != spec:
                    helpers[function.name] = spec
                    changed = True
    return helpers


def markdown_from_data(paths: list[Path]) -> list[str]:
    """file:line and the code of every call that draws non-constant, unescaped text as markdown."""
    modules = [Module.read(p) for p in paths]
    helpers = markdown_helpers(modules)
    found = []
    for module in modules:
        for call in ast.walk(module.tree):
            if not isinstance(call, ast.Call):
                continue
            for argument in markdown_arguments(module, call, helpers):
                if module.safe(argument):
                    continue
                if isinstance(argument, ast.Name) and argument.id in _parameters_around(module, call):
                    continue  # a helper's parameter: its callers are checked
                if any(PRAGMA.search(line) for line in module.lines[call.lineno - 1 : call.end_lineno]):
                    continue
                shown = module.path.relative_to(ROOT) if module.path.is_relative_to(ROOT) else module.path.name
                found.append(f"{shown}:{argument.lineno}: {ast.unparse(argument)}")
    return found


def _parameters_around(module: Module, call: ast.Call) -> set[str]:
    for function in ast.walk(module.tree):
        if isinstance(function, ast.FunctionDef) and function.lineno <= call.lineno <= function.end_lineno:
            return {a.arg for a in [*function.args.posonlyargs, *function.args.args]}
    return set()


def test_pages_and_ui_helpers_draw_no_data_as_markdown():
    found = markdown_from_data(SCANNED)
    assert not found, "Tekst fra data vises som markdown (brug st.text eller escape_markdown):\n" + "\n".join(found)


def test_the_scan_finds_data_drawn_as_markdown(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "from trivsel import org\n"
        "from trivsel.ui import figures\n"
        "from trivsel.ui.text import escape_markdown\n"
        "LABELS = {'a': 'A'}\n"
        "name = org.unit_name(store, unit_id)\n"
        "st.caption(f'{survey.title} · {name}')\n"  # 7: the staff page's bug
        "st.caption(f'{escape_markdown(name)} har {len(rows)} rækker')\n"
        "left, right = st.columns(2)\n"
        "left.metric('Svar', figures.danish_number(n, 0), f'{change:+.1f}')\n"
        "right.metric(name, 1)\n"  # 11: a column is Streamlit too
        "st.radio('Status', list(LABELS), format_func=LABELS.get)\n"
        "st.radio('Enhed', ids, format_func=names.get)\n"  # 13: radio options are markdown
        "st.selectbox('Enhed', ids, format_func=names.get)\n"  # a select box's options are plain text
        "st.button(label=name)\n"  # 15
        "st.info('Fast tekst', help=note)\n"  # 16
        "with st.expander(f'{len(rows)} kommentarer'):\n"
        "    st.text(name)\n"
        "def box(label):\n"
        "    st.download_button(label, data)\n"
        "box('Hent CSV')\n"
        "box(name)\n"  # 22: through our own helper
        "rnd.status(name)\n"  # not Streamlit's st.status
        "st.write(explanation)  # markdown-safe: constant from the status table\n",
        encoding="utf-8",
    )
    lines = sorted(int(f.split(":")[1]) for f in markdown_from_data([page]))
    assert lines == [7, 11, 13, 15, 16, 22]


def test_the_scan_covers_the_pages_and_ui_helpers():
    names = {p.name for p in SCANNED}
    assert {"app.py", "staff.py", "organisation.py", "my_unit.py", "survey_form.py", "dashboard.py"} <= names


# --------------------------------------------------------------- escape_markdown

HOSTILE = [
    "![x](http://evil.example/p.png)",
    "<img src=http://evil.example/p.png>",
    "[klik](javascript:alert(1))",
    "<http://evil.example/>",
    "www.evil.example og http://evil.example/a",
    "navn@evil.example",
    "[ref]\n\n[ref]: http://evil.example/p.png",
    "&lt;img src=x&gt; &amp; &#60;",
    "Overskrift\n===",
    "Overskrift\n---",
    "# H1\n> citat\n- punkt\n1. punkt\n    kode",
    "`kode` ~~slettet~~ **fed** _kursiv_ | a | b |",
    "a\\\\b \\*",
]
DIRECTIVES = [
    ":material/warning:",
    ":red[rød tekst]",
    ":smile:",
    ":streamlit:",
    "$x^2$",
    "$$\\frac{1}{2}$$",
    ":small[x]",
    ":help[tip]",
]

commonmark = MarkdownIt("commonmark").enable(["table", "strikethrough"])
labels = MarkdownIt("commonmark", {"html": False})  # Streamlit draws labels without HTML


def rendered(text: str) -> str:
    return commonmark.render(text).strip()


def literal(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join("<p>" + html.escape(p.strip(), quote=False).replace('"', "&quot;") + "</p>" for p in paragraphs)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_renders_as_the_literal_text(text):
    lines = [line.strip() for line in text.splitlines()]  # an indented line is code, shown as typed anyway
    for shown in (" ".join(" ".join(lines).split()), *lines, "\n".join(lines)):
        assert rendered(escape_markdown(shown)) == literal(shown)


@given(strategies.text(strategies.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=40))
def test_any_escaped_line_renders_as_itself(text):
    line = " ".join(text.split())
    assert rendered(escape_markdown(line)) == literal(line)


@pytest.mark.parametrize("text", DIRECTIVES)
def test_escaping_leaves_nothing_for_streamlits_directives_icons_emoji_or_maths(text):
    escaped = escape_markdown(text)
    # Streamlit's frontend turns ":material/" into icons before parsing, loads emoji for ":name:",
    # KaTeX for an unescaped "$", and parses ":name[...]" as a directive.
    assert ":material/" not in escaped
    assert not re.search(r"(?<!\\):", escaped)
    assert not re.search(r"(?<!\\)[$\[]", escaped)
    assert not re.search(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", escaped)


@given(
    strategies.lists(
        strategies.sampled_from(
            [
                "!",
                "[",
                "]",
                "(",
                ")",
                "\\",
                "x",
                " ",
                "\n",
                "&#33;",
                "http://evil.example/p.png",
                "<img src=http://evil.example/p.png>",
            ]
        ),
        max_size=30,
    ).map("".join)
)
@example("![x][r]\n\n[r]: http://evil.example/p.png")
@example("\\![x](http://evil.example/p.png)")
def test_a_hidden_label_can_hold_no_image(text):
    assert "<img" not in labels.render(screen_reader_label(text))


def test_a_hidden_label_stays_as_typed_for_screen_readers():
    question = "3. Får du den hjælp, du har brug for (fx fra kolleger)? Svar: ja/nej - 100 %"
    assert screen_reader_label(question) == question
    assert screen_reader_label("![x](http://evil.example/p.png)") == "\\![x](http://evil.example/p.png)"
