"""Who a sentence is about, with capitals read as their governments.

News writes "Pjöngjang und Moskau haben bestritten" in one outlet and "Nordkorea und
Russland haben dementiert" in another: the capital stands for the state (metonymy). Claim
grouping compares these actor keys instead of entity ids, so both sentences name the
same two actors. The table holds capitals that news uses this way, in German and English
spellings; everything else keys as its own name.
"""

from __future__ import annotations

from functools import cache

from storyline.analyse.names import name_key

_CAPITALS = {
    "Nordkorea": "Pjöngjang Pjongjang Pyongyang",
    "Südkorea": "Seoul",
    "Russland": "Moskau Moscow Kreml Kremlin",
    "USA": "Washington",
    "China": "Peking Beijing",
    "Ukraine": "Kiew Kyiv Kiev",
    "Deutschland": "Berlin",
    "Frankreich": "Paris Élysée",
    "Großbritannien": "London",
    "Japan": "Tokio Tokyo",
    "Iran": "Teheran Tehran",
    "Israel": "Jerusalem",
    "Türkei": "Ankara",
    "Indien": "Neu-Delhi New Delhi",
    "Polen": "Warschau Warsaw",
    "Belarus": "Minsk",
    "Syrien": "Damaskus Damascus",
    "Taiwan": "Taipeh Taipei",
    "Vietnam": "Hanoi",
    "Österreich": "Wien Vienna",
    "Italien": "Rom Rome",
    "Spanien": "Madrid",
    "Brüssel": "Brüssel Brussels",
}
_ALIASES = {
    "North Korea": "Nordkorea",
    "South Korea": "Südkorea",
    "Russia": "Russland",
    "United States": "USA",
    "Vereinigte Staaten": "USA",
    "US": "USA",
    "Germany": "Deutschland",
    "France": "Frankreich",
    "Britain": "Großbritannien",
    "United Kingdom": "Großbritannien",
    "Turkey": "Türkei",
    "India": "Indien",
    "Poland": "Polen",
    "Syria": "Syrien",
    "Austria": "Österreich",
    "Italy": "Italien",
    "Spain": "Spanien",
}


@cache
def _table() -> dict[str, str]:
    out: dict[str, str] = {}
    for country, capitals in _CAPITALS.items():
        for capital in capitals.split():
            out[name_key(capital)] = name_key(country)
        out[name_key(country)] = name_key(country)
    for alias, country in _ALIASES.items():
        out[name_key(alias)] = name_key(country)
    return out


def actor_key(name: str) -> str:
    """The key a name stands for: a capital keys as its country, any other name as itself."""
    key = name_key(name)
    return _table().get(key, key)
