"""The store's SQL, written once in SQLite's dialect, read by PostgreSQL.

Why translate instead of writing every statement twice: the store's modules hold about
270 statements, and two copies of each would drift apart. They are written in the
small, common part of SQLite's dialect, and the few SQLite idioms they use are turned
into PostgreSQL here, once per distinct statement (cached). Anything this module does
not know stays as it is, so a statement that PostgreSQL rejects fails loudly in the
suite's PostgreSQL half rather than silently meaning something else.

What is translated, and why each matches SQLite's meaning:

* ``?`` placeholders become ``%s`` (and every ``%``, in literals too, ``%%``: statements
  always go with parameters, so psycopg reads them all);
* ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE``
  becomes an upsert on the table's primary key (given by the caller, read from the
  database);
* ``ORDER BY`` items get SQLite's NULL order (first when ascending, last when
  descending; PostgreSQL's default is the opposite);
* ``IS`` / ``IS NOT`` between values become ``IS [NOT] DISTINCT FROM``;
* ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores case), ``x = ? COLLATE NOCASE``
  compares lower-cased;
* ``substr`` gets int arguments; ``group_concat``, ``json_group_array``, ``json_each``
  and ``instr`` become ``string_agg``, ``json_agg``, ``json_array_elements_text`` and
  ``strpos``;
* an empty ``IN ()`` (true of nothing) becomes ``= ANY('{}')``, ``NOT IN ()``
  ``<> ALL('{}')``;
* a subquery in FROM gets a name;
* the column name ``end`` (reserved in PostgreSQL) is quoted.

Schema scripts (the migrations) go through :func:`ddl` as well: types (REAL is a double,
BLOB is bytea, INTEGER PRIMARY KEY an identity), ``WITHOUT ROWID`` dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|[^'\"-]+|-")
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET|FOR|WINDOW)\b", re.I)


def _segments(sql: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces of `sql`: string literals, quoted names and comments are
    not code and are never rewritten."""
    out: list[tuple[bool, str]] = []
    for m in _TOKEN.finditer(sql):
        piece = m.group(0)
        code = not (piece.startswith(("'", '"')) or piece.startswith("--"))
        if out and out[-1][0] == code and code:
            out[-1] = (True, out[-1][1] + piece)
        else:
            out.append((code, piece))
    return out


def _map_code(sql: str, fn: Callable[[str], str]) -> str:
    return "".join(fn(text) if code else text for code, text in _segments(sql))


def _mask(sql: str) -> str:
    """`sql` with every literal and comment blanked to the same length (for finding
    parentheses and keywords by position)."""
    return "".join(text if code else " " * len(text) for code, text in _segments(sql))


def _close_paren(masked: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(masked)):
        if masked[i] == "(":
            depth += 1
        elif masked[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in SQL: {masked!r}")


def _rewrite_calls(sql: str, name: str, fn: Callable[[str], str]) -> str:
    """Replace every call `name(args)` by `fn(args)`, innermost last."""
    pattern = re.compile(rf"\b{name}\s*\(", re.I)
    while True:
        masked = _mask(sql)
        m = pattern.search(masked)
        if m is None:
            return sql
        close = _close_paren(masked, m.end() - 1)
        sql = sql[: m.start()] + fn(sql[m.end() : close]) + sql[close + 1 :]


def _order_items(clause: str) -> list[str]:
    items, depth, start = [], 0, 0
    masked = _mask(clause)
    for i, ch in enumerate(masked):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(clause[start:i])
            start = i + 1
    items.append(clause[start:])
    return items


def _null_order(item: str) -> str:
    stripped = item.rstrip()
    tail = item[len(stripped) :]
    upper = stripped.upper()
    if not stripped or "NULLS " in upper:
        return item
    if upper.endswith(" DESC"):
        return stripped + " NULLS LAST" + tail
    return stripped + " NULLS FIRST" + tail


def _clause_ends(masked: str, i: int) -> bool:
    return masked[i - 1].isspace() and _ORDER_END.match(masked, i) is not None


def _order_by(sql: str) -> str:
    """SQLite's NULL order on every ORDER BY item (NULLs are the smallest value)."""
    out, pos = [], 0
    pattern = re.compile(r"\bORDER\s+BY\b", re.I)
    masked = _mask(sql)
    for m in pattern.finditer(masked):
        if m.start() < pos:
            continue
        depth, end = 0, len(sql)
        for i in range(m.end(), len(masked)):
            ch = masked[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    end = i
                    break
                depth -= 1
            elif depth == 0 and (ch == ";" or _clause_ends(masked, i)):
                end = i
                break
        clause = sql[m.end() : end]
        items = [_null_order(item) for item in _order_items(clause)]
        trailing = clause[len(clause.rstrip()) :]
        out.append(sql[pos : m.end()] + ",".join(items).rstrip() + trailing)
        pos = end
    out.append(sql[pos:])
    return "".join(out)


_FROM_SUBQUERY = re.compile(r"\b(FROM|JOIN)\s*\(\s*SELECT\b", re.I)
_NOT_ALIAS = re.compile(
    r"\s*($|[),;]|(WHERE|GROUP|ORDER|LIMIT|OFFSET|JOIN|LEFT|INNER|CROSS|UNION|ON|HAVING)\b)",
    re.I,
)


def _alias_subqueries(sql: str) -> str:
    """PostgreSQL (before 16) wants a name for every subquery in FROM."""
    n = 0
    pos = 0
    while True:
        masked = _mask(sql)
        m = _FROM_SUBQUERY.search(masked, pos)
        if m is None:
            return sql
        close = _close_paren(masked, masked.index("(", m.start()))
        pos = close + 1
        if _NOT_ALIAS.match(masked, pos):
            n += 1
            sql = sql[:pos] + f" AS _sub{n}" + sql[pos:]


_INSERT_INTO_TABLE = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.I)
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*", re.I)
_IS = re.compile(r"\bIS\s+(NOT\s+)?(?!NULL\b|NOT\b|DISTINCT\b|TRUE\b|FALSE\b)", re.I)
_NOCASE = re.compile(r"([\w.]+)\s*=\s*\?\s+COLLATE\s+NOCASE", re.I)


def _code(text: str) -> str:
    text = text.replace("?", "%s")
    text = re.sub(r"\bend\b", '"end"', text)
    text = re.sub(r"\bLIKE\b", "ILIKE", text)
    text = re.sub(r"\bNOT\s+IN\s*\(\s*\)", "<> ALL('{}')", text, flags=re.I)
    text = re.sub(r"\bIN\s*\(\s*\)", "= ANY('{}')", text, flags=re.I)
    text = re.sub(r"\binstr\s*\(", "strpos(", text, flags=re.I)
    text = re.sub(r"\bjson_each\s*\(\s*%s\s*\)", "json_array_elements_text(%s::json)", text)
    text = re.sub(r"\bAS\s+REAL\b", "AS DOUBLE PRECISION", text, flags=re.I)
    return _IS.sub(
        lambda m: "IS NOT DISTINCT FROM " if not m.group(1) else "IS DISTINCT FROM ", text
    )


def statement(
    sql: str,
    primary_keys: Mapping[str, tuple[str, ...]],
    rowid_tables: Collection[str] = (),
    columns: Mapping[str, Collection[str]] | None = None,
) -> str:
    """One statement of the store in PostgreSQL's dialect.

    `rowid_tables` have a `rowid` identity column standing for SQLite's rowid: a
    replaced row gets a new one there too (readers rely on "changed rows have higher
    rowids")."""
    sql = _NOCASE.sub(lambda m: f"lower({m.group(1)}) = lower(?)", sql)
    conflict = ""
    m = _INSERT_OR.match(sql)
    if m:
        table = m.group(2)
        sql = "INSERT INTO " + table + " " + sql[m.end() :]
        if m.group(1).upper() == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        else:
            keys = primary_keys.get(table.lower())
            if not keys:
                raise ValueError(f"INSERT OR REPLACE into {table}, which has no primary key")
            cols = re.match(r"\s*\(([^)]*)\)", sql[len("INSERT INTO " + table + " ") :])
            if cols is None:
                raise ValueError(f"INSERT OR REPLACE into {table} needs its column list")
            names = [c.strip() for c in cols.group(1).split(",")]
            sets = [f"{_name(c)} = EXCLUDED.{_name(c)}" for c in names if c not in keys]
            if table.lower() in rowid_tables:
                sets.append("rowid = DEFAULT")
            action = "DO UPDATE SET " + ", ".join(sets) if sets else "DO NOTHING"
            conflict = f" ON CONFLICT ({', '.join(map(_name, keys))}) {action}"
    if columns:
        sql = _qualify_upsert(sql, columns)
    sql = _rewrite_calls(sql, "group_concat", _group_concat)
    sql = _rewrite_calls(sql, "substr", _substr)
    sql = _rewrite_calls(sql, "json_group_array", lambda a: f"(json_agg({a})::text)")
    sql = _order_by(_alias_subqueries(sql))
    sql = _map_code(sql.replace("%", "%%"), _code)
    if conflict:
        body = sql.rstrip().rstrip(";")
        returning = re.search(r"\sRETURNING\s", _mask(body), re.I)
        if returning:
            body = body[: returning.start()] + conflict + body[returning.start() :]
        else:
            body += conflict
        sql = body
    return sql


_UPSERT_SET = re.compile(r"\bDO\s+UPDATE\s+SET\b", re.I)
_SET_END = re.compile(r"\b(WHERE|RETURNING)\b", re.I)
_WORD = re.compile(r"(?<![.\w])([A-Za-z_]\w*)(?![\w(.])")


def _qualify_upsert(sql: str, columns: Mapping[str, Collection[str]]) -> str:
    """In an upsert's `DO UPDATE SET a = f(b)`, SQLite reads a bare `b` as the stored
    row's column; PostgreSQL calls it ambiguous (it could be EXCLUDED's): name the table."""
    insert = _INSERT_INTO_TABLE.match(sql)
    masked = _mask(sql)
    found = _UPSERT_SET.search(masked)
    if insert is None or found is None:
        return sql
    table = insert.group(1)
    known = set(columns.get(table.lower(), ()))
    end_m = _SET_END.search(masked, found.end())
    end = end_m.start() if end_m else len(sql)
    parts = []
    for assignment in _order_items(sql[found.end() : end]):
        lhs, eq, rhs = assignment.partition("=")
        rhs = _map_code(
            rhs, lambda t: _WORD.sub(lambda m: f"{table}.{m[1]}" if m[1] in known else m[1], t)
        )
        parts.append(lhs + eq + rhs)
    return sql[: found.end()] + ",".join(parts) + sql[end:]


def _substr(args: str) -> str:
    """PostgreSQL's substr takes int, not the bigint our columns are."""
    parts = [p.strip() for p in _order_items(args)]
    out = f"substring(({parts[0]}) FROM ({parts[1]})::int"
    return out + (f" FOR ({parts[2]})::int)" if len(parts) > 2 else ")")


def _name(column: str) -> str:
    return f'"{column}"' if column.lower() == "end" else column


def _group_concat(args: str) -> str:
    parts = _order_items(args)
    value = parts[0].strip()
    sep = parts[1].strip() if len(parts) > 1 else "','"
    distinct = ""
    if value.upper().startswith("DISTINCT "):
        distinct, value = "DISTINCT ", value[len("DISTINCT ") :]
    return f"string_agg({distinct}({value})::text, {sep})"


def ddl(script: str) -> str:
    """A schema script (a migration) in PostgreSQL's dialect."""

    def code(text: str) -> str:
        text = re.sub(
            r"\bINTEGER\s+PRIMARY\s+KEY\b",
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            text,
        )
        text = re.sub(r"\bINTEGER\b", "BIGINT", text)
        text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
        text = re.sub(r"\bBLOB\b", "BYTEA", text)
        text = re.sub(r"\)\s*WITHOUT\s+ROWID", ")", text)
        return re.sub(r"\bend\b", '"end"', text)

    return _map_code(script, code)
