"""Characters that do not show, or show text in another order than it is stored.

One definition for every place that meets them: the loader refuses the direction controls
in dossier files, the record's rules refuse them and the control characters in what people
write, and the terminal shows each of them, and the direction marks, as a visible code
instead of obeying it. An escape sequence in a bidder's name or a hand-edited record could
otherwise recolour, retitle or clear the committee's terminal or hide a link in it, and a
direction control show a motivation in another order than it was written ("Trojan
Source", CVE-2021-42574).
"""

from __future__ import annotations

import re

_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""C0 controls but tab and line breaks (ESC among them), DEL, and C1 controls (CSI, OSC)."""
_DIRECTION_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
"""Embeddings, overrides and isolates: they reorder the text that follows them."""
_DIRECTION_MARKS = r"\u061c\u200e\u200f"
"""The Arabic letter mark and the left-to-right and right-to-left marks: invisible, they
move neutral characters (digits, punctuation) to the other side."""

DIRECTION_CONTROL = re.compile(f"[{_DIRECTION_CONTROLS}]")
HIDDEN = re.compile(f"[{_CONTROLS}{_DIRECTION_CONTROLS}]")
"""What text that people write or a dossier holds may not contain."""
UNSHOWN = re.compile(f"[{_CONTROLS}{_DIRECTION_CONTROLS}{_DIRECTION_MARKS}]")
"""What a terminal is never given as it is: :data:`HIDDEN` and the direction marks."""


def visible(text: str) -> str:
    """``text`` as a terminal may show it: line ends as ``\\n``, every other character of
    :data:`UNSHOWN` written as its code point, so that the reader sees it is there.

    >>> visible("Goed\\x1b[2J plan\\u202e.\\r\\n")
    'Goed<U+001B>[2J plan<U+202E>.\\n'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return UNSHOWN.sub(_code_point, text)


def _code_point(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"
