"""Figures for the same thing, side by side: who gives which number, in which outlet.

Figures are grouped when they come from one claim (a minister's container count in one
outlet against his shell count in another), or when they count the same noun
("Container", "Schiffscontainer") in claims about the same entities or speaker. Small
counts ("drei Terminals") only group within a claim: they would chain unrelated claims.
A group is shown only when at least two articles give figures in it: a number only one
article gives has nothing to be compared with.

Standing side by side is not disagreeing: a group *differs* only where two articles give
the same quantity (storyline.compare.quantities: counted thing, unit, referent, time)
with other values, and each such difference is listed with both values and both sources.
"7,000 Container" against "4,8 Millionen Artilleriegranaten" is two quantities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from storyline.compare.quantities import Quantity, pairs, same_quantity, thing
from storyline.records import (
    ClaimRecord,
    ClaimSource,
    FigureDifference,
    FigureGroup,
    FigureRow,
    FigureSide,
)

#: Counts below this ("drei Terminals", "zwei Schiffe") group only within one claim.
SMALL = 10

#: Distinct pairs of values a comparison lists per figure group, the most reported first.
#: A figure that 100 articles give in five versions is a handful of differing values, not
#: the thousands of article pairs behind them (which made a story's page and API answer
#: megabytes long).
MAX_DIFFERENCES = 20


def _noun(counted: str | None) -> str | None:
    return counted.casefold() if counted and len(counted) >= 4 else None


def _same_noun(a: str | None, b: str | None) -> bool:
    """ "Container" and "Schiffscontainer" count the same thing (German compound heads)."""
    if a is None or b is None:
        return False
    short, long = sorted((a, b), key=len)
    return (long.endswith(short) and len(short) >= 5) or (a[:6] == b[:6] and len(short) >= 6)


def figure_groups(claims: Sequence[ClaimRecord]) -> list[FigureGroup]:
    rows: list[FigureRow] = []
    seen: set[tuple[str, int]] = set()
    about = {c["id"]: set(c["entities"]) for c in claims}
    by_article: dict[str, list[ClaimSource]] = {}
    for c in claims:
        for s in c["sources"]:
            by_article.setdefault(s["article"], []).append(s)
    for c in claims:
        for f in c["figures"]:
            if (f["article"], f["start"]) in seen:
                continue
            seen.add((f["article"], f["start"]))
            source = next(
                (
                    s
                    for s in by_article.get(f["article"], [])
                    if s["start"] <= f["start"] < s["end"]
                ),
                None,
            )
            rows.append(
                {
                    "claim": c["id"],
                    "article": f["article"],
                    "outlet": source["outlet"] if source else None,
                    "start": f["start"],
                    "end": f["end"],
                    "text": f["text"],
                    "value": f["value"],
                    "unit": f["unit"],
                    "counted": f["counted"],
                    "hedge": f["hedge"],
                    "speaker": f.get("speaker"),
                    "speaker_name": f.get("speaker_name"),
                    "passage": source["text"] if source else "",
                    "thing": f.get("thing", thing(f["counted"])),
                    "context": f.get("context", []),
                    "dates": f.get("dates", []),
                }
            )
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # candidates share a claim or a noun key; comparing only those keeps a story with
    # thousands of figures fast (all pairs would be millions)
    buckets: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        buckets.setdefault("c:" + row["claim"], []).append(i)
        noun = row["thing"] or _noun(row["counted"])
        if noun and row["value"] >= SMALL:
            for key in {noun[-5:], noun[:6]}:
                buckets.setdefault(f"n:{row['unit']}:{key}", []).append(i)
    for bucket in buckets.values():
        for x, i in enumerate(bucket):
            a = rows[i]
            for j in bucket[:x]:
                b = rows[j]
                related = bool(about[a["claim"]] & about[b["claim"]]) or bool(
                    a["speaker"] and a["speaker"] == b["speaker"]
                )
                same_thing = (
                    related
                    and min(a["value"], b["value"]) >= SMALL
                    and a["unit"] == b["unit"]
                    and (
                        (a["thing"] is not None and a["thing"] == b["thing"])
                        or _same_noun(_noun(a["counted"]), _noun(b["counted"]))
                    )
                )
                if a["claim"] == b["claim"] or same_thing:
                    parent[find(i)] = find(j)
    groups: dict[int, list[FigureRow]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    out: list[FigureGroup] = []
    for members in groups.values():
        if len({r["article"] for r in members}) < 2:
            continue
        speakers = Counter(r["speaker_name"] for r in members if r["speaker_name"])
        nouns = Counter(r["counted"] for r in members if r["counted"])
        speaker = speakers.most_common(1)[0][0] if speakers else None
        subject = ", ".join(n for n, _ in nouns.most_common(3)) or (members[0]["text"])
        unique = {(r["article"], r["value"], r["unit"], r["counted"]): r for r in members}
        differences = _differences(list(unique.values()))
        out.append(
            {
                "subject": subject,
                "speaker": speaker,
                "differ": bool(differences),
                "differences": differences,
                "rows": sorted(unique.values(), key=lambda r: (str(r["outlet"]), r["start"])),
            }
        )
    out.sort(key=lambda g: (not g["differ"], -len({r["article"] for r in g["rows"]}), g["subject"]))
    return out


def summarised(groups: Sequence[FigureGroup], limit: int = MAX_DIFFERENCES) -> list[FigureGroup]:
    """`groups` with each group's differences merged by the two values they set apart:
    one entry per pair of values (the first article pair that gives it, with ``pairs``
    counting all of them), the most reported first, at most `limit`;
    ``differences_total`` says how many distinct pairs there were."""
    out: list[FigureGroup] = []
    for group in groups:
        merged: dict[tuple[object, ...], FigureDifference] = {}
        for d in group["differences"]:
            key = (d["unit"], *sorted(v["value"] for v in d["values"]))
            if key in merged:
                merged[key]["pairs"] = merged[key].get("pairs", 1) + 1
            else:
                merged[key] = {**d, "pairs": 1}
        ranked = sorted(merged.values(), key=lambda d: -d.get("pairs", 1))
        out.append({**group, "differences": ranked[:limit], "differences_total": len(merged)})
    return out


def _quantity(row: FigureRow) -> Quantity:
    return Quantity(
        value=float(row["value"]),
        unit=row["unit"],
        thing=row.get("thing"),
        context=frozenset(row.get("context") or ()),
        dates=frozenset(row.get("dates") or ()),
    )


def _differences(rows: Sequence[FigureRow]) -> list[FigureDifference]:
    """Pairs of rows from two articles that give one quantity with other values.

    Each two articles' figures are paired one to one (storyline.compare.quantities.pairs:
    equal values first, then the closest), so a figure the other article repeats agrees
    and is not also set against that article's other numbers.
    """
    by_article: dict[str, list[FigureRow]] = {}
    for r in rows:
        by_article.setdefault(r["article"], []).append(r)
    articles = sorted(by_article)
    # each row's quantity once, not once per article it is compared with
    quantities = {a: [_quantity(r) for r in by_article[a]] for a in articles}
    sides: dict[int, FigureSide] = {}
    out: list[FigureDifference] = []
    for x, first in enumerate(articles):
        for second in articles[x + 1 :]:
            left, right = by_article[first], by_article[second]
            for i, j in _paired(left, right, quantities[first], quantities[second]):
                if left[i]["value"] == right[j]["value"]:
                    continue
                a, b = sorted((left[i], right[j]), key=lambda r: (str(r["outlet"]), r["start"]))
                out.append(
                    {
                        "thing": a.get("thing") or a["counted"],
                        "unit": a["unit"],
                        "values": [_side_of(a, sides), _side_of(b, sides)],
                    }
                )
    return out


def _paired(
    left: Sequence[FigureRow],
    right: Sequence[FigureRow],
    ql: Sequence[Quantity],
    qr: Sequence[Quantity],
) -> list[tuple[int, int]]:
    def same(i: int, j: int) -> bool:
        return same_quantity(ql[i], qr[j], same_claim=left[i]["claim"] == right[j]["claim"])

    return pairs(ql, qr, same)


def _side_of(row: FigureRow, made: dict[int, FigureSide]) -> FigureSide:
    """`row`'s side, made once per row (a row differs from many articles' figures)."""
    key = id(row)
    if key not in made:
        made[key] = _side(row)
    return made[key]


def _side(row: FigureRow) -> FigureSide:
    return {
        "value": row["value"],
        "text": row["text"],
        "hedge": row["hedge"],
        "outlet": row["outlet"],
        "article": row["article"],
        "start": row["start"],
        "claim": row["claim"],
        "speaker_name": row["speaker_name"],
        "passage": row["passage"],
    }
