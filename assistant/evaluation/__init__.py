"""The gold-set evaluation behind `kennisbank eval`: load the gold questions, run them
through search and ask in each retrieval mode, and report retrieval, answer, abstention,
access and latency metrics side by side."""

from assistant.evaluation.questions import GoldQuestion, QuestionFileError, load_questions
from assistant.evaluation.report import EvaluationReport, ModeResult, QuestionOutcome
from assistant.evaluation.runner import evaluate

__all__ = [
    "EvaluationReport",
    "GoldQuestion",
    "ModeResult",
    "QuestionFileError",
    "QuestionOutcome",
    "evaluate",
    "load_questions",
]
