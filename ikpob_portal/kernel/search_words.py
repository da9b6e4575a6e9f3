"""Words for the site search: Dutch stems, the index's vocabulary, and reading a query.

A query is read into a `QueryPlan` that both engines (`search_engines.py`) execute: the words
and "phrases" that must occur, the -excluded ones, and for each word its *alternatives* from the
index's own vocabulary (`SearchWord`):

- parts of a compound: "burgerparticipatie" also looks for "participatie" and "burger",
  "toezichthouder" for "toezicht" (Dutch writes compounds as one word);
- longer words that end in it: "sturing" also looks for "netwerksturing";
- for a word the index does not know (nor its stem), the nearest word it does know:
  "vakmanshap" looks for "vakmanschap", and the page offers "Bedoelde u: vakmanschap?".

Items with the words as typed rank above items found only through an alternative.
"""

import difflib
import functools
import re
import threading
from dataclasses import dataclass, field

import snowballstemmer
from django.db import models
from django.db.models.functions import Length

from ikpob_portal.kernel.models import SearchWord

WORD = re.compile(r"\w+")
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
# Vocabulary words: letters only, not too short to split on, not too long for the column.
MIN_PART = 4  # shortest part of a compound ("zorg", "wijk"); shorter parts mislead
MIN_HEAD = 6  # shortest known head after an unknown modifier ("burger|participatie")
MAX_WORD = 60
# How close a known word must be to count as the intended spelling (difflib's ratio).
TYPO_RATIO = 0.8
MAX_SUFFIX_ALTERNATIVES = 12
# Dutch joins parts with a linking -s- or -e-/-en- ("vakmanschapsontwikkeling").
LINKS = ("", "s", "e", "en")


_per_thread = threading.local()


def _stemmer():
    """This thread's Dutch stemmer. snowballstemmer's (pure Python) stemmer keeps the word it
    is working on in the object itself, so two threads sharing one (gunicorn runs several per
    process) get each other's stems or an IndexError: one stemmer per thread."""
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        stemmer = _per_thread.stemmer = snowballstemmer.stemmer("dutch")
    return stemmer


@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def words(text: str) -> list[str]:
    """The words of a text, lower case, in order (digits and letters; no punctuation)."""
    return WORD.findall((text or "").lower())


def stemmed(text: str) -> str:
    """A text as its stems, for the SQLite full-text table (index and query alike)."""
    return " ".join(stem(word) for word in words(text))


def vocabulary_words(text: str) -> set[str]:
    """What of a text goes into the vocabulary: words of letters, 3 to 60 long."""
    return {word for word in words(text) if 3 <= len(word) <= MAX_WORD and word.isalpha()}


def add_to_vocabulary(text: str) -> None:
    new = vocabulary_words(text)
    if new:
        SearchWord.objects.bulk_create(
            [SearchWord(word=word, stem=stem(word)) for word in sorted(new)],
            ignore_conflicts=True,
            batch_size=500,
        )


# Reading a query --------------------------------------------------------------------------


@dataclass
class Term:
    """One word a visitor typed, with what else may stand for it."""

    word: str
    alternatives: list[str] = field(default_factory=list)
    correction: str = ""  # the known word it was probably meant to be


@dataclass
class QueryPlan:
    terms: list[Term] = field(default_factory=list)  # every one must match (or an alternative)
    phrases: list[list[str]] = field(default_factory=list)  # "exacte woordgroep"
    exclude: list[list[str]] = field(default_factory=list)  # -woord, -"woordgroep"

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)

    @property
    def widened(self) -> bool:
        return any(term.alternatives for term in self.terms)

    def suggestion(self) -> str:
        """The query with each probable typo corrected ("vakmanschap"), or ""."""
        if not any(term.correction for term in self.terms):
            return ""
        parts = [term.correction or term.word for term in self.terms]
        parts += [f'"{" ".join(phrase)}"' for phrase in self.phrases]
        parts += [
            f'-"{" ".join(phrase)}"' if len(phrase) > 1 else f"-{phrase[0]}"
            for phrase in self.exclude
        ]
        return " ".join(parts)

    def marked_words(self) -> set[str]:
        """Every word the results were looked up by (for highlighting)."""
        found = {term.word for term in self.terms}
        found |= {alt for term in self.terms for alt in term.alternatives}
        found |= {word for phrase in self.phrases for word in phrase}
        return found


def parse(q: str) -> QueryPlan:
    """Words, "phrases" and -exclusions, as typed (no vocabulary yet)."""
    plan = QueryPlan()
    for minus_phrase, phrase, minus_word, word in TERM.findall(q):
        parts = words(phrase or word)
        if not parts or parts == ["or"]:
            continue
        if minus_phrase or minus_word:
            plan.exclude.append(parts)
        elif phrase and len(parts) > 1:
            plan.phrases.append(parts)
        else:
            # "e-mail", "ICT-beleid": a hyphenated word must match as its parts
            if len(parts) > 1 and not phrase:
                plan.phrases.append(parts)
            else:
                plan.terms.extend(Term(part) for part in parts)
    return plan


def _substrings(word: str) -> set[str]:
    return {
        word[i:j]
        for i in range(len(word))
        for j in range(i + MIN_PART, len(word) + 1)
        if (i, j) != (0, len(word))
    }


def _split(word: str, known: set[str]) -> list[str]:
    """The parts of a compound, fewest and longest first; [] when it is no compound of known
    words. The last part may be unknown when the first ones are ("toezicht" + "houder"), and
    the first when the last is a long known word ("burger" + "participatie")."""

    @functools.cache
    def best(start: int) -> tuple[str, ...] | None:
        if start == len(word):
            return ()
        options = []
        for end in range(len(word), start + MIN_PART - 1, -1):
            part = word[start:end]
            if part not in known:
                continue
            for link in LINKS:
                if word.startswith(link, end):
                    rest = best(end + len(link))
                    if rest is not None:
                        options.append((part, *rest))
        return min(options, key=len) if options else None

    parts = best(0)
    if parts and len(parts) > 1:
        return list(parts)
    # A known modifier with an unknown head of a few letters: "toezicht|houder".
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        if word[:end] in known and len(word[:end]) >= 5:
            return [word[:end]]
    # A known head after an unknown modifier, the longest head first: "burger|participatie".
    # The head carries the meaning in Dutch; it must be long enough not to mislead.
    for start in range(MIN_PART, len(word) - MIN_HEAD + 1):
        if word[start:] in known:
            return [word[start:]]
    return []


def _closest(word: str, candidates: list[str]) -> str:
    scored = [
        (difflib.SequenceMatcher(None, word, candidate).ratio(), candidate)
        for candidate in candidates
    ]
    scored = [pair for pair in scored if pair[0] >= TYPO_RATIO]
    return max(scored)[1] if scored else ""


def plan(q: str) -> QueryPlan:
    """Read a query and look its words up in the vocabulary (one query)."""
    result = parse(q)
    lookups = [term for term in result.terms if len(term.word) >= MIN_PART and term.word.isalpha()]
    if not lookups:
        return result
    condition = models.Q(pk__in=[])
    for term in lookups:
        word = term.word
        condition |= models.Q(word__in=[word, *_substrings(word)]) | models.Q(stem=stem(word))
        if len(word) >= 5:
            condition |= models.Q(word__endswith=word)
            # Spelling neighbours: same first letter, about the same length.
            condition |= models.Q(
                word__startswith=word[0], length__gte=len(word) - 2, length__lte=len(word) + 2
            )
    rows = list(
        SearchWord.objects.annotate(length=Length("word"))
        .filter(condition)
        .values_list("word", "stem")
    )
    known = {word for word, _stem in rows}
    stems = {stem_ for _word, stem_ in rows}
    for term in lookups:
        word = term.word
        is_known = word in known or stem(word) in stems
        alternatives = []
        parts = _split(word, known) if len(word) >= 2 * MIN_PART else []
        alternatives += [part for part in parts if part != word]
        if len(word) >= 5:
            longer = sorted(
                (w for w in known if w.endswith(word) and len(w) >= len(word) + 3),
                key=lambda w: (len(w), w),
            )
            alternatives += longer[:MAX_SUFFIX_ALTERNATIVES]
        if not is_known and not parts and len(word) >= 5:
            neighbours = [
                w for w in known if w[0] == word[0] and abs(len(w) - len(word)) <= 2 and w != word
            ]
            term.correction = _closest(word, neighbours)
            if term.correction:
                alternatives.insert(0, term.correction)
        term.alternatives = list(dict.fromkeys(a for a in alternatives if a != word))
    return result
