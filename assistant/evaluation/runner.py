"""Runs the gold questions through search and ask, once per retrieval mode, as a public
caller, and records what happened to each question."""

import re
import time
from collections.abc import Callable, Sequence

from tqdm import tqdm

from assistant.answers.model import Answer
from assistant.caller import Caller
from assistant.evaluation.facts import states, states_all, states_any
from assistant.evaluation.metrics import first_rank
from assistant.evaluation.questions import GoldQuestion
from assistant.evaluation.report import EvaluationReport, ModeResult, QuestionOutcome
from assistant.search.retrieval import SEARCH_MODES, SearchHit, SearchMode
from assistant.service import Kennisbank

SEARCH_TOP_K = 10
PUBLIC = Caller.member("eval")  # every question is asked as a public caller
_MARKER = re.compile(r"\[(\d+)\]")


def evaluate(
    kennisbank: Kennisbank,
    questions: list[GoldQuestion],
    modes: Sequence[SearchMode] = SEARCH_MODES,
    progress: bool = False,
) -> EvaluationReport:
    """Every question through `retriever.search` (top 10) and `ask`, in each mode, as a
    public caller (no groups) with the question's filters. One pass per mode; nothing is
    embedded but the questions. `progress` shows a progress bar on a terminal."""
    with tqdm(
        total=len(questions) * len(modes), desc="eval", unit="question", disable=not progress or None
    ) as bar:
        results = [ModeResult(mode, _run_mode(kennisbank, questions, mode, bar.update)) for mode in modes]
    settings = kennisbank.settings
    answerer = f"LLM {settings.llm_model} at {settings.llm_url}" if settings.llm_url else "extractive"
    return EvaluationReport(questions, results, answerer)


def _run_mode(
    kennisbank: Kennisbank, questions: list[GoldQuestion], mode: SearchMode, done: Callable[[], object]
) -> list[QuestionOutcome]:
    """One pass over the questions in question order. A follow-up is searched as the
    standalone question the answerer makes of it, and asked in the conversation of
    the question it follows, as a user in the chat would."""
    # Each mode's search latency includes embedding its questions, as for a user (the
    # ask after a search finds the question's embedding cached).
    kennisbank.retriever.forget_query_embeddings()
    standalone: dict[str, str] = {}
    conversations: dict[str, str | None] = {}
    outcomes = []
    for question in questions:
        previous = standalone.get(question.follows) if question.follows else None
        query = standalone[question.id] = kennisbank.answerer.standalone_question(question.question, previous)
        started = time.perf_counter()
        hits = kennisbank.retriever.search(query, top_k=SEARCH_TOP_K, filters=question.filters, mode=mode)
        searched = time.perf_counter()
        answer = kennisbank.ask(
            question.question,
            caller=PUBLIC,
            channel="eval",
            conversation_id=conversations.get(question.follows) if question.follows else None,
            filters=question.filters,
            mode=mode,
        )
        asked = time.perf_counter()
        conversations[question.id] = answer.conversation_id
        outcomes.append(_outcome(question, hits, answer, searched - started, asked - searched))
        done()
    return outcomes


def _outcome(
    question: GoldQuestion, hits: list[SearchHit], answer: Answer, search_s: float, ask_s: float
) -> QuestionOutcome:
    facts = question.key_facts
    rank = first_rank((hit.source for hit in hits), question.source) if question.source else None
    cited = {citation.n: citation.text for citation in answer.citations}
    markers = [int(n) for n in _MARKER.findall(answer.answer)]
    shown = [hit.text for hit in hits] + [answer.answer] + list(cited.values())
    return QuestionOutcome(
        question=question,
        source_rank=rank,
        location_correct=_location_correct(question, hits),
        passage_hit=bool(facts) and any(states_all(hit.text, facts) for hit in hits[:5]),
        abstained=answer.abstained,
        confidence=answer.confidence,
        answer_correct=bool(facts) and not answer.abstained and states_all(answer.answer, facts),
        markers=len(markers),
        precise_markers=sum(1 for n in markers if n in cited and states_any(cited[n], facts)),
        facts_shown=any(states(text, fact) for text in shown for fact in facts),
        search_ms=search_s * 1000,
        ask_ms=ask_s * 1000,
    )


def _location_correct(question: GoldQuestion, hits: list[SearchHit]) -> bool | None:
    """See `ModeResult.location_accuracy`."""
    if question.page is None and question.article is None:
        return None
    best = next((hit for hit in hits if hit.source == question.source), None)
    return (
        best is not None
        and (question.page is None or best.page == question.page)
        and (question.article is None or best.article == question.article)
    )
