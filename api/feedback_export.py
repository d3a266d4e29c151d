"""Thumbs-down answers as candidate gold questions: lines in the format of
`eval/questions/*.jsonl`, so a bad answer becomes a test once a person has checked it.

Feedback does not say what the right answer is, so each line is a `fact` question whose
source, page and article are those the answer cited first, and whose key fact is a
placeholder that fails the evaluation until someone fills it in. The answer that was
given and the comment go to a review list beside it.
"""

import json

from assistant.state import RatedAnswer

KEY_FACT_PLACEHOLDER = "TE CONTROLEREN: vul het kernfeit in"


def candidate_questions(rated: list[RatedAnswer]) -> tuple[list[dict], list[str]]:
    """The gold-question lines (one per rated answer) and one review note per answer;
    answers that cite nothing have no source to start from and only get a note."""
    lines: list[dict] = []
    notes: list[str] = []
    seen: set[str] = set()
    for item in rated:
        if item.answer_id in seen:
            continue
        seen.add(item.answer_id)
        question_id = f"feedback-{item.answer_id[:12]}"
        first = item.citations[0] if item.citations else None
        notes.append(_note(question_id, item, has_source=first is not None))
        if first is None:
            continue
        lines.append(
            {
                "id": question_id,
                # The standalone form: a follow-up's own words need the question it followed.
                "question": item.standalone_question or item.question,
                "persona": "slack" if item.channel == "slack" else "onboarding",
                "kind": "fact",
                "answerable": True,
                "source": first["source"],
                "page": first.get("page"),
                "article": first.get("article"),
                "key_facts": [KEY_FACT_PLACEHOLDER],
                "filters": None,
                "follows": None,
            }
        )
    return lines, notes


def to_jsonl(lines: list[dict]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _note(question_id: str, item: RatedAnswer, *, has_source: bool) -> str:
    given = "abstained: " if item.abstained else ""
    parts = [
        f"{question_id} ({item.channel}, {item.rated_at:%Y-%m-%d}): {item.question}",
        f"  answer given: {given}{item.answer}",
    ]
    if item.comment:
        parts.append(f"  comment: {item.comment}")
    if not has_source:
        parts.append("  no source cited: not exported; add this question by hand")
    return "\n".join(parts)
