"""The default answerer: no LLM, no network. It picks the sentences of the retrieved
passages that answer the question and cites each one.

Why not simply return the best passage: a passage holds a heading, an introduction and
several facts, and the question asks for one of them (an amount, a date, a name). A
sentence is scored by how much of the question it covers (alone and together with the
heading it stands under) and by whether it holds the kind of fact the question asks for
("hoeveel" wants a number, "wanneer" a date, "wie" a name). When no sentence covers the
question well enough, the answerer says the documents do not answer it: a similarity
threshold alone cannot tell (e5 scores of answerable and unanswerable questions overlap),
but missing question terms and a missing fact of the asked kind can.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from assistant.analysis import DutchAnalyzer
from assistant.answers import Answer, Citation
from assistant.retrieval import SearchHit
from ingest.chunking import split_sentences

_NUMBER = re.compile(r"\d")
_MONTHS = r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE = re.compile(
    rf"\b\d{{1,2}}\s+({_MONTHS})\b|\b({_MONTHS})\s+(19|20)\d\d\b|\b(19|20)\d\d\b", re.IGNORECASE
)
_MONEY = re.compile(r"(€|\beur\b|\beuro\b)", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(\d+|een|twee|drie|vier|vijf|zes|tien|twaalf)\s+(jaar|jaren|maanden|maand|weken|week|dagen|dag|uur|uren)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][a-zà-ü]+\s+(?:(?:van|de|der|den|ver)\s+)*[A-Z][a-zà-ü]+")
_WORDS = re.compile(r"[\w'-]+")
_PERCENT = re.compile(r"\d\s?%|procent", re.IGNORECASE)

# What the question asks for, from its wording; the first match wins.
_QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "money",
            r"\b(welk bedrag|hoeveel (kost|betaal|bedraag|geld|euro)|wat kost|hoe duur|prijs|tarief"
            r"|bijdrage)",
        ),
        ("duration", r"\b(hoe ?lang|voor hoelang|hoeveel (jaar|maanden|weken|dagen))"),
        ("percent", r"\b(welk percentage|hoeveel procent|verdeelsleutel|verhouding)"),
        ("number", r"\b(hoeveel|aantal|hoe groot|hoe vaak)\b"),
        (
            "date",
            r"\b(wanneer|sinds wanneer|welke datum|op welke dag|vanaf wanneer|tegen wanneer|in welk jaar)\b",
        ),
        ("name", r"\b(wie|welke (firma|leverancier|persoon|medewerker|bestuurder|gemeente)|bij wie)\b"),
    )
)
_FACT_PATTERNS = {
    "money": (_MONEY, _NUMBER),
    "duration": (_DURATION,),
    "percent": (_PERCENT,),
    "number": (_NUMBER,),
    "date": (_DATE,),
    "name": (_NAME,),
}
_HISTORY = re.compile(
    r"\b(vroeger|oud(e)?|eerder(e)?|vorige|oorspronkelijk|destijds|voordien|vervangen)\b", re.IGNORECASE
)

MAX_SENTENCES = 2
SECOND_SENTENCE_RATIO = 0.85
CLOSEST_DOCUMENTS = 3
REPLACED_PENALTY = 0.85
NEAR_DUPLICATE = 0.6
# How a sentence's score is made (the weights add up to 1, so scores stay within 0-1):
# question terms in the sentence itself, in the sentence with its title and heading, a
# fact of the asked kind, and the rank of its passage in the search results.
OWN_WEIGHT, CONTEXT_WEIGHT, FACT_WEIGHT, RANK_WEIGHT = 0.4, 0.3, 0.15, 0.15
INHERITED_TERM_WEIGHT = 0.5
MIN_SENTENCE_WORDS = 3
NO_ANSWER = "De documenten geven geen antwoord op deze vraag."


@dataclass(frozen=True)
class _Query:
    weights: dict[str, float]
    kind: str | None
    known_words: frozenset[str]
    wants_history: bool


@dataclass(frozen=True)
class _Sentence:
    """A sentence with its index terms, analysed once and reused for weighting, scoring
    and the near-duplicate check."""

    text: str
    terms: frozenset[str]
    hit_index: int
    position: int


class ExtractiveAnswerer:
    """Composes a short cited answer from the sentences of the retrieved passages."""

    def __init__(self, analyzer: DutchAnalyzer, min_score: float) -> None:
        """`min_score` (0-1) is the abstention threshold, calibrated on the gold set."""
        self.analyzer = analyzer
        self.min_score = min_score

    def answer(self, question: str, standalone: str, hits: list[SearchHit]) -> Answer:
        """`question` as asked (its wording says what kind of fact is wanted);
        `standalone` the same question resolved against the conversation (what to cover)."""
        ranked = self.rank_sentences(question, standalone, hits)
        if not ranked or ranked[0][0] < self.min_score:
            return self._abstain(hits)
        best_score, best = ranked[0]
        chosen = [best]
        for score, sentence in ranked[1:MAX_SENTENCES]:
            if score >= best_score * SECOND_SENTENCE_RATIO and self._adds_to(chosen, sentence, hits):
                chosen.append(sentence)
        return self._compose(chosen, hits)

    def _adds_to(self, chosen: list["_Sentence"], candidate: "_Sentence", hits: list[SearchHit]) -> bool:
        """A further sentence is worth adding only if it says something new and does not
        come from a replaced version of what a chosen sentence already cites."""
        if hits[candidate.hit_index].status == "vervangen":
            return False
        return all(
            len(candidate.terms & sentence.terms) <= NEAR_DUPLICATE * len(candidate.terms | sentence.terms)
            for sentence in chosen
        )

    def rank_sentences(
        self, question: str, standalone: str, hits: list[SearchHit]
    ) -> list[tuple[float, "_Sentence"]]:
        """Every sentence of the passages with its score, best first. The best score is
        what abstention compares with `min_score`; calibration reads it from here."""
        sentences = [s for i, hit in enumerate(hits) for s in self._sentences(hit.text, i)]
        if not sentences:
            return []
        query = self._query(question, standalone, sentences)
        contexts = [set(self.analyzer.terms(f"{hit.title} {hit.heading} {hit.date or ''}")) for hit in hits]
        scored = [(self._score(s, query, contexts[s.hit_index], hits[s.hit_index]), s) for s in sentences]
        return sorted(scored, key=lambda pair: (-pair[0], pair[1].hit_index, pair[1].position))

    def _query(self, question: str, standalone: str, sentences: list["_Sentence"]) -> "_Query":
        """What a sentence is measured against. Each term weighs its IDF over the candidate
        sentences (a term every sentence holds, like "midwest", says little), and terms of
        the question as asked weigh more than those a follow-up inherits from the question
        before it ("Krijg je daar een vergoeding voor?": vergoeding is what is asked)."""
        own_terms = set(self.analyzer.terms(question))
        terms = own_terms | set(self.analyzer.terms(standalone))
        df: Counter[str] = Counter()
        for sentence in sentences:
            df.update(terms & sentence.terms)
        n = len(sentences)
        weights = {
            term: math.log(1 + n / (1 + df[term])) * (1.0 if term in own_terms else INHERITED_TERM_WEIGHT)
            for term in terms
        }
        return _Query(
            weights=weights,
            kind=question_kind(question) or question_kind(standalone),
            known_words=frozenset(word.lower() for word in _WORDS.findall(standalone)),
            wants_history=bool(_HISTORY.search(standalone)),
        )

    def _score(self, sentence: "_Sentence", query: "_Query", context: set[str], hit: SearchHit) -> float:
        weights = query.weights
        total = sum(weights.values()) or 1.0
        own = sum(weights[t] for t in weights.keys() & sentence.terms) / total
        with_context = sum(weights[t] for t in weights.keys() & (sentence.terms | context)) / total
        fact = 1.0 if query.kind is None or has_fact(sentence.text, query.kind, query.known_words) else 0.0
        rank_prior = 1.0 / (1 + sentence.hit_index)
        score = (
            OWN_WEIGHT * own + CONTEXT_WEIGHT * with_context + FACT_WEIGHT * fact + RANK_WEIGHT * rank_prior
        )
        if hit.status == "vervangen" and not query.wants_history:
            score *= REPLACED_PENALTY
        return score

    def _sentences(self, text: str, hit_index: int) -> list["_Sentence"]:
        """Sentences of a passage. Lines are kept apart first (list items and table rows are
        lines without end punctuation that must not glue onto the next sentence)."""
        pieces = [sentence for line in text.splitlines() for sentence in split_sentences(line)]
        return [
            _Sentence(piece, frozenset(self.analyzer.terms(piece)), hit_index, position)
            for position, piece in enumerate(pieces)
            if len(piece.split()) >= MIN_SENTENCE_WORDS
        ]

    def _compose(self, chosen: list[_Sentence], hits: list[SearchHit]) -> Answer:
        numbers: dict[int, int] = {}
        parts = []
        for sentence in chosen:
            n = numbers.setdefault(sentence.hit_index, len(numbers) + 1)
            parts.append(f"{_as_sentence(sentence.text)} [{n}]")
        citations = [Citation.from_hit(n, hits[index]) for index, n in numbers.items()]
        return Answer(answer=" ".join(parts), abstained=False, citations=citations)

    def _abstain(self, hits: list[SearchHit]) -> Answer:
        best_per_document: dict[str, SearchHit] = {}
        for hit in hits:
            best_per_document.setdefault(hit.document_id, hit)
        closest = list(best_per_document.values())[:CLOSEST_DOCUMENTS]
        text = NO_ANSWER
        if closest:
            titles = "; ".join(f"{hit.title} ({hit.date})" if hit.date else hit.title for hit in closest)
            text += f" Het dichtst in de buurt komen: {titles}."
        return Answer(
            answer=text,
            abstained=True,
            citations=[Citation.from_hit(n, hit) for n, hit in enumerate(closest, 1)],
        )


def question_kind(question: str) -> str | None:
    """The kind of fact the question asks for (money, duration, percent, number, date,
    name), or None for open questions (wat, hoe, waarom)."""
    for kind, pattern in _QUESTION_KINDS:
        if pattern.search(question):
            return kind
    return None


def has_fact(text: str, kind: str, known_words: frozenset[str]) -> bool:
    """True if the text holds a fact of the asked kind that the question does not already
    name: "Wie coördineert BIE?" is not answered by a sentence whose only capitalised
    words are "Het Cultuur- en erfgoedplatform BIE"."""
    new_words = " ".join(word for word in _WORDS.findall(text) if word.lower() not in known_words)
    if kind == "name":
        text = new_words
    return all(pattern.search(text) for pattern in _FACT_PATTERNS[kind])


def _as_sentence(text: str) -> str:
    text = text.strip().lstrip("-•* ").strip()
    return text if text[-1:] in ".!?:;" else f"{text}."
