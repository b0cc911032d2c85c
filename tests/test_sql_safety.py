"""SQL is always parameterised: no query text is built from values at run time."""

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "trivsel"
# Statements that cannot take bound parameters, with the reason they are safe.
ALLOWED = {
    ("backup.py", "_identifier"): "table and column names read from the database's own catalogue, quoted",
}
SQL_CALLS = {"execute", "executemany", "sql", "query_df", "query_all", "query_one", "query_value"}


def _constant_only(node: ast.AST) -> bool:
    """A string literal, or an f-string/concatenation of literals and UPPER_CASE module constants."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id.lstrip("_").isupper()
    if isinstance(node, ast.JoinedStr):
        return all(_constant_only(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_only(node.left) and _constant_only(node.right)
    if isinstance(node, ast.Subscript):  # an entry of a constant table of statements
        return isinstance(node.value, ast.Name) and node.value.id.lstrip("_").isupper()
    if isinstance(node, ast.Attribute):  # a constant field: a retention rule's SQL, a migration file's text
        return node.attr == "sql" or node.attr.endswith("_sql")
    return False


def test_no_query_is_built_from_values():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
                and node.args
            ):
                query = node.args[0]
                if isinstance(query, ast.Name) and not query.id.lstrip("_").isupper():
                    continue  # a variable holding a constant (checked where it is assigned)
                called = {
                    n.func.id for n in ast.walk(query) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                }
                if any((str(path.relative_to(SRC)), name) in ALLOWED for name in called):
                    continue
                if not _constant_only(query):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_the_check_catches_string_building():
    bad = ast.parse("cur.execute(f\"SELECT * FROM t WHERE name = '{name}'\")").body[0].value
    good = ast.parse('cur.execute("SELECT * FROM t WHERE name = ?", [name])').body[0].value
    assert not _constant_only(bad.args[0]) and _constant_only(good.args[0])
