"""Reader of TeleGeography's Internet Exchange Map (2020): buildings and the internet exchanges they host (pure: the
text of each file in, elements out).

``buildings.geojson`` holds one Point per building (colocation or data centre) with ``building_id``, ``address``
(lines, the first the building's name when it has one, the last ``"City, [State, ]Country[, postcode]"``),
``country`` and ``metro_area`` as slugs (``"bosnia-herzegovina"``, ``"san-francisco-ca"``) and the ``exchanges``
present there (``slug``, ``address[0]`` = ``"IXP name (City, Country)"``, ``date_online`` for 525 of the 920).
``exchanges.json`` lists the 920 exchanges as ``{value: "IXP name (City, Country)", url}``. The per-IXP files of
the same repository repeat ``date_online`` as ``"Online since: ..."`` for exactly the same 525 exchanges, so they are
not needed. The data is CC BY-NC-SA 3.0 (:data:`ATTRIBUTION`): read from ``../shared`` only, never copied.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from kompas.infra.countries import alpha2
from kompas.infra.model import Building, Exchange, Rejection

ATTRIBUTION = ("Internet exchanges and their buildings: TeleGeography, Internet Exchange Map (2020), CC BY-NC-SA 3.0, "
               "non-commercial use only.")
SOURCE = "ixmap_2020"
_LABEL = re.compile(r"^(?P<name>.*\S)\s*\((?P<place>[^()]*)\)\s*$", re.DOTALL)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    """A JSON list as strings (anything else: empty)."""
    return [str(v) for v in value] if isinstance(value, list) else []


def _key(text: str) -> str:
    """The letters and digits of a name, as TeleGeography's slugs keep them (``"São Paulo"`` and ``"so-paulo"``
    both -> ``"sopaulo"``: non-ASCII letters are dropped, not transliterated, in their slugs)."""
    return re.sub(r"[^a-z0-9]", "", text.lower().encode("ascii", "ignore").decode())


def split_place(place: str) -> tuple[str, str]:
    """``"Frankfurt, Germany"`` -> ``("Frankfurt", "DE")``; ``"San Francisco, CA, United States"`` ->
    ``("San Francisco, CA", "US")``; ``"Brazzaville, Congo, Rep."`` -> ``("Brazzaville", "CG")``: the longest
    comma-separated tail naming a country is the country, the rest the city. When no tail names a country
    (``"Willemstad, Netherlands Antilles"``) the last part is taken as an unknown country: ``("Willemstad", "")``."""
    parts = [p.strip() for p in place.split(",")]
    for size in range(min(3, len(parts) - 1), 0, -1):
        code = alpha2(", ".join(parts[-size:]))
        if code:
            return ", ".join(parts[:-size]), code
    return (", ".join(parts[:-1]) if len(parts) > 1 else place.strip()), ""


def split_label(label: str) -> tuple[str, str, str]:
    """``"DE-CIX Frankfurt (Frankfurt, Germany)"`` -> ``("DE-CIX Frankfurt", "Frankfurt", "DE")``; a name with its
    own parentheses keeps them (``"Remki Internet Exchange (RIX) (Guntur, India)"``). ``(label, "", "")`` when
    there is no trailing ``(City, Country)``; the country is ``""`` when the parenthesis names none."""
    found = _LABEL.match(label.strip())
    if not found or "," not in found.group("place"):
        return label.strip(), "", ""
    city, country = split_place(found.group("place"))
    return found.group("name").strip(), city, country


def _address_city(line: str) -> str:
    """The city (with a US/Canadian/Australian state) of an address's last line: ``"Boston, MA, United States,
    02110"`` -> ``"Boston, MA"``."""
    parts = [p.strip() for p in line.split(",")]
    if len(parts) > 1 and re.fullmatch(r"[\dA-Z -]*\d[\dA-Z -]*", parts[-1]):  # a postcode
        parts = parts[:-1]
    city, _ = split_place(", ".join(parts))
    return city


def _metro_names(features: list[dict[str, Any]]) -> dict[str, str]:
    """Metro-area slug -> the name as some address or exchange label of the file writes it (``"so-paulo"`` ->
    ``"São Paulo"``), matched letter for letter (:func:`_key`); metros no text spells keep no entry."""
    spelled: dict[str, str] = {}
    for feature in features:
        props = feature.get("properties")
        if not isinstance(props, dict):
            continue
        metro = str(props.get("metro_area") or "")
        if not metro or metro in spelled:
            continue
        candidates = []
        address = _strings(props.get("address"))
        if address:
            candidates.append(_address_city(address[-1]))
        for entry in _list(props.get("exchanges")):
            label = (_strings(entry.get("address")) or [""])[0] if isinstance(entry, dict) else ""
            candidates.append(split_label(label)[1])
        for candidate in candidates:
            for form in (candidate, candidate.split(",")[0]):
                if form and _key(form) == _key(metro):
                    spelled[metro] = form
                    break
            if metro in spelled:
                break
    return spelled


def readable_metro(metro: str) -> str:
    """A metro slug nobody spells out, made readable: ``"new-york-ny"`` -> ``"New York, NY"`` (a trailing
    two-letter part is a state), ``"kiev"`` -> ``"Kiev"``."""
    words = [w for w in metro.split("-") if w]
    if len(words) > 1 and len(words[-1]) == 2:
        return " ".join(w.capitalize() for w in words[:-1]) + ", " + words[-1].upper()
    return " ".join(w.capitalize() for w in words)


def since_year(text: object) -> int | None:
    """The year of a ``date_online`` (``"March 2001"``, ``"1995"``) or an ``"Online since: ..."`` text, or None."""
    found = _YEAR.search(str(text or ""))
    return int(found.group(1)) if found else None


def parse_ixmap(buildings_geojson: str, exchanges_json: str | None = None,
                source: str = SOURCE) -> tuple[list[Building], list[Exchange], list[Rejection]]:
    """``buildings.geojson`` (and optionally ``exchanges.json``) texts -> buildings, exchanges and rejections.

    Building: ``id`` ``str(building_id)``; ``name`` the first address line; ``city`` the metro area as the file
    spells it somewhere (``"frankfurt"`` -> ``"Frankfurt"``, ``"so-paulo"`` -> ``"São Paulo"``), else
    :func:`readable_metro`, else the city of the last address line; ``country`` alpha-2 of ``country`` (``""``
    with a rejection when unknown: ``netherlands-antilles``, dissolved in 2010, is not guessed); ``lon``, ``lat``
    of the Point (degrees); ``exchanges`` the IXP slugs listed there, in order.

    Exchange: ``id`` the slug; ``name``, ``city``, ``country`` from its label ``"Name (City, Country)"`` (the
    ``exchanges.json`` value when given, else ``address[0]`` of its first listing); ``buildings`` every building
    listing it, in file order; ``since_year`` from ``date_online``. An exchange of ``exchanges.json`` that no
    building lists is kept with no buildings.

    Rejections: a feature without ``building_id`` or a Point is skipped (``record`` ``"feature N"``, 1-based); an
    unknown country, an exchange entry without a slug, a label without ``(City, Country)`` or an unreadable
    ``date_online`` is reported with the element kept.
    """
    where = f"{source}/buildings.geojson"
    rejections: list[Rejection] = []
    try:
        document = json.loads(buildings_geojson)
    except json.JSONDecodeError as exc:
        return [], [], [Rejection(where, f"line {exc.lineno}", "json", f"not JSON: {exc.msg}")]
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        return [], [], [Rejection(where, "file", "features", "not a GeoJSON FeatureCollection")]
    metros = _metro_names([f for f in features if isinstance(f, dict)])

    buildings: list[Building] = []
    labels: dict[str, str] = {}
    dates: dict[str, object] = {}
    hosts: dict[str, list[str]] = defaultdict(list)
    seen_ids: set[str] = set()
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        raw_id = props.get("building_id")
        record = f"feature {n}" if raw_id in (None, "") else f"feature {n} (building {raw_id})"
        if raw_id in (None, ""):
            rejections.append(Rejection(where, record, "building_id", "a building needs an id: skipped"))
            continue
        building_id = str(raw_id)
        if building_id in seen_ids:
            rejections.append(Rejection(where, record, "building_id", "duplicate id: skipped"))
            continue
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        try:
            if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
                raise ValueError
            lon, lat = float(coords[0]), float(coords[1])
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError
        except (ValueError, TypeError, AttributeError):
            rejections.append(Rejection(where, record, "geometry", f"not a lon/lat Point: {geometry!r:.80}: skipped"))
            continue
        seen_ids.add(building_id)
        address = [a.strip() for a in _strings(props.get("address")) if a.strip()]
        if not address:
            rejections.append(Rejection(where, record, "address", "no address: named by its id"))
        name = address[0] if address else f"building {building_id}"
        metro = str(props.get("metro_area") or "")
        city = metro and (metros.get(metro) or readable_metro(metro))
        if not city and address:
            city = _address_city(address[-1])
        country_slug = str(props.get("country") or "")
        country = alpha2(country_slug)
        if not country:
            rejections.append(Rejection(where, record, "country",
                                        f"no ISO 3166-1 country for {country_slug!r}: kept as ''"))
        slugs: list[str] = []
        for entry in _list(props.get("exchanges")):
            slug = str(entry.get("slug") or "").strip() if isinstance(entry, dict) else ""
            if not slug:
                rejections.append(Rejection(where, record, "exchanges.slug", "an exchange entry without a slug: "
                                            "left out of this building"))
                continue
            if slug in slugs:
                continue
            slugs.append(slug)
            hosts[slug].append(building_id)
            label = (_strings(entry.get("address")) or [""])[0]
            if slug not in labels and label:
                labels[slug] = label
            if "date_online" in entry and slug not in dates:
                dates[slug] = entry["date_online"]
        buildings.append(Building(id=building_id, name=name, city=city, country=country, lon=lon, lat=lat,
                                  exchanges=tuple(slugs), source=where))

    order = list(hosts)
    if exchanges_json is not None:
        listed = _listing(exchanges_json, f"{source}/exchanges.json", rejections)
        labels.update(listed)
        order = list(listed) + [s for s in hosts if s not in listed]
    exchanges: list[Exchange] = []
    for slug in order:
        label = labels.get(slug, "")
        name, city, country = split_label(label) if label else (slug, "", "")
        if not city:
            rejections.append(Rejection(where, slug, "address", f"no '(City, Country)' in {label!r}: name kept as "
                                        "written, city and country ''"))
        elif not country:
            rejections.append(Rejection(where, slug, "address", f"no ISO 3166-1 country in {label!r}: kept as ''"))
        year = since_year(dates[slug]) if slug in dates else None
        if slug in dates and year is None:
            rejections.append(Rejection(where, slug, "date_online", f"no year in {dates[slug]!r}: kept as unknown"))
        exchanges.append(Exchange(id=slug, name=name, city=city, country=country, buildings=tuple(hosts.get(slug, [])),
                                  since_year=year, source=where))
    return buildings, exchanges, rejections


def _listing(text: str, where: str, rejections: list[Rejection]) -> dict[str, str]:
    """``exchanges.json`` -> slug (the tail of ``url``: ``/#/internet-exchange/<slug>``) -> label (``value``)."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        rejections.append(Rejection(where, f"line {exc.lineno}", "json", f"not JSON: {exc.msg}"))
        return {}
    if not isinstance(items, list):
        rejections.append(Rejection(where, "file", "", "not a JSON list"))
        return {}
    out: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        value = str(item.get("value") or "").strip() if isinstance(item, dict) else ""
        url = str(item.get("url") or "").strip() if isinstance(item, dict) else ""
        slug = url.rstrip("/").rsplit("/", 1)[-1] if "/internet-exchange/" in url else ""
        if not slug or not value:
            rejections.append(Rejection(where, f"item {n}", "url" if not slug else "value",
                                        f"needs a value and an /internet-exchange/<slug> url: {item!r:.80}: skipped"))
            continue
        out.setdefault(slug, value)
    return out
