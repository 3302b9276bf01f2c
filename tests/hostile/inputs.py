"""Hostile requests, derived from a topic's own cases.

Every request in ``cases.yaml`` (its method, path, query, headers and JSON body) is a
template: the Hypothesis strategies below mutate one part of it at a time with what an
attacker or a broken client sends. Nothing here knows a route by name, so a new topic is
attacked as soon as it has cases.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import jwt
from hypothesis import strategies as st

from verified_guide.cases import request_parts
from verified_guide.topics import Topic

#: Deep enough to exhaust CPython's recursion limit in any recursive JSON decoder.
DEEP = 100_000
#: One digit more than CPython's int() converts from text (4,300 by default): int() of it
#: raises ValueError even after an isdecimal() check.
TOO_MANY_DIGITS = "9" * (sys.get_int_max_str_digits() + 1)
#: Larger than every server's default body and header limits, small enough to send quickly.
BIG_BODY = 10 * 1024 * 1024
BIG_HEADER = 64 * 1024

#: JSON values that break code which trusts a field's type or range.
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    2**63,
    -(2**63) - 1,
    10**400,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    "",
    "²",
    "١٢٣",
    "\ud800",
    "a\x00b",
    "x" * 100_000,
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "' OR 1=1 --",
    [],
    {},
    [[["nested"]]],
    {"$gt": ""},
]

#: The values known to have crashed snippets, tried on every JSON field of every template.
#: 10**400 is an integer past a float's range: float() of it raises OverflowError.
SHARP_VALUES: list[Any] = [
    float("nan"), float("inf"), 2**63, 10**400, "\ud800", "²", None, [], {}
]  # fmt: skip

#: Raw bodies that are not (valid) JSON or that no recursive parser survives.
RAW_BODIES: list[bytes] = [
    b"",
    b"{",
    b'{"a": ',
    b"\xff\xfe\x00",
    b'{"a": "\xed\xa0\x80"}',
    b'{"a": "\\ud800"}',
    b'{"a": NaN, "b": Infinity}',
    b'{"a": 1e400}',
    b'{"a": 1' + b"0" * 5000 + b"}",
    b"[" * DEEP + b"]" * DEEP,
    b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    b'{"a": 1, "a": 2}',
    b"\x00" * 64,
    b"null",
    b"[]",
    b'"a string"',
    b"42",
    b"true",
]

#: Path segments and query values: non-ASCII digits, overflowing ids, traversal, encodings.
HOSTILE_SEGMENTS: list[str] = [
    "²",
    "١٢",
    "0",
    "-1",
    str(2**63),
    str(2**64),
    "9" * 40,
    TOO_MANY_DIGITS,
    "1e400",
    "NaN",
    "Infinity",
    "%00",
    "%ff",
    "%ED%A0%80",
    "..",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%5c..%5cwindows",
    "a" * 3000,
    "%0d%0aSet-Cookie:%20x=1",
    "%3Cscript%3E",
    "true",
    "",
]

CONTENT_TYPES: list[str] = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=zzz",
    "application/json; charset=utf-32",
    "application/xml",
    "application/json\x00",
    "*/*",
]

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO"]

#: File names of a multipart part: traversal, absolute and Windows paths, control characters,
#: over-long, empty, encoded and non-UTF-8 names.
HOSTILE_FILENAMES: list[bytes] = [
    b"../../../../etc/passwd",
    b"..",
    b".",
    b"/etc/passwd.txt",
    b"C:\\Windows\\win.ini.txt",
    b"..\\..\\boot.txt",
    b"a\x00b.txt",
    b"a\r\nContent-Type: text/html.txt",
    b"",
    b"x" * 5000 + b".txt",
    b"%2e%2e%2fpasswd.txt",
    b"\xff\xfe.txt",
    b"\xc3\xa9t\xc3\xa9.txt",
    b"notes.txt.exe",
    b"notes.TXT",
    b"CON.txt",
    b"<script>.txt",
]

#: The body that follows a part's headers, for the part attacks (bytes, not only UTF-8 text).
PART_BODIES: list[bytes] = [b"", b"\x00" * 16, b"\xff\xfe\xfd", b"\xc3", b"x" * 70_000]


@dataclass(frozen=True)
class HostileRequest:
    """One request as sent on the wire: header values are bytes, names may repeat."""

    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, bytes], ...] = ()
    label: str = ""  # what was mutated, for the failure message

    def describe(self) -> str:
        body = self.body[:80] + (b"..." if len(self.body) > 80 else b"")
        names = ", ".join(f"{n}: {v[:40]!r}" for n, v in self.headers)
        return f"{self.method} {self.path[:120]} [{self.label}] headers {{{names}}} body {body!r}"


@dataclass
class Template:
    """A case's request, split into the parts the mutations work on."""

    method: str
    segments: list[str]
    query: list[tuple[str, str]]
    headers: list[tuple[str, bytes]]
    body: bytes
    json_body: Any = None
    #: A multipart case's ``files`` (field name to file spec), for the multipart attacks.
    files: dict[str, Any] | None = None
    cookies_from_before: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> Template:
        body, headers = request_parts(request)
        split = urlsplit(request["path"])
        return cls(
            method=request["method"],
            segments=split.path.split("/")[1:],
            query=parse_qsl(split.query, keep_blank_values=True),
            headers=[(name, value.encode()) for name, value in headers.items()],
            body=body,
            json_body=request.get("json"),
            files=request.get("files"),
        )

    def build(
        self,
        label: str,
        *,
        method: str | None = None,
        segments: list[str] | None = None,
        query: list[tuple[str, str]] | None = None,
        headers: list[tuple[str, bytes]] | None = None,
        body: bytes | None = None,
    ) -> HostileRequest:
        path = "/" + "/".join(self.segments if segments is None else segments)
        pairs = self.query if query is None else query
        if pairs:
            path += "?" + urlencode(pairs, safe="%")
        return HostileRequest(
            method or self.method,
            path,
            self.body if body is None else body,
            tuple(self.headers if headers is None else headers),
            label,
        )


def templates(topic: Topic, framework: str) -> list[Template]:
    """Every distinct request the topic's cases send for this framework.

    A case whose documented answer is a 5xx (the errors topic's deliberate crash) is no
    template: a 500 there is the point of the example, not a fault.
    """
    seen: set[str] = set()
    found = []
    for case in topic.cases:
        if framework not in case.frameworks or case.expected(framework)["status"] >= 500:
            continue
        for request in (*case.before, case.request):
            key = json.dumps(request, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                found.append(Template.from_request(request))
    return found


def dump_json(value: Any) -> bytes:
    """JSON as a careless client writes it: NaN and Infinity allowed, surrogates escaped."""
    return json.dumps(value, allow_nan=True).encode()


def _with_header(template: Template, name: str, value: bytes) -> list[tuple[str, bytes]]:
    kept = [(n, v) for n, v in template.headers if n.lower() != name.lower()]
    return [*kept, (name, value)]


def multipart(
    parts: list[tuple[bytes, bytes]], boundary: bytes = b"hostile"
) -> tuple[bytes, bytes]:
    """A multipart body from (part headers, part body) pairs, and its Content-Type value."""
    body = b"".join(
        b"--" + boundary + b"\r\n" + head + b"\r\n\r\n" + data + b"\r\n" for head, data in parts
    )
    return body + b"--" + boundary + b"--\r\n", b"multipart/form-data; boundary=" + boundary


def file_part(
    field: bytes, filename: bytes, content_type: bytes = b"text/plain", data: bytes = b"x"
) -> tuple[bytes, bytes]:
    head = b'Content-Disposition: form-data; name="' + field + b'"; filename="' + filename + b'"'
    return head + b"\r\nContent-Type: " + content_type, data


def multipart_attacks(template: Template) -> list[HostileRequest]:
    """Broken and odd multipart bodies for a route that takes files: names, framing, counts."""
    field = next(iter(template.files or {"file": None})).encode()
    found = []

    def send(label: str, parts: list[tuple[bytes, bytes]], **framing: bytes) -> None:
        body, content_type = multipart(parts, **framing)
        headers = _with_header(template, "Content-Type", content_type)
        found.append(template.build(f"multipart {label}", headers=headers, body=body))

    for name in HOSTILE_FILENAMES:
        send(f"filename {name[:30]!r}", [file_part(field, name)])
    for data in PART_BODIES:
        send(f"part body {data[:10]!r}", [file_part(field, b"notes.txt", data=data)])
    for kind in (b"", b"text/plain; charset=\xff", b"text/plain\x00", b"TEXT/PLAIN", b"*/*"):
        send(f"part type {kind!r}", [file_part(field, b"notes.txt", content_type=kind)])
    send("two files in one field", [file_part(field, b"a.txt"), file_part(field, b"b.txt")])
    send("1000 parts", [file_part(b"f%d" % i, b"a.txt") for i in range(1000)])
    send(
        "field without filename", [(b'Content-Disposition: form-data; name="' + field + b'"', b"x")]
    )
    send("part without headers", [(b"", b"x")])
    send("part header of 64 KB", [file_part(field, b"notes.txt", content_type=b"p" * 65536)])
    body, content_type = multipart([file_part(field, b"notes.txt")])
    for label, broken in [
        ("without closing boundary", body.rsplit(b"--hostile--", 1)[0]),
        ("cut inside the part", body[: len(body) // 2]),
        ("with LF line ends", body.replace(b"\r\n", b"\n")),
        ("only the boundary", b"--hostile\r\n"),
    ]:
        headers = _with_header(template, "Content-Type", content_type)
        found.append(template.build(f"multipart {label}", headers=headers, body=broken))
    for value in (
        b"multipart/form-data; boundary=",
        b'multipart/form-data; boundary="a',
        b"multipart/form-data; boundary=" + b"b" * 300,
    ):
        headers = _with_header(template, "Content-Type", value)
        found.append(template.build(f"content type {value[:40]!r}", headers=headers))
    return found


def _json_paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON document a hostile value can go (keys and list indexes)."""
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(_json_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_json_paths(item, (*prefix, index)))
    return paths


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(copy[path[0]], path[1:], new)
    return copy


def forged_tokens(keys: list[str]) -> list[bytes]:
    """Authorization header values: forged, expired, unsigned and malformed tokens.

    ``keys`` are the signing keys the app under test really uses (read from its module), so
    the well-signed tokens with a missing or odd ``sub`` reach the code that trusts the claims.
    """
    now = int(time.time())
    tokens = [
        jwt.encode({"sub": "ada"}, "not-the-key", algorithm="HS256"),
        jwt.encode({"sub": "ada"}, None, algorithm="none"),
        "a.b.c",
        "x" * 5000,
    ]
    for key in keys:
        for claims in (
            {},
            {"sub": "ada", "exp": now - 3600},
            {"sub": 2**63},
            {"sub": ["ada"]},
            {"sub": {"$ne": None}},
            {"sub": "²"},
            {"sub": "ada", "exp": "tomorrow"},
            {"sub": "nobody-" + "x" * 200, "exp": now + 3600},
        ):
            tokens.append(jwt.encode(claims, key, algorithm="HS256"))
    values = [b"Bearer " + token.encode() for token in tokens]
    return [
        *values,
        b"Bearer",
        b"Bearer ",
        b"Bearer \xc3\xa9\xc2\xb2",
        b"Bearer \xff\xfe",
        b"Basic Og==",
        b"Basic \xc3\xa9",
        b"Token demo-token",
        b"bearer demo-token\x00",
    ]


#: Conditional-request dates whose year or offset is too large for a C int: Werkzeug's
#: parser raises OverflowError for them (a smaller odd year it ignores, as it should).
ODD_DATES = [
    ("If-Modified-Since", b"Sun, 06 Nov 99999999999 08:49:37 GMT"),
    ("If-Unmodified-Since", b"Sun, 06 Nov 1994 08:49:37 +9999999999999"),
]

FORGED_COOKIES: list[bytes] = [
    b"session=garbage",
    b"session=eyJfdXNlcl9pZCI6IjEifQ.ZZZZZZ.forged",
    b"sessionid=" + b"x" * 4000,
    b"sessionid=\xc3\xa9",
    b"csrftoken=a; csrftoken=b",
    b"remember_token=1|forged",
    b"=; ; ==",
    # A quoted value may spell a NUL as \000, which Python's cookie parser decodes.
    b'sessionid="abcdefghijklmnopqrstuvwxyz\\00012345"',
    b'csrftoken="abc\\000"',
    b'session="\\000"; remember_token="1\\000"',
]


@st.composite
def hostile_requests(
    draw: st.DrawFn,
    topic_templates: list[Template],
    extra_tokens: list[bytes] = (),
    extra_cookies: list[bytes] = (),
) -> HostileRequest:
    """One mutated request: a template from the topic, one part of it made hostile."""
    template = draw(st.sampled_from(topic_templates))
    kinds = ["segment", "query", "method", "content_type", "raw_body", "header", "cookie", "auth"]
    if template.json_body is not None:
        kinds += ["json_value", "json_value", "json_top"]
    if template.files:
        kinds += ["filename", "filename"]
    kind = draw(st.sampled_from(kinds))
    if kind == "filename":
        field = next(iter(template.files or {})).encode()
        name = draw(st.sampled_from(HOSTILE_FILENAMES) | st.binary(max_size=40))
        kind_of = draw(st.sampled_from([b"text/plain", b"text/csv", b"image/png", b""]))
        data = draw(st.binary(max_size=64))
        body, content_type = multipart([file_part(field, name, kind_of, data)])
        headers = _with_header(template, "Content-Type", content_type)
        return template.build(f"multipart file {name[:30]!r}", headers=headers, body=body)
    if kind == "json_value":
        where = draw(st.sampled_from(_json_paths(template.json_body)))
        value = draw(st.sampled_from(HOSTILE_VALUES) | st.from_type(str) | st.integers())
        body = dump_json(_replace(template.json_body, where, value))
        return template.build(f"json {list(where)} = {value!r:.40}", body=body)
    if kind == "json_top":
        top = draw(st.sampled_from(["[]", "list", "string", "number", "null"]))
        value = {
            "[]": [],
            "list": [template.json_body],
            "string": json.dumps(template.json_body),
            "number": 1,
            "null": None,
        }[top]
        return template.build(f"top-level JSON {top}", body=dump_json(value))
    if kind == "segment" and len(template.segments) > 0:
        index = draw(st.integers(0, len(template.segments) - 1))
        value = draw(
            st.sampled_from(HOSTILE_SEGMENTS)
            | st.text(max_size=20).map(lambda text: quote(text, safe=""))
        )
        segments = list(template.segments)
        segments[index] = value
        return template.build(f"path segment {index} = {value:.40}", segments=segments)
    if kind == "query":
        names = [name for name, _ in template.query] or ["q", "page", "limit", "id"]
        name = draw(st.sampled_from(names))
        value = draw(st.sampled_from(HOSTILE_SEGMENTS) | st.text(max_size=20))
        repeat = draw(st.booleans())
        query = [(n, v) for n, v in template.query if n != name] + [(name, value)]
        if repeat:
            query.append((name, "1"))
        return template.build(f"query {name}={value!r:.40}", query=query)
    if kind == "method":
        method = draw(st.sampled_from(METHODS))
        return template.build(f"method {method}", method=method)
    if kind == "content_type":
        content_type = draw(st.sampled_from(CONTENT_TYPES))
        headers = _with_header(template, "Content-Type", content_type.encode())
        return template.build(f"content type {content_type!r}", headers=headers)
    if kind == "raw_body":
        body = draw(st.sampled_from(RAW_BODIES) | st.binary(max_size=64))
        headers = _with_header(template, "Content-Type", b"application/json")
        return template.build(f"raw body {body[:30]!r}", headers=headers, body=body)
    if kind == "cookie":
        cookie = draw(st.sampled_from(FORGED_COOKIES + list(extra_cookies)))
        headers = _with_header(template, "Cookie", cookie)
        return template.build(f"cookie {cookie[:40]!r}", headers=headers)
    if kind == "auth":
        token = draw(st.sampled_from(forged_tokens([]) + list(extra_tokens)))
        headers = _with_header(template, "Authorization", token)
        names = [n for n, _ in template.headers if n.lower().startswith("x-")]
        for name in names:  # custom token headers (X-Token) get the same treatment
            headers = [(n, token.removeprefix(b"Bearer ") if n == name else v) for n, v in headers]
        return template.build(f"authorization {token[:40]!r}", headers=headers)
    # "header" (and "segment" on a template without segments): odd, repeated or huge headers.
    choice = draw(st.sampled_from(["duplicate", "non-ascii", "x-forwarded", "host", "accept"]))
    headers = list(template.headers)
    if choice == "duplicate":
        headers += [("Content-Type", b"application/json"), ("Content-Type", b"text/plain")]
    elif choice == "non-ascii":
        headers.append(("X-Token", b"\xc3\xa9\xc2\xb2"))
    elif choice == "x-forwarded":
        headers += [("X-Forwarded-For", b"1.2.3.4, \xff"), ("X-Forwarded-Proto", b"gopher")]
    elif choice == "host":
        headers.append(("X-Original-URL", b"/../../etc/passwd"))
    else:
        headers.append(("Accept", b"application/json;q=NaN, */*;q=1e400"))
    return template.build(f"header {choice}", headers=headers)


def _numbers_made(template: Template, number: str, label: str) -> HostileRequest:
    """The template with every number it sends as text (numeric path segments and header
    values, every query value) replaced by ``number``."""
    segments = [number if part.isdecimal() else part for part in template.segments]
    query = [(name, number) for name, _ in template.query]
    headers = [
        (name, number.encode() if value.isdigit() else value) for name, value in template.headers
    ]
    return template.build(label, segments=segments, query=query, headers=headers)


#: Charsets Python has a codec for that is no text encoding: decoding with one raises
#: (LookupError for hex, UnicodeError for idna; rot13 and the rest are unit-tested).
NOT_TEXT_CHARSETS = [b"hex", b"idna"]


#: Charsets that decode some bytes to text nothing can encode, with such bytes: UTF-7's
#: "+2AA-", unicode-escape's six characters "\ud800" and Punycode's "ib9b" each decode to
#: U+D800, half of a UTF-16 pair, which no UTF-8 encoder takes (a page, a password hash, a
#: database driver). "undefined" decodes nothing: it raises a UnicodeError Starlette lets out.
BAD_TEXT_CHARSETS = [
    (b"utf-7", "+2AA-"),
    (b"unicode-escape", "\\ud800"),
    (b"punycode", "ib9b"),
    (b"undefined", "x"),
]


def _text_as(value: Any, text: str) -> Any:
    """The JSON document with every string in it (keys kept) replaced by ``text``."""
    if isinstance(value, str):
        return text
    if isinstance(value, dict):
        return {key: _text_as(item, text) for key, item in value.items()}
    if isinstance(value, list):
        return [_text_as(item, text) for item in value]
    return value


def _written_in(name: str, charset: bytes) -> str:
    """A field or parameter name as a client writes it in that charset, so that it decodes
    back to the name the app reads (Punycode's "username" is "username-")."""
    try:
        return name.encode(charset.decode()).decode("ascii")
    except (LookupError, UnicodeError):  # "undefined" encodes nothing
        return name


#: A NUL in an encoded parameter: Django's header parser raises ValueError on it.
UNPARSABLE_CONTENT_TYPE = b"text/plain; charset*=utf-8''a%00b"


def _charset_attacks(template: Template) -> list[HostileRequest]:
    """The template with each charset that is no text encoding added to its Content-Type
    (text/plain if it has none), its body and boundary kept; then with each bad-text charset
    and its bytes in every text it sends: each query value, each string of a JSON body (a
    parser that honours the charset, such as DRF's, decodes it), and each field of a form,
    sent as multipart (which Starlette decodes with the charset, where it decodes a urlencoded
    form as UTF-8). Django decodes the query and the form with the charset, so only a template
    with a query or a body gets them (an empty one decodes without error)."""
    if not (template.query or template.body):
        return []
    media = dict((name.lower(), value) for name, value in template.headers).get(
        "content-type", b"text/plain"
    )

    def with_charset(content_type: bytes, charset: bytes) -> list[tuple[str, bytes]]:
        return _with_header(template, "Content-Type", content_type + b"; charset=" + charset)

    found = [
        template.build(f"charset={charset.decode()}", headers=with_charset(media, charset))
        for charset in NOT_TEXT_CHARSETS
    ]
    for charset, text in BAD_TEXT_CHARSETS:
        query = [(_written_in(name, charset), text) for name, _ in template.query]
        body, content_type = template.body, media
        if template.json_body is not None:
            body = dump_json(_text_as(template.json_body, text))
        elif media.startswith(b"application/x-www-form-urlencoded"):
            fields = parse_qsl(template.body.decode(), keep_blank_values=True)
            body, content_type = multipart(
                [(b'Content-Disposition: form-data; name="%s"'
                  % _written_in(n, charset).encode(), text.encode()) for n, _ in fields]
            )  # fmt: skip
        label = f"charset={charset.decode()}, text {text!r}"
        headers = with_charset(content_type, charset)
        found.append(template.build(label, query=query, headers=headers, body=body))
    return found


def fixed_requests(
    topic_templates: list[Template],
    tokens: list[bytes],
    cookies: list[bytes],
    json_values: bool = True,
) -> list[HostileRequest]:
    """The expensive or exact attacks every template gets once, outside Hypothesis:
    deep and huge bodies, numbers too long for int() or a database column, wrong top-level
    types, and every forged credential and odd cookie. ``json_values=False`` leaves out the
    JSON bodies with a ``SHARP_VALUES`` value in a field or a wrong top-level type: what the
    app makes of a body it has read (the in-process suite sends them to every snippet), not
    what a server parses."""
    found = []
    big_body_sent = False
    if topic_templates:  # once per topic: Django fails on it for any route, before its middleware
        first = topic_templates[0]
        unparsable = _with_header(first, "Content-Type", UNPARSABLE_CONTENT_TYPE)
        found.append(first.build("Content-Type Django cannot parse", headers=unparsable))
    for template in topic_templates:
        json_type = _with_header(template, "Content-Type", b"application/json")
        found.append(
            template.build(
                "64 KB header", headers=[*template.headers, ("X-Padding", b"p" * BIG_HEADER)]
            )
        )
        found += [
            template.build("dates past a C int", headers=[*template.headers, *ODD_DATES]),
            *_charset_attacks(template),
            _numbers_made(template, TOO_MANY_DIGITS, "4,301-digit numbers"),
            _numbers_made(template, str(2**64), "numbers past 64 bits"),  # a column's INTEGER
        ]
        if template.method != "GET":  # the body attacks are for routes that read one
            found += [
                template.build("nested array", body=b"[" * DEEP + b"]" * DEEP, headers=json_type),
                template.build(
                    "nested JSON object",
                    body=b'{"a":' * DEEP + b"1" + b"}" * DEEP,
                    headers=json_type,
                ),
            ]
            if not big_body_sent:  # once per topic: the size limit is app-wide, and 10 MB is slow
                big_body_sent = True
                body = b'{"a": "' + b"x" * BIG_BODY + b'"}'
                found.append(template.build("10 MB body", body=body, headers=json_type))
        if template.json_body is not None and json_values:
            for where in _json_paths(template.json_body)[1:]:
                for value in SHARP_VALUES:
                    body = dump_json(_replace(template.json_body, where, value))
                    found.append(template.build(f"json {list(where)} = {value!r:.40}", body=body))
            for top in ([], "text", 1, [template.json_body]):
                found.append(template.build(f"top-level JSON {top!r:.30}", body=dump_json(top)))
        if template.files:
            found += multipart_attacks(template)
        if template.body:
            continue  # credentials are checked before a body is read: bodiless routes suffice
        for token in tokens:
            headers = _with_header(template, "Authorization", token)
            found.append(template.build(f"authorization {token[:40]!r}", headers=headers))
        for cookie in cookies:
            headers = _with_header(template, "Cookie", cookie)
            found.append(template.build(f"cookie {cookie[:60]!r}", headers=headers))
    return found
