"""CPE parsing, binding and matching against the examples of the specifications themselves.

References: NIST IR 7695, *Common Platform Enumeration: Naming Specification Version 2.3* (August 2011), and NIST IR
7696, *CPE Name Matching Specification Version 2.3*. Each example is quoted from the section named beside it: the
bound string and the WFN the text gives for it (WFNs in the specification's own notation, ``wfn:[...]``; our
:meth:`CpeName.wfn` lists all eleven attributes, so attributes the text leaves out appear as ANY, as section 5.2
says of unspecified attributes).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompas.cyber.cpe import (
    ANY,
    NA,
    CpeError,
    CpeName,
    compare,
    literal,
    matches,
    name_key,
    parse_cpe,
    parse_fs,
    parse_uri,
    product_tokens,
)

_REST = ",edition=ANY,language=ANY,sw_edition=ANY,target_sw=ANY,target_hw=ANY,other=ANY]"

# IR 7695 section 6.2.2.3 (binding a WFN to a formatted string): the WFN given, then the formatted string.
FS_BINDING = [
    (CpeName("a", "microsoft", "internet_explorer", "8\\.0\\.6001", "beta", ANY),
     "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*"),
    (CpeName("a", "microsoft", "internet_explorer", "8\\.*", "sp?", ANY),
     "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*"),
    (CpeName("a", "microsoft", "internet_explorer", "8\\.\\*", "sp?"),
     "cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*"),
    (CpeName("a", "hp", "insight", "7\\.4\\.0\\.1570", NA, sw_edition="online", target_sw="win2003",
             target_hw="x64"),
     "cpe:2.3:a:hp:insight:7.4.0.1570:-:*:*:online:win2003:x64:*"),
    (CpeName("a", "hp", "openview_network_manager", "7\\.51", target_sw="linux"),
     "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*"),
    (CpeName("a", "foo\\\\bar", "big\\$money_2010", sw_edition="special", target_sw="ipod_touch",
             target_hw="80gb"),
     "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*"),
]


@pytest.mark.parametrize(("wfn", "bound"), FS_BINDING)
def test_formatted_string_binding_examples_of_ir7695_6_2_2_3(wfn: CpeName, bound: str) -> None:
    assert wfn.fs() == bound
    assert parse_fs(bound) == wfn  # and unbinding gives the WFN back


# IR 7695 section 6.2.3.3 (unbinding a formatted string): the string, then the WFN the text gives.
FS_UNBINDING = [
    ("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
     'wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\\.0\\.6001",update="beta",'
     "edition=ANY,language=ANY,sw_edition=ANY,target_sw=ANY,target_hw=ANY,other=ANY]"),
    ("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
     'wfn:[part="a",vendor="hp",product="insight_diagnostics",version="7\\.4\\.0\\.1570",update=NA,'
     'edition=ANY,language=ANY,sw_edition="online",target_sw="win2003",target_hw="x64",other=ANY]'),
    ("cpe:2.3:a:foo\\\\bar:big\\$money:2010:*:*:*:special:ipod_touch:80gb:*",
     'wfn:[part="a",vendor="foo\\\\bar",product="big\\$money",version="2010",update=ANY,edition=ANY,'
     'language=ANY,sw_edition="special",target_sw="ipod_touch",target_hw="80gb",other=ANY]'),
]


@pytest.mark.parametrize(("bound", "wfn"), FS_UNBINDING)
def test_formatted_string_unbinding_examples_of_ir7695_6_2_3_3(bound: str, wfn: str) -> None:
    name = parse_cpe(bound)
    assert name.wfn() == wfn
    assert name.fs() == bound


def test_unquoted_embedded_asterisk_is_an_error_ir7695_6_2_3_3() -> None:
    # "cpe:2.3:a:hp:insight_diagnostics:7.4.*.1570:*:*:*:*:*:*": an unquoted * inside a value is an error.
    with pytest.raises(CpeError) as error:
        parse_cpe("cpe:2.3:a:hp:insight_diagnostics:7.4.*.1570:-:*:*:online:win2003:x64:*")
    assert error.value.field == "version"
    assert "*" in error.value.reason


# IR 7695 section 6.1.3.3 (unbinding a URI): the URI, then the WFN the text gives (the URI binding has seven
# components; the extended attributes come from a packed edition).
URI_UNBINDING = [
    ("cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
     'wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\\.0\\.6001",update="beta"' + _REST),
    ("cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
     'wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\\.\\*",update="sp\\?"' + _REST),
    ("cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
     'wfn:[part="a",vendor="microsoft",product="internet_explorer",version="8\\.*",update="sp?"' + _REST),
    ("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
     'wfn:[part="a",vendor="hp",product="insight_diagnostics",version="7\\.4\\.0\\.1570",update=ANY,'
     'edition=ANY,language=ANY,sw_edition="online",target_sw="win2003",target_hw="x64",other=ANY]'),
    ("cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~",
     'wfn:[part="a",vendor="hp",product="openview_network_manager",version="7\\.51",update=NA,edition=ANY,'
     'language=ANY,sw_edition=ANY,target_sw="linux",target_hw=ANY,other=ANY]'),
    ("cpe:/a:foo~bar:big%7emoney_2010",
     'wfn:[part="a",vendor="foo\\~bar",product="big\\~money_2010",version=ANY,update=ANY' + _REST),
]


@pytest.mark.parametrize(("uri", "wfn"), URI_UNBINDING)
def test_uri_unbinding_examples_of_ir7695_6_1_3_3(uri: str, wfn: str) -> None:
    name = parse_cpe(uri)
    assert name.wfn() == wfn
    assert parse_cpe(name.fs()) == name  # the same name in the formatted string binding (IR 7695 section 7.1)


@pytest.mark.parametrize(("uri", "field", "words"), [
    # "An error is raised when this URI is unbound, because it contains an illegal percent-encoded form, %07."
    ("cpe:/a:foo%5cbar:big%24money_2010%07:::~~special~ipod_touch~80gb~", "product", "%07"),
    # "... because it contains a special character (%02) embedded within a value string."
    ("cpe:/a:foo:bar:12.%02.1234", "version", "%02"),
])
def test_uri_unbinding_errors_of_ir7695_6_1_3_3(uri: str, field: str, words: str) -> None:
    with pytest.raises(CpeError) as error:
        parse_uri(uri)
    assert (error.value.field, words in error.value.reason) == (field, True)


@pytest.mark.parametrize("uri", [u for u, _ in URI_UNBINDING if "~bar" not in u])
def test_uri_binding_inverts_unbinding_ir7695_6_1_2(uri: str) -> None:
    assert parse_uri(uri).uri() == uri


def test_uri_binding_percent_encodes_as_ir7695_6_1_2() -> None:
    # The foo\\bar example of section 6.2.2.3 bound as a URI: "\\" is %5c, "$" is %24, the extended attributes
    # packed into the edition.
    name = parse_fs("cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*")
    assert name.uri() == "cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~"
    assert parse_uri(name.uri()) == name


def test_literal_and_text_properties() -> None:
    name = parse_cpe("cpe:2.3:a:foo\\\\bar:big\\$money_2010:8.0.6001:*:*:*:*:*:*:*")
    assert (name.vendor_text, name.product_text, name.version_text) == ("foo\\bar", "big$money_2010", "8.0.6001")
    assert literal(ANY) == literal(NA) == ""


@pytest.mark.parametrize(("text", "field", "words"), [
    ("cpe:2.3:a:microsoft:exchange_server", "", "11"),  # too few components
    ("cpe:2.3:a:microsoft:exchange_server:*:*:*:*:*:*:*:*:*", "", "12"),  # too many
    ("cpe:2.3:x:microsoft:exchange_server:*:*:*:*:*:*:*:*", "part", "a (application)"),
    ("cpe:2.3:a:two words:exchange:*:*:*:*:*:*:*:*", "vendor", "whitespace"),
    ("cpe:2.3:a:microsoft::*:*:*:*:*:*:*:*", "product", "empty"),
    ("cpe:2.3:a:microsoft:a*b:*:*:*:*:*:*:*:*", "product", "unquoted *"),
    ("cpe:2.3:a:microsoft:sr**:*:*:*:*:*:*:*:*", "product", "unquoted *"),
    ("cpe:2.3:a:microsoft:a?b:*:*:*:*:*:*:*:*", "product", "unquoted ?"),
    ("cpe:2.3:a:microsoft:exchange:*:*:*:*:*:*:*:*", None, ""),  # valid, for contrast
    ("cpe:2.3:a:big$money:x:*:*:*:*:*:*:*:*", "vendor", "unquoted $"),
    ("cpe:2.3:a:x:]:*:*:*:*:*:*:*:*", "product", "unquoted ]"),
    ("cpe:2.3:a:x:y:*:*:*:e_n:*:*:*:*", "language", "language tag"),
    ("cpe:2.3:a:x:y\\:*:*:*:*:*:*:*:*", "", "10"),  # the quoted colon is data, so one component is missing
    ("cpe:2.2:a:x:y:*:*:*:*:*:*:*:*", "", "not a CPE name"),
    ("cpe:/x:microsoft:exchange_server", "part", "a, o, h"),
    ("cpe:/a:micro soft:exchange", "vendor", "not allowed"),
    ("cpe:/a:microsoft:exchange:1:2:3:4:5", "", "at most 7"),
])
def test_malformed_names_say_which_attribute_and_why(text: str, field: str | None, words: str) -> None:
    if field is None:
        assert parse_cpe(text).product == "exchange"
        return
    with pytest.raises(CpeError) as error:
        parse_cpe(text)
    assert error.value.field == field
    assert words in str(error.value)


def test_escaped_colon_and_backslash_are_data() -> None:
    name = parse_cpe("cpe:2.3:a:foo\\:bar:widget:*:*:*:*:*:*:*:*")
    assert (name.vendor, name.vendor_text, name.product) == ("foo\\:bar", "foo:bar", "widget")


# IR 7696 Table 6-2 (attribute comparison) and name matching (section 6).
@pytest.mark.parametrize(("source", "target", "relation"), [
    (ANY, ANY, "equal"), (ANY, NA, "superset"), (ANY, "windows", "superset"),
    (NA, ANY, "subset"), (NA, NA, "equal"), (NA, "windows", "disjoint"),
    ("windows", ANY, "subset"), ("windows", NA, "disjoint"), ("windows", "Windows", "equal"),
    ("windows", "linux", "disjoint"),
    ("8\\.*", "8\\.0\\.6001", "superset"), ("8\\.*", "9\\.0", "disjoint"),
    ("sp?", "sp1", "superset"), ("sp?", "sp", "superset"), ("sp?", "sp12", "disjoint"),
    ("*soft*", "microsoft_office", "superset"), ("8\\.\\*", "8\\.1", "disjoint"),
    ("windows", "win*", "undefined"),  # targets must not hold wildcards
])
def test_attribute_comparison_ir7696_table_6_2(source: object, target: object, relation: str) -> None:
    assert compare(source, target) == relation  # type: ignore[arg-type]


def test_name_matching_ir7696() -> None:
    source = parse_cpe("cpe:2.3:o:fortinet:fortios:7.0.*:*:*:*:*:*:*:*")
    assert matches(source, parse_cpe("cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*"))
    assert not matches(source, parse_cpe("cpe:2.3:o:fortinet:fortios:7.2.1:*:*:*:*:*:*:*"))
    assert not matches(parse_cpe("cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*"), source)  # undefined
    assert matches(parse_cpe("cpe:/a:microsoft:exchange_server"),
                   parse_cpe("cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_8:*:*:*:*:*:*"))


def test_name_key_equates_kev_text_and_cpe_values() -> None:
    assert name_key("Palo Alto Networks") == name_key("paloaltonetworks")
    assert name_key("PAN-OS") == name_key(parse_cpe("cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*")
                                          .product_text)
    assert name_key("Backup & Replication") == name_key(
        parse_cpe("cpe:2.3:a:veeam:backup_\\&_replication:*:*:*:*:*:*:*:*").product_text) == "backupandreplication"
    assert product_tokens("windows_server_2019") == ("windows", "server", "2019")


# Property: any WFN string value survives binding and unbinding in both bindings.
_LITERAL = st.text(alphabet="abcdefghxyz0123456789_.-!$~:\\+@*?", min_size=1, max_size=12).filter(
    lambda s: s != "-")


def _quote(text: str) -> str:
    return "".join(c if c.isalnum() or c == "_" else "\\" + c for c in text)


@given(vendor=_LITERAL, product=_LITERAL, version=st.one_of(st.just(ANY), st.just(NA), _LITERAL),
       target_sw=st.one_of(st.just(ANY), _LITERAL))
def test_binding_round_trips(vendor: str, product: str, version: object, target_sw: object) -> None:
    name = CpeName("a", _quote(vendor), _quote(product),
                   _quote(version) if isinstance(version, str) else version,  # type: ignore[arg-type]
                   target_sw=_quote(target_sw) if isinstance(target_sw, str) else target_sw)  # type: ignore[arg-type]
    assert parse_fs(name.fs()) == name
    assert parse_uri(name.uri()) == name
    assert name.vendor_text == vendor
