"""The answer every front end shows: text with `[n]` markers and the numbered passages
those markers point to, and what every answerer has in common."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol

from assistant.search.retrieval import SearchHit


@dataclass(frozen=True)
class Citation:
    """Passage number `n` of an answer, with where to find it. `groups` are its document's
    access groups, kept for the audit record and not shown (see `SearchHit`)."""

    n: int
    document_id: str
    title: str
    source: str
    page: int | None
    article: str | None
    date: str | None
    doc_type: str
    text: str
    score: float
    groups: tuple[str, ...] = ()

    @classmethod
    def from_hit(cls, n: int, hit: SearchHit) -> "Citation":
        return cls(
            n=n,
            document_id=hit.document_id,
            title=hit.title,
            source=hit.source,
            page=hit.page,
            article=hit.article,
            date=hit.date,
            doc_type=hit.doc_type,
            text=hit.text,
            score=hit.score,
            groups=hit.groups,
        )

    def to_dict(self) -> dict:
        shown = asdict(self)
        del shown["groups"]
        return shown


Confidence = Literal["answered", "possible", "not_found"]
"""How sure an answer is, shown in every channel: `answered` (the passages say it),
`possible` (a passage on the subject, to be checked: "mogelijk antwoord"), or `not_found`
(the documents do not answer; the closest documents are listed)."""
CONFIDENCE_LABELS: dict[str, str] = {
    "answered": "Antwoord",
    "possible": "Mogelijk antwoord: controleer de bron",
    "not_found": "Niet gevonden in de documenten",
}


@dataclass(frozen=True)
class Answer:
    """`answer` marks each claim with `[n]`, n being a citation's number. When the
    documents do not answer the question, `abstained` is True, the answer says so in one
    sentence and `citations` lists the closest documents (cited by no claim). `warnings`
    says what the user should know about how the answer was made (a sentence dropped for
    lack of a source, the LLM being unreachable), in Dutch, one line each. `answer_id` is
    set when the answer is recorded (`Kennisbank.ask`): feedback points at it.
    `confidence` says how sure the answer is (see `Confidence`); it is `not_found` exactly
    when `abstained`."""

    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    conversation_id: str | None = None
    question: str = ""
    standalone_question: str = ""
    warnings: list[str] = field(default_factory=list)
    answer_id: str | None = None
    confidence: Confidence = "answered"

    def __post_init__(self) -> None:
        """An abstention is `not_found` whatever was passed; an answer cannot be."""
        if self.abstained:
            object.__setattr__(self, "confidence", "not_found")
        elif self.confidence == "not_found":
            raise ValueError("an answer that did not abstain cannot be not_found")

    @property
    def confidence_label(self) -> str:
        """The Dutch words every front end shows for `confidence`."""
        return CONFIDENCE_LABELS[self.confidence]

    def to_dict(self) -> dict:
        """Every field (of the citations, what `Citation.to_dict` shows), and the Dutch words
        for the confidence that every front end shows."""
        return {
            **asdict(self),
            "citations": [citation.to_dict() for citation in self.citations],
            "confidence_label": self.confidence_label,
        }


NO_ANSWER = "De documenten geven geen antwoord op deze vraag."
CLOSEST_DOCUMENTS = 3


def abstention(hits: list[SearchHit], warnings: list[str] | None = None) -> Answer:
    """The answer when the documents do not hold one: that sentence, then the closest
    documents (best passage of each, at most `CLOSEST_DOCUMENTS`) named and listed."""
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
        warnings=list(warnings or []),
    )


class Answerer(Protocol):
    """What `Kennisbank` needs from an answerer (extractive or LLM)."""

    def standalone_question(self, question: str, previous: str | None) -> str:
        """`question` resolved against the conversation's previous (standalone) question."""
        ...

    def answer(self, question: str, standalone: str, hits: list[SearchHit]) -> Answer: ...

    def stream(self, question: str, standalone: str, hits: list[SearchHit]) -> Iterator[str | Answer]:
        """Pieces of answer text as they are made, then the final `Answer`, which is
        authoritative (a post-check may have changed the text)."""
        ...
