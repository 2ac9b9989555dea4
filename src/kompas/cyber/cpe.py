"""CPE names: parse, validate, bind and compare Common Platform Enumeration names.

Implements, as far as Kompas needs them:

- **NIST IR 7695** (CPE Naming 2.3, Cheikes, Waltermire, Scarfone, August 2011): the well-formed name (WFN, section 5),
  the *formatted string* binding ``cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:
  target_sw:target_hw:other`` (section 6.2: syntax of Figure 6-3, binding 6.2.2, unbinding 6.2.3) and the *URI*
  binding of CPE 2.2, ``cpe:/part:vendor:product:version:update:edition:language`` (section 6.1: unbinding 6.1.3,
  including the packed edition ``~edition~sw_edition~target_sw~target_hw~other``, binding 6.1.2).
- **NIST IR 7696** (CPE Name Matching 2.3): the attribute comparison of Table 6-2 (:func:`compare`) and name
  matching, a source name matching a target when every attribute is a superset of or equal to the target's
  (:func:`matches`).

Values are kept in WFN form (IR 7695 section 5.3.2): a string value quotes every character other than a letter, a
digit and ``_`` with a backslash (``8\\.0\\.6001``, ``foo\\\\bar``, ``big\\$money``); an unquoted ``*`` (any
sequence) or ``?`` (one character) is a wildcard and may only stand at the beginning or the end; the logical values
are :data:`ANY` (``*`` in a formatted string, empty in a URI) and :data:`NA` (``-``). :func:`literal` gives the text
a value stands for (quotes removed).

Why written here and not taken from PyPI: the ``cpe`` package (1.3.1, the most used Python CPE library) was tried
on the IR 7695 examples. It parses them, but every malformed name fails with the same
``NotImplementedError("Version of CPE not implemented")``, without the attribute or the reason a contributor needs
(Kompas reports every rejected inventory line with its field and reason); its getters return lists of still-quoted
strings; it ships no type information; and it takes about 175 microseconds per name (this module: about 14).
``packageurl`` handles package URLs, not CPE. The grammar is small (Figure 6-3 is the regular expression of the
official schema ``cpe-naming_2.3.xsd``), so it is implemented here and tested against the specification's own
examples (``tests/cyber/test_cpe.py``).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, fields
from typing import Literal

__all__ = ["ANY", "ATTRIBUTES", "NA", "CpeError", "CpeName", "Logical", "Relation", "Value", "compare",
           "has_wildcards", "literal", "matches", "name_key", "parse_cpe", "parse_fs", "parse_uri", "product_tokens"]


class Logical(enum.Enum):
    """The two logical attribute values of IR 7695 section 5.3.1."""

    ANY = "ANY"  #: any value (``*`` in a formatted string, an empty component in a URI)
    NA = "NA"  #: not applicable (``-``)

    def __repr__(self) -> str:
        return self.value


ANY = Logical.ANY
NA = Logical.NA
#: An attribute value: a WFN string value (quoted as IR 7695 section 5.3.2 says) or a logical value.
Value = str | Logical
#: The eleven WFN attributes, in the order of the formatted string binding.
ATTRIBUTES = ("part", "vendor", "product", "version", "update", "edition", "language", "sw_edition", "target_sw",
              "target_hw", "other")
_FS_PREFIX = "cpe:2.3:"
_URI_PREFIX = "cpe:/"


class CpeError(ValueError):
    """A name that is not a CPE name: which attribute (or ``""`` for the name as a whole), why, and the text."""

    def __init__(self, field: str, reason: str, value: str = "") -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason
        self.value = value


@dataclass(frozen=True, slots=True)
class CpeName:
    """A well-formed CPE name (IR 7695 section 5): eleven attributes, each a WFN value or :data:`ANY`/:data:`NA`.
    Attributes not given are :data:`ANY`, as IR 7695 section 5.2 says of unspecified attributes."""

    part: Value = ANY  #: ``"a"`` application, ``"o"`` operating system, ``"h"`` hardware
    vendor: Value = ANY
    product: Value = ANY
    version: Value = ANY
    update: Value = ANY
    edition: Value = ANY
    language: Value = ANY
    sw_edition: Value = ANY
    target_sw: Value = ANY
    target_hw: Value = ANY
    other: Value = ANY

    def get(self, attribute: str) -> Value:
        """The value of ``attribute`` (one of :data:`ATTRIBUTES`)."""
        if attribute not in ATTRIBUTES:
            raise KeyError(attribute)
        value: Value = getattr(self, attribute)
        return value

    def fs(self) -> str:
        """The formatted string binding (IR 7695 section 6.2.2)."""
        return _FS_PREFIX + ":".join(_bind_fs(self.get(a)) for a in ATTRIBUTES)

    def uri(self) -> str:
        """The URI binding (IR 7695 section 6.1.2): the four extended attributes are packed into the edition
        (``~edition~sw_edition~target_sw~target_hw~other``) when any of them is not ANY; trailing empty components
        are dropped."""
        edition = _bind_uri(self.edition)
        extended = (self.sw_edition, self.target_sw, self.target_hw, self.other)
        if any(v is not ANY for v in extended):
            edition = "~" + "~".join([edition, *(_bind_uri(v) for v in extended)])
        parts = [_bind_uri(self.part), _bind_uri(self.vendor), _bind_uri(self.product), _bind_uri(self.version),
                 _bind_uri(self.update), edition, _bind_uri(self.language)]
        return (_URI_PREFIX + ":".join(parts)).rstrip(":")

    def wfn(self) -> str:
        """The WFN as IR 7695 writes it: ``wfn:[part="a",vendor="microsoft",...,other=ANY]`` (every attribute)."""
        shown = [f"{a}={v.value}" if isinstance(v, Logical) else f'{a}="{v}"'
                 for a in ATTRIBUTES for v in (self.get(a),)]
        return "wfn:[" + ",".join(shown) + "]"

    def __str__(self) -> str:
        return self.fs()

    @property
    def vendor_text(self) -> str:
        """The vendor as plain text (quotes removed; ``""`` when ANY or NA)."""
        return literal(self.vendor)

    @property
    def product_text(self) -> str:
        """The product as plain text (quotes removed; ``""`` when ANY or NA)."""
        return literal(self.product)

    @property
    def version_text(self) -> str:
        """The version as plain text (``""`` when ANY or NA; wildcards kept)."""
        return literal(self.version)


# -- the formatted string binding (IR 7695 section 6.2) ------------------------------------------------------------

#: Figure 6-3's avstring (the same pattern as the official schema cpe-naming_2.3.xsd): an optional run of ``?`` or
#: one ``*``, one or more unreserved or quoted characters, an optional run of ``?`` or one ``*``.
_PUNC = r"""!"#$%&'()+,/:;<=>@\[\]^`{|}~"""
_FS_BODY = rf"(?:[A-Za-z0-9\-._]|\\[\\*?{re.escape(_PUNC)}])"
_FS_AVSTRING = re.compile(rf"(?:\?+|\*)?{_FS_BODY}+(?:\?+|\*)?")
_FS_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-(?:[A-Za-z]{2}|[0-9]{3}))?")


def _split_fs(text: str) -> list[str]:
    """The components after ``cpe:2.3:``, split on colons that are not quoted (``\\:`` is part of a value)."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if c == ":":
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return parts


def _atoms(value: str) -> list[tuple[str, bool]]:
    """The characters of a value, each with whether it was quoted (``\\x`` is the character x, quoted)."""
    atoms: list[tuple[str, bool]] = []
    i = 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            atoms.append((value[i + 1], True))
            i += 2
        else:
            atoms.append((value[i], False))
            i += 1
    return atoms


def _why_not_fs_value(text: str) -> str:
    """Why ``text`` is not a formatted-string attribute value (the reason shown to the contributor)."""
    if text == "":
        return "empty (use * for ANY or - for NA)"
    if any(c.isspace() for c in text):
        return "contains whitespace (CPE values use _ for spaces)"
    if re.search(r"(?<!\\)(?:\\\\)*\\$", text):
        return "ends with a lone backslash"
    atoms = _atoms(text)
    unquoted = [c for c, quoted in atoms if not quoted]
    if "*" in unquoted:
        stars = [i for i, (c, quoted) in enumerate(atoms) if c == "*" and not quoted]
        if len(stars) > 2 or any(0 < i < len(atoms) - 1 for i in stars) or len(atoms) == 1:
            return "an unquoted * may only stand once at the beginning or the end (quote it as \\*)"
    if "?" in unquoted:
        body = "".join("x" if quoted or c != "?" else "?" for c, quoted in atoms).strip("?")
        if "?" in body or not body:
            return "an unquoted ? may only stand at the beginning or the end (quote it as \\?)"
    bad = sorted({c for c in unquoted if not (c.isascii() and (c.isalnum() or c in "-._*?"))})
    if bad:
        return f"unquoted {' '.join(bad)} (quote punctuation with a backslash, e.g. \\{bad[0]})"
    return "not a value of the formatted string binding (IR 7695 Figure 6-3)"


def _unbind_fs(component: str, attribute: str) -> Value:
    """One formatted-string component as a WFN value (IR 7695 section 6.2.3.2, ``unbind_value_fs``/``add_quoting``),
    after checking it against Figure 6-3."""
    if component == "*":
        return ANY
    if component == "-":
        return NA
    if attribute == "part":
        if component not in ("a", "o", "h"):
            raise CpeError("part", "must be a (application), o (operating system), h (hardware), * or -", component)
        return component
    if attribute == "language":
        if not _FS_LANGUAGE.fullmatch(component):
            raise CpeError("language", "not a language tag (RFC 5646 language[-region], e.g. en or en-us)",
                           component)
        return component.replace("-", "\\-")
    if not _FS_AVSTRING.fullmatch(component):
        raise CpeError(attribute, _why_not_fs_value(component), component)
    out: list[str] = []
    i = 0
    while i < len(component):
        c = component[i]
        if c == "\\":
            out.append(component[i:i + 2])
            i += 2
            continue
        if c.isalnum() or c in "_*?":
            out.append(c)  # unquoted wildcards at the edges were checked by the pattern above
        else:
            out.append("\\" + c)  # "-" and "." are quoted in a WFN
        i += 1
    value = "".join(out)
    if value == "\\-":
        raise CpeError(attribute, "a quoted hyphen alone is not a value (IR 7695 5.3.2)", component)
    return value


def _bind_fs(value: Value) -> str:
    """A WFN value in the formatted string (IR 7695 section 6.2.2.2, ``bind_value_for_fs``/``process_quoted_chars``):
    ``\\.``, ``\\-`` and ``\\_`` lose their quote, every other quoted character keeps it."""
    if value is ANY:
        return "*"
    if value is NA:
        return "-"
    assert isinstance(value, str)
    return "".join(c if not quoted or c in ".-_" else "\\" + c for c, quoted in _atoms(value))


def parse_fs(text: str) -> CpeName:
    """A CPE 2.3 formatted string (IR 7695 section 6.2) as a :class:`CpeName`. Raises :class:`CpeError` naming the
    attribute and the reason when ``text`` does not follow Figure 6-3: not eleven components, a part other than
    ``a``/``o``/``h``/``*``/``-``, an empty component, whitespace, unquoted punctuation, an unquoted ``*`` or ``?``
    inside a value, a malformed language tag."""
    if not text.startswith(_FS_PREFIX):
        raise CpeError("", "a CPE 2.3 formatted string starts with cpe:2.3:", text)
    components = _split_fs(text[len(_FS_PREFIX):])
    if len(components) != len(ATTRIBUTES):
        raise CpeError("", f"has {len(components)} components after cpe:2.3:, a formatted string has 11 "
                       "(part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other)",
                       text)
    return CpeName(*(_unbind_fs(c, a) for a, c in zip(ATTRIBUTES, components, strict=True)))


# -- the URI binding (IR 7695 section 6.1) -------------------------------------------------------------------------

#: The percent-encoded forms of IR 7695 section 6.1.2.3 (``pct_encode``), and their characters.
_PCT = {"%21": "!", "%22": '"', "%23": "#", "%24": "$", "%25": "%", "%26": "&", "%27": "'", "%28": "(", "%29": ")",
        "%2a": "*", "%2b": "+", "%2c": ",", "%2f": "/", "%3a": ":", "%3b": ";", "%3c": "<", "%3d": "=", "%3e": ">",
        "%3f": "?", "%40": "@", "%5b": "[", "%5c": "\\", "%5d": "]", "%5e": "^", "%60": "`", "%7b": "{", "%7c": "|",
        "%7d": "}", "%7e": "~"}
_PCT_OF = {c: code for code, c in _PCT.items()}
_URI_ATTRIBUTES = ATTRIBUTES[:7]


def _decode_uri(component: str, attribute: str) -> Value:
    """One URI component as a WFN value (IR 7695 section 6.1.3.2, ``decode``): empty is ANY, ``-`` is NA, the text
    is lowercased, ``.``, ``-`` and ``~`` are quoted, ``%01`` (``?``) and ``%02`` (``*``) are wildcards at the
    edges only, and every other ``%xx`` must be one of the forms of :data:`_PCT`."""
    if component == "":
        return ANY
    if component == "-":
        return NA
    s = component.lower()
    out: list[str] = []
    i = 0
    embedded = False
    while i < len(s):
        c = s[i]
        if c in ".-~":
            out.append("\\" + c)
            embedded = True
            i += 1
            continue
        if c != "%":
            if not (c.isascii() and (c.isalnum() or c == "_")):
                raise CpeError(attribute, f"character {c!r} is not allowed in a CPE URI (percent-encode it)",
                               component)
            out.append(c)
            embedded = True
            i += 1
            continue
        form = s[i:i + 3]
        if form == "%01":
            at_edge = i == 0 or i == len(s) - 3
            in_run = (not embedded and s[i - 3:i] == "%01") or (embedded and s[i + 3:i + 6] == "%01")
            if not (at_edge or in_run):
                raise CpeError(attribute, "%01 (the ? wildcard) may only stand at the beginning or the end",
                               component)
            out.append("?")
        elif form == "%02":
            if not (i == 0 or i == len(s) - 3):
                raise CpeError(attribute, "%02 (the * wildcard) may only stand at the beginning or the end",
                               component)
            out.append("*")
        elif form in _PCT:
            out.append("\\" + _PCT[form])
        else:
            raise CpeError(attribute, f"{form!r} is not a percent-encoded form of IR 7695 (Table 6-1)", component)
        i += 3
        embedded = True
    return "".join(out)


def parse_uri(text: str) -> CpeName:
    """A CPE 2.2 URI (``cpe:/a:vendor:product:version:update:edition:language``, IR 7695 section 6.1) as a
    :class:`CpeName`; missing trailing components are ANY, a packed edition (``~e~sw~tsw~thw~o``) is unpacked
    (section 6.1.3.2, ``unpack``). Raises :class:`CpeError` with the attribute and the reason."""
    if not text[:len(_URI_PREFIX)].lower() == _URI_PREFIX:
        raise CpeError("", "a CPE URI starts with cpe:/", text)
    components = text[len(_URI_PREFIX):].split(":")
    if len(components) > len(_URI_ATTRIBUTES):
        raise CpeError("", f"has {len(components)} components after cpe:/, a URI has at most 7", text)
    components += [""] * (len(_URI_ATTRIBUTES) - len(components))
    part = components[0].lower()
    if part not in ("", "a", "o", "h"):
        raise CpeError("part", "must be a, o, h or empty", components[0])
    values: dict[str, Value] = {"part": part or ANY}
    for attribute, component in zip(_URI_ATTRIBUTES[1:], components[1:], strict=True):
        if attribute == "edition" and component.startswith("~"):
            packed = component.split("~")
            if len(packed) != 6:
                raise CpeError("edition", "a packed edition has five ~-separated fields "
                               "(~edition~sw_edition~target_sw~target_hw~other)", component)
            for name, field_text in zip(("edition", "sw_edition", "target_sw", "target_hw", "other"), packed[1:],
                                        strict=True):
                values[name] = _decode_uri(field_text, name)
            continue
        values[attribute] = _decode_uri(component, attribute)
    language = values.get("language", ANY)
    if isinstance(language, str) and not _FS_LANGUAGE.fullmatch(literal(language)):
        raise CpeError("language", "not a language tag (RFC 5646 language[-region], e.g. en or en-us)", language)
    return CpeName(**values)


def _bind_uri(value: Value) -> str:
    """A WFN value in a URI (IR 7695 section 6.1.2.2, ``bind_value_for_uri``/``transform_for_uri``)."""
    if value is ANY:
        return ""
    if value is NA:
        return "-"
    assert isinstance(value, str)
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            quoted = value[i + 1]
            out.append(quoted if quoted in "-._" else _PCT_OF.get(quoted, quoted))
            i += 2
            continue
        out.append("%01" if c == "?" else "%02" if c == "*" else c)
        i += 1
    return "".join(out)


def parse_cpe(text: str) -> CpeName:
    """A CPE name in either binding: ``cpe:2.3:...`` (:func:`parse_fs`) or ``cpe:/...`` (:func:`parse_uri`).
    Raises :class:`CpeError` (a ``ValueError``) naming the attribute and the reason."""
    if text.startswith(_FS_PREFIX):
        return parse_fs(text)
    if text[:len(_URI_PREFIX)].lower() == _URI_PREFIX:
        return parse_uri(text)
    raise CpeError("", "not a CPE name (expected cpe:2.3:... or cpe:/...)", text)


def literal(value: Value) -> str:
    """The characters a WFN string value stands for: quotes removed (``foo\\\\bar`` -> ``foo\\bar``, ``8\\.0`` ->
    ``8.0``), unquoted wildcards kept as ``*``/``?``; ``""`` for :data:`ANY` and :data:`NA`."""
    if isinstance(value, Logical):
        return ""
    return re.sub(r"\\(.)", r"\1", value)


# -- name matching (IR 7696) ---------------------------------------------------------------------------------------

Relation = Literal["superset", "subset", "equal", "disjoint", "undefined"]


def has_wildcards(value: Value) -> bool:
    """True when a WFN string value holds an unquoted ``*`` or ``?`` (False for ANY and NA)."""
    if isinstance(value, Logical):
        return False
    return bool(re.search(r"(?<!\\)(?:\\\\)*[*?]", value))


def _wildcard_regex(source: str) -> re.Pattern[str]:
    """The target strings a source value with edge wildcards matches, as IR 7696 section 6.1.3.2
    (``compare_strings``) decides: a leading or trailing ``*`` any run of characters, a run of n ``?`` at an
    edge up to n characters; compared on the unquoted, lowercased text."""
    atoms = _atoms(source)
    head = tail = ""
    if atoms and atoms[0] == ("*", False):
        head, atoms = ".*", atoms[1:]
    else:
        n = 0
        while n < len(atoms) and atoms[n] == ("?", False):
            n += 1
        head, atoms = (f".{{0,{n}}}" if n else ""), atoms[n:]
    if atoms and atoms[-1] == ("*", False):
        tail, atoms = ".*", atoms[:-1]
    else:
        n = 0
        while n < len(atoms) and atoms[len(atoms) - 1 - n] == ("?", False):
            n += 1
        tail, atoms = (f".{{0,{n}}}" if n else ""), atoms[:len(atoms) - n]
    body = "".join(c for c, _ in atoms).lower()
    return re.compile(head + re.escape(body) + tail, re.DOTALL)


def compare(source: Value, target: Value) -> Relation:
    """The relation of a source attribute value to a target value (IR 7696 Table 6-2): ANY is a superset of
    everything but ANY (equal); NA equals NA and is disjoint from strings; strings compare case-insensitively; a
    source with wildcards is a superset of the strings it matches (else disjoint); a target with wildcards makes
    the relation undefined, as IR 7696's ``compare`` pseudo-code says (targets must not hold wildcards)."""
    if isinstance(target, str) and has_wildcards(target):
        return "undefined"
    if source is ANY:
        return "equal" if target is ANY else "superset"
    if source is NA:
        return "equal" if target is NA else "subset" if target is ANY else "disjoint"
    assert isinstance(source, str)
    if target is ANY:
        return "subset"
    if target is NA:
        return "disjoint"
    assert isinstance(target, str)
    if has_wildcards(source):
        return "superset" if _wildcard_regex(source).fullmatch(literal(target).lower()) else "disjoint"
    return "equal" if literal(source).lower() == literal(target).lower() else "disjoint"


def matches(source: CpeName, target: CpeName) -> bool:
    """IR 7696 name matching: ``source`` matches ``target`` when every attribute of ``source`` is a superset of,
    or equal to, the target's (``cpe:2.3:o:fortinet:fortios:7.0.*:...`` matches ``...:fortios:7.0.12:...``)."""
    return all(compare(source.get(a), target.get(a)) in ("superset", "equal") for a in ATTRIBUTES)


# -- normalisation for vendor/product comparison -------------------------------------------------------------------

def name_key(text: str) -> str:
    """The comparison key of a vendor or product name, CPE value or free text: Unicode NFKC, case-folded, ``&``
    read as ``and``, then only letters and digits kept. ``Palo Alto Networks`` and ``paloaltonetworks``,
    ``PAN-OS`` and ``pan-os``, ``Exchange Server`` and ``exchange_server``, ``Backup & Replication`` and
    ``backup_\\&_replication`` have the same key. This is the equality "after normalisation" used to match CPE
    vendor/product names against the KEV catalogue's free text (:mod:`kompas.cyber.kev`)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return "".join(c for c in folded if c.isalnum())


def product_tokens(text: str) -> tuple[str, ...]:
    """The words of a vendor or product name, split on anything that is not a letter or digit (``_``, ``-``,
    ``.``, spaces), each through :func:`name_key`: ``windows_server_2019`` -> ``("windows", "server", "2019")``."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return tuple(re.findall(r"[^\W_]+", folded))


_FIELDS = tuple(f.name for f in fields(CpeName))
assert _FIELDS == ATTRIBUTES
