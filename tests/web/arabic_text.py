"""What an Arabic page shows, read as a reader sees it: the visible text nodes (and the chart
labels), each marked with how it is isolated from the right-to-left text around it.

The rules a page in Arabic must keep (`problems`):

* no label of the catalogue shown in English (a msgid that has a translation);
* no raw enumeration value (`smuggling_attempt`, `in_custody`);
* outside an isolated element, no Latin word at all (a few abbreviations aside): names and codes
  in Latin are data, written inside `<bdi>` or an element with `dir` (or the `ltr` class) so the
  Arabic punctuation around them stays put;
* inside an isolated name or code, no English sentence (words of the UI: "check", "the", ...);
  text marked with `lang="en"` is English on purpose (a statement written in English only);
* no Latin comma joining Arabic, no date written day-month-year with dashes nor ISO dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from borderpost.web import catalogue

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SKIPPED = {"script", "style", "textarea", "template", "noscript", "title"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "data-label", "alt")
# Abbreviations an Arabic page keeps in Latin letters as they are (in the catalogue too).
ABBREVIATIONS = {"HS", "MRZ", "CSV", "XLSX", "ISO", "IATA", "SLTD", "Ctrl", "Enter", "UTF"}
# Words of the interface: inside an isolated element they mean English text passed off as data.
UI_WORDS = set(
    """the a an of and or to is are was not does did no yes check digit match matches field
    value invalid missing required error expected got line position character date name number
    document kind state status open closed restricted entry exit cargo passenger reason
    refused admitted referred released detained queued inspecting held lane green blue yellow
    red security maintenance weather health administrative diplomatic smuggling attempt patrol
    incident custody hospital handed over surrendering military refugees evacuees other
    because since until with without from by for in on at this that which who what when""".split()
)
ISOLATES = re.compile(r"[\u2066\u2067\u2068](.*?)\u2069")
URL = re.compile(r"https?://\S+")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LATIN_WORD = re.compile(r"[A-Za-z]+")
WHOLE_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])")
ARABIC = re.compile(r"[\u0600-\u06ff]")
REVERSED_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Shown:
    text: str
    isolated: bool  # inside <bdi>, an element with `dir`, or the `ltr` class
    foreign: bool  # inside an element whose `lang` is not Arabic
    where: str  # the element path, to find it
    code: bool = False  # inside <code>: identifiers a user types (a CSV file's columns)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool, bool]] = []  # tag, isolated, foreign, skipped
        self.shown: list[Shown] = []

    def _state(self) -> tuple[bool, bool, bool]:
        if not self.stack:
            return False, False, False
        _, isolated, foreign, skipped = self.stack[-1]
        return isolated, foreign, skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        isolated, foreign, skipped = self._state()
        isolated = (
            isolated
            or tag == "bdi"
            or ("dir" in a and tag != "html")
            or "ltr" in a.get("class", "").split()
        )
        if "lang" in a and tag != "html":
            foreign = not a["lang"].startswith("ar")
        skipped = skipped or tag in SKIPPED or "hidden" in a
        where = "/".join(t for t, *_ in self.stack[-3:]) + f"/{tag}"
        if not skipped:
            for name in SHOWN_ATTRIBUTES:
                if a.get(name):
                    self.shown.append(Shown(a[name], isolated, foreign, f"{where}@{name}"))
            if a.get("data-chart"):
                self._chart(json.loads(a["data-chart"]), where)
        if tag not in VOID:
            self.stack.append((tag, isolated, foreign, skipped))

    def startendtag_is_void(self, tag: str) -> bool:
        return tag in VOID

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        isolated, foreign, skipped = self._state()
        if skipped:
            return
        where = "/".join(t for t, *_ in self.stack[-4:])
        code = any(t == "code" for t, *_ in self.stack)
        # Unicode isolates (FSI/LRI/RLI ... PDI) are <bdi> in plain text: a run of its own.
        for n, part in enumerate(ISOLATES.split(data)):
            text = " ".join(part.split())
            if text:
                self.shown.append(Shown(text, isolated or n % 2 == 1, foreign, where, code))

    def _chart(self, spec: dict, where: str) -> None:
        """A chart's words are drawn on a canvas: no element can isolate them."""
        texts = [spec.get("title", ""), *spec.get("labels", [])]
        texts += [d.get("label", "") for d in spec.get("datasets", [])]
        for text in texts:
            self.shown.append(Shown(str(text), False, False, f"{where}[chart]"))


def visible(html: str) -> list[Shown]:
    reader = _Reader()
    reader.feed(html)
    return reader.shown


@cache
def translated_msgids() -> frozenset[str]:
    """The labels that have an Arabic translation different from themselves."""
    ids = set()
    for message in catalogue.load("ar"):
        text = message.id if isinstance(message.id, str) else ""
        if message.string != text and LATIN_WORD.search(text) and len(text) > 1:
            ids.add(" ".join(text.split()))
    return frozenset(ids)


def problems(html: str) -> list[str]:
    found = []
    if not re.search(r'<html lang="ar" dir="rtl"', html):
        found.append("the page is not marked Arabic, right to left")
    msgids = translated_msgids()
    for s in visible(html):
        bad = _problem(s, msgids)
        if bad:
            found.append(f"{bad}: {s.text!r} at {s.where}")
    return found


def _problem(s: Shown, msgids: frozenset[str]) -> str | None:
    if s.text in msgids and not s.foreign:
        return "untranslated label"
    if SNAKE.search(URL.sub("", s.text)) and not s.code:
        return "raw enumeration value"
    if REVERSED_DATE.search(s.text) or ISO_DATE.search(s.text):
        return "date not formatted for the language"
    if not s.isolated and not s.foreign:
        words = [w for w in LATIN_WORD.findall(s.text) if w not in ABBREVIATIONS]
        if s.where.endswith("[chart]"):  # a chart cannot isolate: codes only (SYR, 25)
            words = [w for w in words if not (w.isupper() and len(w) <= 3)]
        if words:
            return f"Latin text not isolated ({' '.join(words[:4])})"
        if "," in s.text and ARABIC.search(s.text):
            return "Latin comma in Arabic text"
    if s.isolated and not s.foreign and not s.code:
        words = WHOLE_WORD.findall(URL.sub("", s.text))  # not the letters of an id ("6a1b")
        english = [w for w in words if w.lower() in UI_WORDS and w.islower()]
        if len(english) >= 2:
            return f"English words in an isolated name ({' '.join(english[:4])})"
    return None
