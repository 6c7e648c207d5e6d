"""An article file to plain text: the encoding found, HTML stripped of its boilerplate.

Bytes that are not text (a NUL byte, a known binary signature, mostly control characters)
are refused with a plain message; so are files over :data:`MAX_BYTES`, which no news story
reaches. HTML goes through trafilatura, which keeps the story and drops scripts, styles,
navigation and footers. Lines and columns in a draft count in the text this returns.

Examples
--------
>>> read_bytes("Straße\\n".encode("utf-16")).text
'Straße\\n'
>>> read_bytes(b"<html><body><script>alert(1)</script><article><p>MAS partners FINMA "
...            b"on pilots for tokenised assets in Singapore and Switzerland.</p></article>"
...            b"</body></html>").text.strip()
'MAS partners FINMA on pilots for tokenised assets in Singapore and Switzerland.'
>>> read_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
Traceback (most recent call last):
...
regulink.errors.ArticleError: this is not text (it looks like a PNG image)
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from regulink.errors import ArticleError

__all__ = ["MAX_BYTES", "Article", "read_article", "read_bytes"]

#: Larger files are refused: 10 MB is hundreds of times a long news story.
MAX_BYTES = 10 * 1024 * 1024

_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"MZ": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_COMMON = [
    "utf_8",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_kr",
    "euc_jp",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
]
_HTML = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<article|<div|<p[\s>])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    encoding: str
    html: bool
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


def _decode(data: bytes) -> tuple[str, str]:
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc), enc.removesuffix("-sig")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        raise ArticleError("this is not text in any encoding recognised")
    # On a short text several code pages decode about equally well; the ones news is
    # actually written in win such near-ties (German in cp1252, not in cp775).
    least = min(r.chaos for r in results)
    near = [r for r in results if r.chaos <= least + 0.05]
    best = min(
        near,
        key=lambda r: (
            _COMMON.index(r.encoding) if r.encoding in _COMMON else len(_COMMON),
            r.chaos,
        ),
    )
    return str(best), best.encoding


def _refuse_binary(data: bytes) -> None:
    for sig, what in _SIGNATURES.items():
        if data.startswith(sig):
            raise ArticleError(f"this is not text (it looks like {what})")
    head = data[:65536]
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if (
        b"\x00" in head
        and not utf16
        and not head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
    ):
        raise ArticleError("this is not text (it contains NUL bytes)")


def _refuse_control(text: str) -> None:
    sample = text[:65536]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    if sample and control > len(sample) * 0.05:
        raise ArticleError("this is not text (mostly control characters)")


def _from_html(html: str) -> tuple[str, dict]:
    import trafilatura

    text = (
        trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False
        )
        or ""
    )
    meta = {}
    doc = trafilatura.extract_metadata(html)
    if doc is not None:
        meta = {"title": doc.title, "publisher": doc.sitename, "date": doc.date, "url": doc.url}
    return text, meta


def read_bytes(data: bytes) -> Article:
    """An article from its raw bytes (see the module docs)."""
    if len(data) > MAX_BYTES:
        raise ArticleError(
            f"the file is {len(data) / 2**20:.0f} MB; an article must be at "
            f"most {MAX_BYTES // (1024 * 1024)} MB"
        )
    if not data.strip():
        raise ArticleError("the file is empty")
    _refuse_binary(data)
    text, encoding = _decode(data)
    _refuse_control(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    html = bool(_HTML.match(text.encode("utf-8", "replace")[:4096]))
    meta: dict = {}
    if html:
        text, meta = _from_html(text)
        if not text.strip():
            raise ArticleError("the HTML page has no article text that could be read")
    if not text.strip():
        raise ArticleError("the file has no text")
    return Article(text, encoding, html, **{k: v for k, v in meta.items() if v})


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read an article file (see :func:`read_bytes`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ArticleError(
                f"{path}: the file is {size / 2**20:.0f} MB; an article must be "
                f"at most {MAX_BYTES // (1024 * 1024)} MB"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a folder, not an article file") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return read_bytes(data)
    except ArticleError as exc:
        raise ArticleError(f"{path}: {exc}") from None
