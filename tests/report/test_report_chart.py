"""The timeline chart: well-formed SVG for every shape of timeline, hostile labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.briefing_fixtures import HOSTILE

from storyline.report.chart import Axis, mark, timeline_svg, xml_text

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    for el in root.iter():
        assert el.tag.split("}")[-1] not in {"script", "image", "foreignObject", "use", "a"}
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "javascript:" not in value.lower()
            assert "href" not in name
    return root


def _entries(*dates: str) -> list[dict[str, object]]:
    return [
        {"n": i + 1, "date": d, "text": f"Eintrag {i + 1}", "outlets": ["Nordblatt"]}
        for i, d in enumerate(dates)
    ]


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{NS}text")]


def test_report_chart_one_entry() -> None:
    root = _parse(timeline_svg(_entries("2025-03-04"), lang="de"))
    assert len(list(root.iter(f"{NS}circle"))) == 1
    assert "1" in _texts(root)


def test_report_chart_nothing_dated_is_no_chart() -> None:
    assert timeline_svg([]) == ""
    assert timeline_svg(_entries("irgendwann", "")) == ""


def test_report_chart_each_precision() -> None:
    dates = ("2025", "2025-03", "2025-03-04", "2025-03-04/2025-03-06", "2024-12-20/2025-01-20")
    root = _parse(timeline_svg(_entries(*dates), lang="en"))
    labels = [t for t in _texts(root) if t]
    for n in range(1, len(dates) + 1):
        assert str(n) in labels
    # a day is a dot, coarse dates are bars
    assert len(list(root.iter(f"{NS}circle"))) >= 1
    assert len(list(root.iter(f"{NS}rect"))) >= 3


def test_report_chart_many_entries_stay_inside_the_canvas() -> None:
    start = date(2024, 1, 1)
    dates = [(start + timedelta(days=3 * i)).isoformat() for i in range(200)]
    svg = timeline_svg(_entries(*dates), lang="de")
    root = _parse(svg)
    width = float(root.attrib["width"])
    for c in root.iter(f"{NS}circle"):
        assert 0 <= float(c.attrib["cx"]) <= width
    assert len(list(root.iter(f"{NS}circle"))) == 200


def test_report_chart_long_span_compresses_gaps() -> None:
    events = [{"title": "Gipfel in Kiel", "date": "2024-06-18/2024-06-19"}]
    entries = _entries("1945", "1991", "2000-07", "2024-06-14", "2024-06-17", "2024-06-18")
    root = _parse(timeline_svg(entries, events, lang="de"))
    assert "≈" in _texts(root)  # empty decades are cut out
    labels = set(_texts(root))
    assert {"1945", "1991"} <= labels
    # the days of June 2024 are spread out, not squeezed into a pixel
    xs = sorted(float(c.attrib["cx"]) for c in root.iter(f"{NS}circle"))
    assert xs[-1] - xs[0] > 60


def test_report_chart_escapes_hostile_labels() -> None:
    entries = [{"n": 1, "date": "2025-01-02", "text": HOSTILE + "\x00\x07", "outlets": [HOSTILE]}]
    events = [{"title": HOSTILE, "date": "2025-01-02"}]
    svg = timeline_svg(entries, events)
    root = _parse(svg)
    assert "<script" not in svg and "<img" not in svg
    titles = [el.text or "" for el in root.iter(f"{NS}title")]
    assert any("<script>" in t for t in titles)  # the text survives, as text


def test_report_chart_xml_text_drops_what_xml_cannot_hold() -> None:
    assert xml_text('a<b>&"c"\x00\x1f\ud800') == "a&lt;b&gt;&amp;&quot;c&quot;"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)),
            st.sampled_from(["day", "month", "year", "range"]),
            st.integers(min_value=1, max_value=20),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_report_chart_any_dates_give_valid_svg_and_a_monotonic_axis(
    items: list[tuple[date, str, int]],
) -> None:
    values = []
    for d, precision, extra in items:
        if precision == "day":
            values.append(d.isoformat())
        elif precision == "month":
            values.append(d.isoformat()[:7])
        elif precision == "year":
            values.append(str(d.year))
        else:
            values.append(f"{d.isoformat()}/{(d + timedelta(days=extra)).isoformat()}")
    _parse(timeline_svg(_entries(*values), lang="de"))
    marks = [m for v in values if (m := mark(v, "de"))]
    axis = Axis(marks, 24, 936)
    days = sorted({m.lo for m in marks} | {m.hi for m in marks})
    xs = [axis.x(d) for d in days]
    assert xs == sorted(xs)
    assert xs[0] >= 24 - 1e-6 and xs[-1] <= 936 + 1e-6
