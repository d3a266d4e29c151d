"""The default answerer: no LLM, no network. It picks the sentences of the retrieved
passages that answer the question and cites each one.

Why not simply return the best passage: a passage holds a heading, an introduction and
several facts, and the question asks for one of them (an amount, a date, a name). A
sentence is scored by how much of the question it covers (alone, with the heading it
stands under, and with the rest of its passage) and by whether it holds the kind of fact
the question asks for ("hoeveel" wants a number, "wanneer" a date, "wie" a name). When no
sentence covers the question well enough, the answerer says the documents do not answer
it: a similarity threshold alone cannot tell (e5 scores of answerable and unanswerable
questions overlap), but missing question terms and a missing amount or number can.
Two words of a question weigh on top of that: the noun it asks about ("hoeveel
parkeerplaatsen", "welk uurtarief") and the one-word names it is about ("Brugelde",
"Zandeveld"); a sentence that names neither answers another question.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from assistant.answers.links import remove_links
from assistant.answers.meaning import SentenceMeaning
from assistant.answers.model import Answer, Citation, Confidence, abstention
from assistant.conversation import standalone_question
from assistant.question import (
    GENERIC_QUESTION_WORDS,
    STRICT_KINDS,
    YEAR,
    asked_kind,
    asked_noun,
    asks_about_the_past,
    asks_about_the_present,
    has_fact,
    how_asked_words,
    known_words,
    names,
    overview_subject,
)
from assistant.search.retrieval import SearchHit
from core.dutch.analysis import DutchAnalyzer, normalise
from core.dutch.frequency import zipf
from core.dutch.glossary import Glossary
from core.dutch.sentences import split_sentences

_WORDS = re.compile(r"[\w'-]+")
# A label line ("Artikel 12. Statutenwijziging.", "Hoofdstuk 5. Duur") names the topic of
# what follows; it is context for the next sentences, never an answer by itself.
_LABEL = re.compile(
    r"^(artikel|art\.|hoofdstuk|afdeling|bijlage)\s*\d+[a-z]?\b[^.]{0,80}\.?\s*$", re.IGNORECASE
)
# Minutes report questions asked in the meeting ("de bestuurder vraagt of ..."): they
# share the question's words but do not hold its answer.
# A FAQ answer that opens with "Ja." or "Nee." gives the reply that the next sentence explains.
_REPLY = re.compile(r"^\s*(ja|nee|neen)\s*[.!]?\s*$", re.IGNORECASE)
# A list item ("- beleidsondersteuning;", "• ..."): read with the sentence that introduces
# its list ("Het archiefteam ondersteunt de gemeenten bij:"), which says what it is an item of.
_LIST_ITEM = re.compile(r"^\s*[-•*]\s+")
_REPORTED_QUESTION = re.compile(r"\bvra(agt|gen|agde|agden)\s+(of|wat|hoe|waarom|wanneer|wie)\b|\?\s*$")
_INHERITED_TERM_WEIGHT = 0.5
_GENERIC_TERM_WEIGHT = 0.25

SECTION_OPENING_BONUS = 0.15
MAX_SENTENCES = 3
FOLLOWING_SENTENCE_RATIO = 0.8
NEXT_SENTENCE_RATIO = 0.6
MAX_LIST_ITEMS = 8
REPLACED_PENALTY = 0.85
OTHER_YEAR_PENALTY = 0.8
PRESENT_BONUS = 0.15
REPORTED_QUESTION_PENALTY = 0.75
# A short line without end punctuation or a number ("Dagelijks bestuur Midwest/cluster
# bestuur") is a heading or a table header: it names a topic and states nothing about it.
FRAGMENT_PENALTY = 0.8
FRAGMENT_WORDS = 6
NEAR_DUPLICATE = 0.6
# How many of the best sentences are checked for a later document saying the same thing.
SUPERSEDED_WINDOW = 10
# How a sentence's score is made (the weights add up to 1, so scores stay within 0-1):
# question terms in the sentence itself, in the sentence with its title and headings, in
# its whole passage, a fact of the asked kind, and the rank of its passage.
OWN_WEIGHT, CONTEXT_WEIGHT, PASSAGE_WEIGHT, FACT_WEIGHT, RANK_WEIGHT = 0.35, 0.2, 0.1, 0.25, 0.1
MIN_SENTENCE_WORDS = 3
# An overview question ("Wat doet Midwest eigenlijk?", "Wat is een afsprakennota?") is
# answered by the sentence that defines its subject: the subject within its first
# DEFINITION_SUBJECT_WORDS words, a verb of being within its first DEFINITION_VERB_WORDS.
DEFINITION_BONUS = 0.3
DEFINITION_SUBJECT_WORDS = 5
DEFINITION_VERB_WORDS = 10
_DEFINING_VERB = re.compile(r"\b(is|zijn|betekent|staat voor|houdt in)\b", re.IGNORECASE)
# Meaning (`assistant.answers.meaning`): the best MEANING_DEPTH sentences by words are
# scored MEANING_WEIGHT by their closeness in meaning to the question and the rest by words.
# Measured on the gold set (`kennisbank eval --mode hybrid`, with `sure_score` 0.5): key-fact
# accuracy 0.808 -> 0.822, sure answers that are wrong 0.193 -> 0.146 of the questions,
# false "not in the documents" 0.034 -> 0.014; on the questions of issue #15 (as new staff
# type them) 4 of 7 become right ("Hoeveel verlofdagen krijg ik?" finds "33 dagen jaarlijkse
# vakantie" under the heading "Verlof"). It costs ask about 150 ms (8 sentences embedded).
MEANING_DEPTH = 8
MEANING_WEIGHT = 0.3
# A question word rarer than this in general Dutch (Zipf scale, `core.dutch.frequency`)
# names what the question is about; when no passage holds it, an answer is only possible.
# Measured on the gold set's first questions: of the words missing from every passage,
# those under 3.5 flag 8 of 25 unanswerable questions and 26 of 208 answerable ones; all
# missing words would flag 13 and about 90 (verbs worded otherwise: "contacteren", "vond").
TOPIC_WORD_ZIPF = 3.5
MISSING_NAME_PENALTY = 0.8
MISSING_ASKED_PENALTY = 0.8
# A name that most candidate sentences hold ("Midwest") says nothing about which one answers.
COMMON_NAME_SHARE = 0.5


Unit = tuple[frozenset[str], ...]
"""One word of the question as the ways a text can hold it: its own term, the terms of
its compound parts together ("plusuren": plus + uren), or a glossary form of it
("brandkranen": hydrant)."""


@dataclass(frozen=True)
class _Query:
    weights: dict[Unit, float]
    kind: str | None
    known_words: frozenset[str]
    wants_history: bool
    wants_present: bool
    years: frozenset[str]
    """Years the question names ("de begroting 2019"): a fact from another year's
    passage does not answer it."""
    asked: Unit | None = None
    """What the question asks about ("Hoeveel parkeerplaatsen", "Welk uurtarief", "Wie is
    de voorzitter"): a sentence that does not name it answers another question."""
    overview: frozenset[str] = frozenset()
    """The terms of the subject of an overview question ("Wat doet Midwest?"): the sentence
    that defines or introduces it answers."""
    entities: frozenset[Unit] = frozenset()
    """Names the question is about ("Hoeveel betaalt Brugelde ...", "... in Zandeveld"):
    a sentence about another municipality or firm does not answer it, however well it
    covers the other words."""
    terms: frozenset[str] = frozenset()
    """Every term of every form of the question's words (what a heading must be made of)."""
    content: frozenset[Unit] = frozenset()
    """The uncommon words of the question as asked ("politiezone", "parkeerplaatsen"): what
    it is about, where common words ("komen", "nieuwe") are often worded otherwise."""

    def covered(self, terms: frozenset[str]) -> float:
        """Share of the question's weight that `terms` covers."""
        total = sum(self.weights.values()) or 1.0
        return sum(weight for unit, weight in self.weights.items() if _holds(terms, unit)) / total


def _holds(terms: frozenset[str], unit: Unit) -> bool:
    return any(form <= terms for form in unit)


@dataclass(frozen=True)
class _Sentence:
    """A sentence with its index terms, analysed once and reused for weighting, scoring
    and the near-duplicate check. `shown` is what the answer quotes: the sentence, and for
    a sentence ending in a colon also the list it introduces."""

    text: str
    shown: str
    terms: frozenset[str]
    hit_index: int
    position: int
    label_terms: frozenset[str]
    """Terms of the label lines above it in its passage ("Artikel 5. Kostprijs") and, for a
    list item, of the sentence that introduces the list ("De renovatiecoach:")."""
    lead_in: int | None = None
    """For a list item: the position of the sentence that introduces its list, which
    `shown` starts with ("De renovatiecoach: houdt een wekelijkse zitdag ...")."""
    item: str = ""
    """For a list item: what it shows without its lead-in, when the lead-in is already shown."""


class _Ranking(NamedTuple):
    """The candidate sentences best first, with each one's score by words alone, and
    what tells whether a sentence is on the question's subject: the question as read and
    each passage's title, heading and date terms."""

    ranked: list[tuple[float, _Sentence]]
    word_scores: dict[_Sentence, float]
    query: _Query | None = None
    contexts: tuple[frozenset[str], ...] = ()

    def misses_topic(self, passages: frozenset[str]) -> bool:
        """True when a word of what the question is about occurs in none of the passages
        (`passages`: their terms, titles and headings), in none of its forms: "Wat is het
        budget van de politiezone?" over documents that never name a police zone. A person
        would not be sure that any sentence there answers it."""
        if self.query is None:
            return False
        return any(not _holds(passages, unit) for unit in self.query.content)

    def misses_subject(self, sentence: _Sentence) -> bool:
        """True when the sentence, with its headings, lacks a name the question is about or
        the noun it asks about (another municipality's agreement answers at best possibly)."""
        if self.query is None:
            return False
        terms = sentence.terms | self.contexts[sentence.hit_index] | sentence.label_terms
        return _misses_subject(terms, self.query)


class ExtractiveAnswerer:
    """Composes a short cited answer from the sentences of the retrieved passages."""

    def __init__(
        self,
        analyzer: DutchAnalyzer,
        min_score: float,
        glossary: Glossary | None = None,
        meaning: SentenceMeaning | None = None,
        sure_score: float = 0.0,
    ) -> None:
        """`min_score` (0-1) is the abstention threshold, calibrated on the gold set;
        `glossary` lets "brandkranen" in a question meet "hydranten" in a passage;
        `meaning` weighs the best candidate sentences by how close they come to the
        question in meaning (see `assistant.answers.meaning`); an answer whose best
        sentence covers the question's words less than `sure_score` (0-1, before meaning
        is weighed in) is shown as a possible answer, to be checked against its source."""
        self.analyzer = analyzer
        self.min_score = min_score
        self.sure_score = sure_score
        self.glossary = glossary or Glossary(())
        self.meaning = meaning
        self._generic = frozenset(analyzer.terms(GENERIC_QUESTION_WORDS))

    def standalone_question(self, question: str, previous: str | None) -> str:
        """Rule-based: see `assistant.conversation.standalone_question`."""
        return standalone_question(question, previous)

    def stream(self, question: str, standalone: str, hits: list[SearchHit]) -> Iterator[str | Answer]:
        """`answer`, word by word (it is made at once; this gives front ends one shape)."""
        answer = self.answer(question, standalone, hits)
        yield from re.findall(r"\S+\s*", answer.answer)
        yield answer

    def answer(self, question: str, standalone: str, hits: list[SearchHit]) -> Answer:
        """`question` as asked (its wording says what kind of fact is wanted);
        `standalone` the same question resolved against the conversation (what to cover)."""
        ranking = self._candidates(question, standalone, hits)
        ranked, word_scores = ranking.ranked, ranking.word_scores
        if not ranked or ranked[0][0] < self.min_score:
            return abstention(hits)
        best = ranked[0][1]
        # Meaning picks the best sentence; whether another one joins it is decided on words,
        # as before: meaning lifts every sentence on the subject about equally.
        best_score = word_scores[best]
        everything = frozenset().union(*ranking.contexts, *(s.terms for _, s in ranked))
        sure = (
            best_score >= self.sure_score
            and not ranking.misses_subject(best)
            and not ranking.misses_topic(everything)
        )
        chosen = [best]
        for _, sentence in ranked[1:]:
            score = word_scores[sentence]
            if len(chosen) == MAX_SENTENCES:
                break
            if score < best_score * NEXT_SENTENCE_RATIO:
                continue
            # The sentence right after the best one often finishes its fact ("... gegund aan
            # Salinco Benelux nv." then "De prijs bedraagt 94,20 euro per ton."): it joins
            # with a lower score than a sentence from elsewhere.
            follows_best = sentence.hit_index == best.hit_index and sentence.position == best.position + 1
            if score < best_score * FOLLOWING_SENTENCE_RATIO and not follows_best:
                continue
            if self._adds_to(chosen, sentence, hits):
                chosen.append(sentence)
        return self._compose(chosen, hits, "answered" if sure else "possible")

    def best_score(self, question: str, standalone: str, hits: list[SearchHit]) -> float:
        """The score abstention compares with `min_score` (0 when nothing can answer);
        what `bench/calibrate_abstention.py` sweeps."""
        ranked = self._candidates(question, standalone, hits).ranked
        return ranked[0][0] if ranked else 0.0

    def _candidates(self, question: str, standalone: str, hits: list[SearchHit]) -> _Ranking:
        """The ranked sentences, or none when the best one is on topic but lacks the
        amount, number, duration or frequency asked for (`STRICT_KINDS`): then nothing
        here answers."""
        passages = [self._sentences(hit.text, i) for i, hit in enumerate(hits)]
        ranked, query, contexts = self._rank(question, standalone, hits, passages)
        word_scores = {sentence: score for score, sentence in ranked}
        if self.meaning is not None:
            ranked = self._weighed_by_meaning(self.meaning, standalone, ranked, hits)
        kind = asked_kind(question, standalone)
        best = ranked[0][1] if ranked else None
        if best and kind in STRICT_KINDS and not has_fact(best.shown, kind, known_words(standalone)):
            return _Ranking([], {})
        return _Ranking(ranked, word_scores, query, contexts)

    @staticmethod
    def _weighed_by_meaning(
        meaning: SentenceMeaning,
        standalone: str,
        ranked: list[tuple[float, _Sentence]],
        hits: list[SearchHit],
    ) -> list[tuple[float, _Sentence]]:
        """The best `MEANING_DEPTH` sentences re-scored with their closeness in meaning to
        the question; the rest are weighed like a sentence that is not close at all."""
        top = ranked[:MEANING_DEPTH]
        texts = [f"{_last_heading(hits[s.hit_index].heading)}{s.shown}" for _, s in top]
        closeness = meaning.closeness(standalone, texts)
        weighed = [
            ((1 - MEANING_WEIGHT) * score + MEANING_WEIGHT * close, sentence)
            for (score, sentence), close in zip(top, closeness, strict=True)
        ] + [((1 - MEANING_WEIGHT) * score, sentence) for score, sentence in ranked[MEANING_DEPTH:]]
        return sorted(weighed, key=lambda pair: (-pair[0], pair[1].hit_index, pair[1].position))

    def _adds_to(self, chosen: list[_Sentence], candidate: _Sentence, hits: list[SearchHit]) -> bool:
        """A further sentence is worth adding only if it says something new and does not
        come from a replaced version of what a chosen sentence already cites."""
        if hits[candidate.hit_index].status == "vervangen" and any(
            hits[s.hit_index].document_id != hits[candidate.hit_index].document_id for s in chosen
        ):
            return False
        return all(
            len(candidate.terms & sentence.terms) <= NEAR_DUPLICATE * len(candidate.terms | sentence.terms)
            and not _in_list_of(candidate, sentence)
            and not _in_list_of(sentence, candidate)
            for sentence in chosen
        )

    def _rank(
        self, question: str, standalone: str, hits: list[SearchHit], passages: list[list[_Sentence]]
    ) -> tuple[list[tuple[float, _Sentence]], _Query | None, tuple[frozenset[str], ...]]:
        """Every candidate sentence with its score, best first, with the question as read and
        the context terms (title, heading, date) of each passage."""
        sentences = [s for passage in passages for s in passage if not _LABEL.match(s.text)]
        if not sentences:
            return [], None, ()
        query = self._query(question, standalone, sentences)
        contexts = tuple(
            frozenset(self.analyzer.terms(f"{hit.title} {hit.heading} {hit.date or ''}")) for hit in hits
        )
        passage_terms = [frozenset().union(*(s.terms for s in passage)) for passage in passages]
        # The opening sentence of a section whose heading the question names ("Hoeveel
        # verlofdagen krijg ik?" and the section "Verlof") states its main rule.
        openings = {
            (i, passage[0].position)
            for i, passage in enumerate(passages)
            if passage and self._names_heading(query, hits[i].heading)
        }
        dates = sorted({hit.date or "" for hit in hits})
        recency = [dates.index(hit.date or "") / max(1, len(dates) - 1) for hit in hits]
        scored = [
            (
                self._score(
                    s,
                    query,
                    contexts[s.hit_index] | s.label_terms,
                    passage_terms[s.hit_index],
                    hits[s.hit_index],
                    recency[s.hit_index],
                )
                + (SECTION_OPENING_BONUS if (s.hit_index, s.position) in openings else 0.0),
                s,
            )
            for s in sentences
        ]
        ranked = sorted(scored, key=lambda pair: (-pair[0], pair[1].hit_index, pair[1].position))
        if not query.wants_history:
            ranked = self._superseded_last(ranked, hits)
        return ranked, query, contexts

    def _superseded_last(
        self, ranked: list[tuple[float, _Sentence]], hits: list[SearchHit]
    ) -> list[tuple[float, _Sentence]]:
        """A sentence that a later document of the same type repeats with other facts ("Een
        standaardlaptop kost 789 euro" in the minutes of 2020, "... kost 845 euro" in those
        of 2024) states what no longer holds: it weighs as a replaced version, so the later
        statement answers. Documents of another type (a job description and an agreement)
        do not replace each other."""
        top = ranked[:SUPERSEDED_WINDOW]
        result = []
        for score, sentence in ranked:
            date = hits[sentence.hit_index].date or ""
            if any(
                (hits[other.hit_index].date or "") > date
                and hits[other.hit_index].document_id != hits[sentence.hit_index].document_id
                and hits[other.hit_index].doc_type == hits[sentence.hit_index].doc_type
                and len(other.terms & sentence.terms) > NEAR_DUPLICATE * len(other.terms | sentence.terms)
                for _, other in top
            ):
                score *= REPLACED_PENALTY
            result.append((score, sentence))
        return sorted(result, key=lambda pair: (-pair[0], pair[1].hit_index, pair[1].position))

    def _query(self, question: str, standalone: str, sentences: list[_Sentence]) -> _Query:
        """What a sentence is measured against. Each word weighs its IDF over the candidate
        sentences (a word every sentence holds, like "midwest", says little); words of the
        question as asked weigh more than those a follow-up inherits from the question
        before it ("Krijg je daar een vergoeding voor?": vergoeding is what is asked), and
        words that only say how the question is asked weigh little."""
        by_word = {word: self._units(word) for word in _WORDS.findall(question)}
        own = set().union(*by_word.values())
        units = own | self._units(standalone)
        how_asked = self._units(" ".join(how_asked_words(question)))
        generic = {unit for unit in units if unit[0] <= self._generic or unit in how_asked}
        n = len(sentences)
        weights = {}
        for unit in units:
            df = sum(1 for sentence in sentences if _holds(sentence.terms, unit))
            weight = math.log(1 + n / (1 + df))
            weight *= 1.0 if unit in own else _INHERITED_TERM_WEIGHT
            weight *= _GENERIC_TERM_WEIGHT if unit in generic else 1.0
            weights[unit] = weight
        return _Query(
            weights=weights,
            kind=asked_kind(question, standalone),
            known_words=known_words(standalone),
            wants_history=asks_about_the_past(standalone),
            wants_present=asks_about_the_present(question),
            years=frozenset(YEAR.findall(question) or YEAR.findall(standalone)),
            asked=self._asked_unit(question),
            overview=frozenset(self.analyzer.terms(overview_subject(question) or "")),
            entities=frozenset(
                unit
                for unit in self._units(" ".join(names(question)))
                if sum(_holds(sentence.terms, unit) for sentence in sentences) <= COMMON_NAME_SHARE * n
            ),
            content=frozenset(
                unit
                for word, word_units in by_word.items()
                if zipf(normalise(word)) < TOPIC_WORD_ZIPF
                for unit in word_units
            )
            - generic,
            terms=frozenset(term for unit in units for form in unit for term in form),
        )

    def _names_heading(self, query: _Query, heading_path: str) -> bool:
        """True when the question holds every word of the heading a passage stands under,
        in one of its forms ("thuis werken" holds "Thuiswerk", "verlofdagen" holds "Verlof")."""
        heading = self._units(heading_path.rpartition(" > ")[2])
        return bool(heading) and all(_holds(query.terms, unit) for unit in heading)

    def _asked_unit(self, question: str) -> Unit | None:
        """The `Unit` of the noun the question asks about, if its wording shows one."""
        noun = asked_noun(question)
        if noun is None:
            return None
        units = self._units(noun)
        return next(iter(units)) if len(units) == 1 else None

    def _units(self, text: str) -> set[Unit]:
        """The question's words as `Unit`s."""
        units = set()
        for word in _WORDS.findall(text):
            terms = self.analyzer.terms(word)
            if not terms:
                continue
            whole = max(terms, key=len)
            parts = frozenset(terms) - {whole}
            forms = [frozenset({whole}), *([parts] if parts else [])]
            forms += [frozenset(form) for form in self._glossary_forms(whole)]
            units.add(tuple(dict.fromkeys(forms)))
        return units

    def _glossary_forms(self, term: str) -> list[tuple[str, ...]]:
        """The forms of every glossary concept that has `term` as a one-word form."""
        return [
            form
            for forms in self.glossary.concepts
            if any(max(form, key=len) == term for form in forms)
            for form in forms
        ]

    def _score(
        self,
        sentence: _Sentence,
        query: _Query,
        context: frozenset[str],
        passage: frozenset[str],
        hit: SearchHit,
        recency: float,
    ) -> float:
        """`recency`: 0 for the oldest passage among the hits, 1 for the newest."""
        own = query.covered(sentence.terms)
        with_context = query.covered(sentence.terms | context)
        with_passage = query.covered(passage | context)
        fact = 1.0 if query.kind is None or has_fact(sentence.shown, query.kind, query.known_words) else 0.0
        rank_prior = 1.0 / (1 + sentence.hit_index)
        score = (
            OWN_WEIGHT * own
            + CONTEXT_WEIGHT * with_context
            + PASSAGE_WEIGHT * with_passage
            + FACT_WEIGHT * fact
            + RANK_WEIGHT * rank_prior
        )
        if query.asked and not _holds(sentence.terms | context, query.asked):
            score *= MISSING_ASKED_PENALTY
        if _misses_name(sentence.terms | context, query):
            score *= MISSING_NAME_PENALTY
        if query.years and not query.years & (sentence.terms | context | passage):
            score *= OTHER_YEAR_PENALTY
        if hit.status == "vervangen" and not query.wants_history:
            score *= REPLACED_PENALTY
        if query.wants_present:
            score *= 1 + PRESENT_BONUS * recency
        if _REPORTED_QUESTION.search(sentence.text):
            score *= REPORTED_QUESTION_PENALTY
        if _is_fragment(sentence.text):
            score *= FRAGMENT_PENALTY
        if query.overview and self._defines(sentence.text, query.overview):
            score = min(1.0, score + DEFINITION_BONUS)
        return score

    def _defines(self, text: str, subject: frozenset[str]) -> bool:
        """True for a sentence that says what its subject is: the subject among its first
        words, then a verb of being ("DVV Midwest is de dienstverlenende vereniging van
        ...", "Een afsprakennota is een overeenkomst ..."); not "Tegen 2025 is Midwest ..."."""
        words = text.split()[:DEFINITION_VERB_WORDS]
        for position, word in enumerate(words[:DEFINITION_SUBJECT_WORDS]):
            if word.endswith(":"):
                return False  # "Strategische doelstelling: Midwest is ..." is a goal, labelled
            if subject & frozenset(self.analyzer.terms(word)):
                return bool(_DEFINING_VERB.search(" ".join(words[position + 1 :])))
        return False

    def _sentences(self, text: str, hit_index: int) -> list[_Sentence]:
        """Sentences of a passage. Lines are kept apart first (list items and table rows are
        lines without end punctuation that must not glue onto the next sentence); label
        lines lend their terms to the sentences below them; a list item is read with the
        sentence that introduces its list, and a bare "Ja." or "Nee." with the sentence
        after it. Links and images are removed
        first: an answer quotes no URL (see `assistant.answers.links`), and a URL's words must not
        make a sentence look like it covers the question."""
        text = remove_links(text)
        pieces = [sentence for line in text.splitlines() for sentence in split_sentences(line)]
        sentences = []
        labels: frozenset[str] = frozenset()
        lead_in: tuple[int, str, frozenset[str]] | None = None  # position, text, terms
        reply = ""
        for position, piece in enumerate(pieces):
            terms = frozenset(self.analyzer.terms(piece))
            if _LABEL.match(piece):
                labels = terms
            if _REPLY.match(piece):
                reply = _as_sentence(piece)  # "Nee." answers with the sentence after it
                continue
            is_item = bool(_LIST_ITEM.match(piece))
            if not is_item:
                lead_in = (position, piece.strip(), terms) if piece.rstrip().endswith(":") else None
            if len(piece.split()) >= MIN_SENTENCE_WORDS or _LABEL.match(piece):
                shown = _as_sentence(piece)
                if piece.rstrip().endswith(":"):
                    items = pieces[position + 1 : position + 1 + MAX_LIST_ITEMS]
                    shown = " ".join([shown, *map(_as_sentence, items)])
                if is_item and lead_in:
                    lead_position, lead_text, lead_terms = lead_in
                    sentences.append(
                        _Sentence(
                            piece, f"{lead_text} {shown}", terms, hit_index, position, labels | lead_terms,
                            lead_in=lead_position, item=shown,
                        )
                    )  # fmt: skip
                else:
                    shown = f"{reply} {shown}" if reply else shown
                    sentences.append(_Sentence(piece, shown, terms, hit_index, position, labels))
            reply = ""
        return sentences

    def _compose(self, chosen: list[_Sentence], hits: list[SearchHit], confidence: Confidence) -> Answer:
        """The best sentence first, the others in reading order, each with its `[n]`;
        passages are numbered in order of first citation."""
        numbers: dict[int, int] = {}
        parts = []
        lead_ins_shown: set[tuple[int, int]] = set()
        for sentence in sorted(chosen, key=lambda s: (s is not chosen[0], s.hit_index, s.position)):
            n = numbers.setdefault(sentence.hit_index, len(numbers) + 1)
            lead_in = (sentence.hit_index, sentence.lead_in)
            shown = sentence.item if lead_in in lead_ins_shown else sentence.shown
            if sentence.lead_in is not None:
                lead_ins_shown.add(lead_in)
            parts.append(f"{shown} [{n}]")
        citations = [Citation.from_hit(n, hits[index]) for index, n in numbers.items()]
        return Answer(answer=" ".join(parts), abstained=False, citations=citations, confidence=confidence)


def _in_list_of(item: _Sentence, lead_in: _Sentence) -> bool:
    """True when `item` is an item of the list that `lead_in` introduces (and shows)."""
    return item.hit_index == lead_in.hit_index and item.lead_in == lead_in.position


def _misses_name(terms: frozenset[str], query: _Query) -> bool:
    return any(not _holds(terms, unit) for unit in query.entities)


def _misses_subject(terms: frozenset[str], query: _Query) -> bool:
    """True when `terms` (a sentence with its headings) lack a name the question is about
    or the noun it asks about."""
    return _misses_name(terms, query) or (query.asked is not None and not _holds(terms, query.asked))


def _last_heading(path: str) -> str:
    """The heading a passage stands under, as a prefix ("Verlof: "), or nothing."""
    heading = path.rpartition(" > ")[2].strip()
    return f"{heading}: " if heading else ""


def _as_sentence(text: str) -> str:
    text = text.strip().lstrip("-•* ").strip()
    return text if text[-1:] in ".!?:;" else f"{text}."


def _is_fragment(text: str) -> bool:
    text = text.strip()
    return len(text.split()) < FRAGMENT_WORDS and text[-1:] not in ".!?:;" and not re.search(r"\d", text)
