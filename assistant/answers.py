"""The answer every front end shows: text with `[n]` markers and the numbered passages
those markers point to."""

from dataclasses import asdict, dataclass, field

from assistant.retrieval import SearchHit


@dataclass(frozen=True)
class Citation:
    """Passage number `n` of an answer, with where to find it."""

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
        )


@dataclass(frozen=True)
class Answer:
    """`answer` marks each claim with `[n]`, n being a citation's number. When the
    documents do not answer the question, `abstained` is True, the answer says so in one
    sentence and `citations` lists the closest documents (cited by no claim)."""

    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    conversation_id: str | None = None
    question: str = ""
    standalone_question: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
