"""The gold-set evaluation (`kennisbank eval`) over the shared indexed sample corpus: the
table a user reads, the metrics behind it, and the errors a broken gold file gives."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from api.composition import build_indexer, build_kennisbank
from assistant.answers.model import Answer, Citation
from assistant.conversation import standalone_question
from assistant.evaluation import EvaluationReport, GoldQuestion, QuestionFileError, evaluate, load_questions
from assistant.evaluation.facts import states
from assistant.search.retrieval import SearchHit
from assistant.service import Kennisbank
from core.index.embedding import HashingMockEmbedding
from tests.support.environment import make_settings
from tests.support.sample_corpus import CANARY

MINUTES_2021 = "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"


def gold(
    id: str,
    question: str,
    kind: str,
    source: str | None = None,
    facts: tuple[str, ...] = (),
    **fields: object,
) -> dict:
    """One gold line; fields not given are null."""
    return {
        "id": id,
        "question": question,
        "persona": "slack",
        "kind": kind,
        "answerable": kind not in {"unanswerable", "near-miss", "restricted"},
        "source": source,
        "page": None,
        "article": None,
        "key_facts": list(facts),
        "filters": None,
        "follows": None,
        **fields,
    }


GOLD = [
    gold(
        "t-1",
        "Welke verdeelsleutel voor gedeeld personeel geldt vanaf 2022?",
        "fact",
        MINUTES_2021,
        ("70 %", "30 %"),
    ),
    gold(
        "t-2",
        "En in 2019?",
        "followup",
        "vergaderingen/2019-03-18-notulen-raad-van-bestuur.md",
        ("50 %",),
        follows="t-1",
    ),
    gold(
        "t-3",
        "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?",
        "version",
        "afsprakennota/2023-01-afsprakennota-kortevoorde.md",
        ("12 uur per week",),
        article="2",
    ),
    gold(
        "t-4",
        "Hoeveel draagt een gemeente per inwoner bij aan Midwest?",
        "filter",
        "strategie/strategisch-plan-2020-2025.pdf",
        ("EUR 1,25",),
        page=1,
        filters={"doc_type": "strategisch-plan"},
    ),
    gold("t-5", "Hoeveel parkeerplaatsen heeft de zetel van Midwest?", "unanswerable"),
    gold(
        "t-6",
        "Welk tuchtdossier besprak de Raad van Bestuur in besloten zitting?",
        "restricted",
        "bestuur/besloten-zitting-rvb.md",
        (CANARY,),
    ),
]


def write_gold(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def load(folder: Path, *rows: dict) -> list[GoldQuestion]:
    """Gold rows through the real loader, as `evaluate` receives them."""
    return load_questions(write_gold(folder / "gold.jsonl", list(rows)))


@pytest.fixture(scope="module")
def report(indexed: Kennisbank, tmp_path_factory: pytest.TempPathFactory) -> EvaluationReport:
    """The tiny gold set, evaluated once in all three modes."""
    return evaluate(indexed, load(tmp_path_factory.mktemp("gold"), *GOLD))


def test_table_puts_the_modes_side_by_side_with_every_metric(report: EvaluationReport):
    lines = report.table().splitlines()
    assert lines[0] == "answers by: extractive"
    assert lines[1].startswith("6 questions: 4 answerable, 1 unanswerable or near-miss, 1 restricted")
    table = lines[lines.index(next(line for line in lines if line.startswith("metric"))) :]
    assert table[0].split() == ["metric", "hybrid", "dense", "sparse", "target"]
    assert len({len(line) for line in table if not line.startswith("-")}) == 1, "columns not aligned"
    for label in (
        "source recall@1",
        "source recall@5",
        "source MRR@10",
        "page/article accuracy",
        "passage hit@5",
        "answer key-fact accuracy",
        "citation precision",
        "abstention",
        "false abstentions",
        "restricted leaks",
        "search latency p50 (ms)",
        "search latency p95 (ms)",
        "ask latency p50 (ms)",
        "ask latency p95 (ms)",
        "  fact (1)",
        "  followup (1)",
    ):
        row = next((line for line in table if line.startswith(label)), None)
        assert row is not None, f"no row {label!r}"
        assert len(row[len(label) :].split()) >= 3, row


def test_json_has_every_mode_with_per_kind_breakdowns(report: EvaluationReport):
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data["modes"]) == ["hybrid", "dense", "sparse"]
    hybrid = data["modes"]["hybrid"]
    assert set(hybrid["by_kind"]) == {"recall@5", "key_fact_accuracy"}
    assert set(hybrid["by_kind"]["recall@5"]) == {"fact", "followup", "version", "filter"}
    assert data["questions"] == {"total": 6, "answerable": 4, "unanswerable": 1, "restricted": 1}


def test_question_whose_source_is_found_first_scores_recall_one(indexed: Kennisbank, tmp_path: Path):
    single = evaluate(indexed, load(tmp_path, GOLD[0]), modes=["sparse"]).to_dict()["modes"]["sparse"]
    assert single["metrics"]["recall@1"] == 1.0
    assert single["metrics"]["mrr@10"] == 1.0
    assert single["misses"]["recall@5"] == []


def test_question_whose_source_is_missing_scores_recall_zero(indexed: Kennisbank, tmp_path: Path):
    missing = load(tmp_path, {**GOLD[0], "source": "nergens/bestaat-niet.md"})
    metrics = evaluate(indexed, missing, modes=["hybrid"]).to_dict()["modes"]["hybrid"]["metrics"]
    assert metrics["recall@5"] == 0.0 and metrics["mrr@10"] == 0.0


def test_follow_up_is_searched_and_asked_in_its_conversation(
    indexed: Kennisbank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """ "En in 2019?" names no topic: it must be searched together with the question it
    follows and asked in that question's conversation, as a user in the chat asks it."""
    queries: list[str] = []
    answers: list[Answer] = []
    real_search, real_ask = indexed.retriever.search, indexed.ask

    def search(query: str, **kwargs) -> list[SearchHit]:
        queries.append(query)
        return real_search(query, **kwargs)

    def ask(question: str, **kwargs) -> Answer:
        answers.append(real_ask(question, **kwargs))
        return answers[-1]

    monkeypatch.setattr(indexed.retriever, "search", search)
    monkeypatch.setattr(indexed, "ask", ask)
    evaluate(indexed, load(tmp_path, *GOLD[:2]), modes=["sparse"])
    joined = standalone_question("En in 2019?", GOLD[0]["question"])
    assert "verdeelsleutel" in joined
    assert joined in queries and "En in 2019?" not in queries
    assert answers[1].conversation_id == answers[0].conversation_id
    assert answers[1].standalone_question == joined


def test_unanswerable_question_counts_towards_abstention(report: EvaluationReport):
    assert all(result.metrics()["abstention"] == 1.0 for result in report.results)


def test_real_system_leaks_nothing_restricted(report: EvaluationReport):
    assert [result.metrics()["restricted_leaks"] for result in report.results] == [0, 0, 0]
    row = next(line for line in report.table().splitlines() if line.startswith("restricted leaks"))
    assert row.split()[-4:] == ["0", "0", "0", "0"]  # three modes, then the target


def test_table_shows_the_targets_next_to_the_measured_values(report: EvaluationReport):
    rows = {line[:36].strip(): line.split() for line in report.table().splitlines()}
    assert rows["answer key-fact accuracy"][-1] == ">=0.85"
    assert rows["false abstentions"][-1] == "<=0.05"
    assert rows["confidently wrong"][-1] == "<=0.05"
    assert rows["unanswerable: no sure answer"][-1] == ">=0.85"
    assert rows["ask latency p50 (ms)"][-1] == "<=300"
    assert report.to_dict()["targets"]["abstention"] == ">=0.9"


@pytest.mark.parametrize("where", ["answer", "citation"])
def test_leaking_answer_is_counted(
    indexed: Kennisbank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
):
    """A regression in access control would show the canary to a public caller: the
    evaluation must count it, whether it is in the answer text or only in a citation."""
    real_ask = indexed.ask

    def leaky_ask(question: str, **kwargs) -> Answer:
        answer = real_ask(question, **kwargs)
        if where == "answer":
            leaked_text = f"Het gaat om dossier {CANARY} [1]."
            return replace(answer, answer=leaked_text, abstained=False, confidence="answered")
        leaked = Citation(
            n=1,
            document_id="x",
            title="Besloten zitting",
            source="bestuur/besloten-zitting-rvb.md",
            page=None,
            article=None,
            date=None,
            doc_type="notulen",
            text=f"Vertrouwelijk dossier {CANARY}.",
            score=1.0,
        )
        return replace(answer, citations=[leaked])

    monkeypatch.setattr(indexed, "ask", leaky_ask)
    restricted = load(tmp_path, *(row for row in GOLD if row["kind"] == "restricted"))
    result = evaluate(indexed, restricted, modes=["hybrid"]).to_dict()["modes"]["hybrid"]
    assert result["metrics"]["restricted_leaks"] == 1
    assert result["misses"]["restricted_leaks"] == ["t-6"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**GOLD[0], "page": "3"}), "'page' must be int or null"),
        (json.dumps({k: v for k, v in GOLD[0].items() if k != "key_facts"}), "missing field(s) key_facts"),
        (json.dumps({**GOLD[0], "kind": "feit"}), "'kind' is 'feit'"),
        (json.dumps({**GOLD[1], "follows": "t-99"}), "'follows' names 't-99'"),
        (json.dumps({**GOLD[4], "answerable": True}), "'answerable' is true for kind 'unanswerable'"),
        (json.dumps(GOLD[0]), "duplicate id 't-1'"),
    ],
)
def test_broken_gold_file_names_file_line_and_problem(tmp_path: Path, line: str, problem: str):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError) as error:
        load_questions(path)
    assert f"{path}:3: " in str(error.value)
    assert problem in str(error.value)


def test_folder_of_gold_files_loads_in_name_order(tmp_path: Path):
    write_gold(tmp_path / "b.jsonl", GOLD[2:4])
    write_gold(tmp_path / "a.jsonl", GOLD[:2])
    assert [q.id for q in load_questions(tmp_path)] == ["t-1", "t-2", "t-3", "t-4"]


@pytest.mark.parametrize(
    ("text", "fact", "found"),
    [
        ("inspecteert jaarlijks 4 200 hydranten", "4.200", True),
        ("2023 231.625 64.855 275.000 761.520", "275.000", True),
        ("Kortevoorde betaalt EUR 24.624 per jaar", "24.624 euro", True),
        ("een bijdrage van 3 euro per inwoner", "EUR 3 per inwoner", True),
        ("Vanaf 2022 betalen de gemeenten 70%", "70 %", True),
        ("Twee  Dagen per\nweek", "twee dagen per week", True),
        ("loopt tot 2031", "31", False),
        ("zie bron [31]", "31", False),
        ("van 9 tot 11.30 uur", "9 tot 1130 uur", False),
        ("Projectvereniging: 6 jaar, verlengbaar", "zes jaar", True),
        ("de stuurgroep vergadert drie keer per jaar", "3 keer per jaar", True),
        ("de zesde vergadering", "zes", False),
        ("vijf dagen", "zes dagen", False),
    ],
)
def test_key_facts_tolerate_spacing_case_currency_and_digit_groups(text: str, fact: str, found: bool):
    assert states(text, fact) is found


def test_a_deployment_measures_its_own_llm_with_the_same_figures(
    fake_openai, sample_corpus: Path, tmp_path: Path
):
    """Issue #15, item 5: with KENNISBANK_LLM_URL the evaluation asks the model (here the fake
    OpenAI-compatible server on loopback) and reports the same figures, naming the model."""
    server, url = fake_openai
    server.requests.clear()
    server.reply(
        "Vanaf 2022 betalen de gemeenten 70 % volgens de inzet en 30 % volgens het inwonersaantal [1]."
    )
    settings = make_settings(tmp_path / "data", llm_url=url, llm_model="fake-model", llm_timeout_s=10)
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        assert build_indexer(kennisbank).ingest([sample_corpus], progress=False).ok
        questions = load(tmp_path, *(row for row in GOLD if row["id"] == "t-1"))
        report = evaluate(kennisbank, questions, modes=["hybrid"])
    finally:
        kennisbank.close()
    assert report.answerer == f"LLM fake-model at {url}"
    assert report.table().startswith(f"answers by: LLM fake-model at {url}\n")
    metrics = report.to_dict()["modes"]["hybrid"]["metrics"]
    assert metrics["key_fact_accuracy"] == 1.0 and metrics["confidently_wrong"] == 0.0
    assert any("Vraag:" in prompt for prompt in server.prompts())  # the model was asked
