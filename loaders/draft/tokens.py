"""Words of a text folded exactly as ``find`` folds names (:func:`regulink.graph.search.normalize`),
each with its place in the original text.

Scripts written without spaces (Chinese, Japanese, Korean, Thai) are cut into single
characters, in names and in text alike, so that a name such as 新加坡金融管理局 is found inside
a longer run of text, and 금융결제원 inside 금융결제원은.

Examples
--------
>>> [t.norm for t in tokenize("Banque de-France’s  ÉTUDE")]
['banque', 'de', 'france', 's', 'etude']
>>> key("Monetary Authority of Singapore")
'monetary authority of singapore'
>>> key("新加坡金融管理局")
'新 加 坡 金 融 管 理 局'
>>> [(t.norm, t.start, t.end) for t in tokenize("MAS與金管局")]
[('mas', 0, 3), ('與', 3, 4), ('金', 4, 5), ('管', 5, 6), ('局', 6, 7)]

American and British spellings fold together, as accents do ("tokenized" and "tokenised",
"organization" and "organisation", "analyze" and "analyse"):

>>> key("Tokenized organizations analyze") == key("tokenised organisations analyse")
True
>>> key("size prize seize")  # too short to be a verb in -ize
'size prize seize'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regulink.graph.search import normalize

__all__ = ["Token", "fold_spelling", "key", "spelling_regex", "tokenize", "unspaced"]

# Runs of letters and digits (no underscore: normalize turns it into a space), with the
# combining accents of decomposed text kept inside the word.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


# -ize/-ise, -ization/-isation, -yze/-yse and their inflections, after a stem of three letters
# or more so that "size", "prize" and "seize" stay as they are.
_SPELLING = re.compile(r"(?<=[a-z]{3}[iy])[sz](?=(?:e|es|ed|ing|er|ers|ation|ations)$)")


def fold_spelling(word: str) -> str:
    """A folded word with its American -ize/-yze spelling written the British way."""
    return _SPELLING.sub("s", word) if "z" in word else word


def spelling_regex(word: str) -> str:
    """A regular expression matching a lowercase word in either spelling.

    >>> import re
    >>> bool(re.fullmatch(spelling_regex("co-organisers"), "co-organizers"))
    True
    """
    parts = [(m.start(), m.end()) for m in _SPELLING.finditer(word)]
    if not parts:
        return re.escape(word)
    s, e = parts[0]
    return re.escape(word[:s]) + "[sz]" + re.escape(word[e:])


def unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces between words."""
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF
        or 0x3400 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xF900 <= o <= 0xFAFF
        or 0x0E00 <= o <= 0x0E7F
        or 0x20000 <= o <= 0x2FFFF
    )


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int  # offsets in the original text
    end: int


def _pieces(word: str):
    """Cut a folded word into runs of spaced script and single unspaced characters, each
    with its offset in the word."""
    run_from = None
    for i, ch in enumerate(word):
        if unspaced(ch):
            if run_from is not None:
                yield word[run_from:i], run_from
                run_from = None
            yield ch, i
        elif run_from is None:
            run_from = i
    if run_from is not None:
        yield word[run_from:], run_from


def tokenize(text: str) -> list[Token]:
    """The folded words of ``text`` with their original offsets."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group()
        s, e = m.span()
        if word.isascii():  # letters and digits only: folding is lowercasing
            out.append(Token(fold_spelling(word.lower()), s, e))
            continue
        folded = normalize(word)
        # Offsets inside a word are exact only when folding kept its length ("ß" -> "ss"
        # does not): otherwise every piece points at the whole word.
        exact = len(folded) == len(word)
        at = 0
        for part in folded.split(" ") if folded else ():
            at = folded.index(part, at)
            for piece, off in _pieces(part):
                folded_piece = fold_spelling(piece)
                if exact:
                    out.append(Token(folded_piece, s + at + off, s + at + off + len(piece)))
                else:
                    out.append(Token(folded_piece, s, e))
            at += len(part)
    return out


def key(name: str) -> str:
    """A name's lookup key: its folded words joined by single spaces."""
    return " ".join(t.norm for t in tokenize(name))
