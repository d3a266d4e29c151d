"""Slack formatting, in one place: the assistant's Markdown as Slack mrkdwn, the answer as
Block Kit (text, compact sources, feedback buttons), and the question read back out of a
Slack message. Plain functions of plain values, so they are tested without Slack."""

import html
import re

from api.links import document_view_url
from assistant.answers.model import Answer, Citation
from assistant.service import InvalidQuestion

SEARCHING = "zoeken..."
APOLOGY = "Sorry, er liep iets mis bij het zoeken in de kennisbank. Probeer het later opnieuw."
EMPTY_QUESTION = "Welke vraag heb je? Bijvoorbeeld: _Wie onderhoudt de brandkranen?_"
INVITE_FIRST = "Ik kan hier niet antwoorden: nodig me eerst uit in dit kanaal met `/invite @Kennisbank`."
THANKS = "Bedankt voor je feedback."
UNKNOWN_ANSWER = "Dit antwoord is niet (meer) bekend; je feedback is niet bewaard."
FEEDBACK_ACTION = re.compile(r"^feedback_(up|down)$")
SHARE_ACTION = "share_answer"
WARNING_MARK = ":warning: Let op:"

# Slack refuses a section text over 3000 characters and a button value over 2000.
_SECTION_CHARS = 3000
_BUTTON_VALUE_CHARS = 2000

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)
# Bold is parked on a character that cannot occur in text while `*italic*` becomes `_italic_`.
_BOLD_MARK = "\x00"

# What Slack puts in a message's text: <@U123> mentions, <url|label> links, &amp; escapes.
_SLACK_MENTION = re.compile(r"<[@!#][^>]*>")
_SLACK_LINK = re.compile(r"<([^>|]+)(?:\|([^>]*))?>")


def to_mrkdwn(markdown: str) -> str:
    """Markdown as Slack mrkdwn: **bold** → *bold*, *italic* → _italic_, [text](url) →
    <url|text>, list items → •, headings → bold lines. `[n]` citation markers stay as they
    are (they are not followed by a link). &, < and > are escaped as Slack requires."""
    text = html.escape(markdown, quote=False)
    text = _HEADING.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1) or m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = text.replace(_BOLD_MARK, "*")
    text = _LINK.sub(r"<\2|\1>", text)
    return _BULLET.sub(r"\1• ", text)


def question_from_slack(text: str) -> str:
    """The question in a Slack message: mentions removed, links reduced to their label
    (or address), Slack's escapes undone, whitespace collapsed."""
    text = _SLACK_MENTION.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(html.unescape(text).split())


def document_link(citation: Citation, public_url: str) -> str | None:
    """The chat page's view of the cited document, at the cited page or article (escaped
    for mrkdwn: its `&` as `&amp;`); None without a public URL."""
    if not public_url:
        return None
    url = document_view_url(public_url, citation.document_id, page=citation.page, article=citation.article)
    return _escape(url)


def source_line(citation: Citation, public_url: str) -> str:
    """'[1] <link|Title> · p. 3 · art. 5 · 2021-06-21': one compact line per source."""
    title = _escape(citation.title or citation.source)
    link = document_link(citation, public_url)
    details = [
        f"<{link}|{title}>" if link else f"*{title}*",
        f"p. {citation.page}" if citation.page else "",
        f"art. {_escape(citation.article)}" if citation.article else "",
        citation.date or "",
    ]
    return f"[{citation.n}] " + " · ".join(part for part in details if part)


def answer_blocks(
    answer: Answer, public_url: str, *, intro: str | None = None, shareable: bool = False
) -> list[dict]:
    """The answer as Block Kit: an optional intro line, for a possible answer the words
    that say so ("Mogelijk antwoord: controleer de bron"), the answer text, its sources (or
    the closest documents when it abstained), a small line with the answer's warnings (a
    sentence dropped for lack of a source, the language model unreachable), and feedback
    buttons carrying its `answer_id`. `shareable` adds the "Deel in kanaal" button (for
    private /kennisbank answers)."""
    blocks: list[dict] = []
    if intro:
        blocks.append(_context(intro))
    if answer.confidence == "possible":
        blocks.append(_context(f":grey_question: *{answer.confidence_label}*"))
    blocks += [_section(part) for part in _split(to_mrkdwn(answer.answer), _SECTION_CHARS)]
    if answer.citations:
        heading = "Dichtstbijzijnde documenten" if answer.abstained else "Bronnen"
        lines = [f"*{heading}*"] + [source_line(c, public_url) for c in answer.citations]
        blocks += [_context(part) for part in _split("\n".join(lines), _SECTION_CHARS)]
    if answer.warnings:
        notes = "\n".join(f"{WARNING_MARK} {_escape(warning)}" for warning in answer.warnings)
        blocks += [_context(part) for part in _split(notes, _SECTION_CHARS)]
    answer_id = answer.answer_id or ""
    buttons = [
        _button("👍 Nuttig", "feedback_up", answer_id),
        _button("👎 Niet nuttig", "feedback_down", answer_id),
    ]
    if shareable:
        buttons.append(_button("Deel in kanaal", SHARE_ACTION, answer.question[:_BUTTON_VALUE_CHARS]))
    blocks.append({"type": "actions", "elements": buttons})
    return blocks


def question_problem(problem: InvalidQuestion) -> str:
    """Why a question cannot be asked, in Dutch."""
    if problem.problem == "empty":
        return EMPTY_QUESTION
    return f"Je vraag is te lang: maximaal {problem.limit} tekens."


def shared_by(user_id: str, question: str) -> str:
    """The line above an answer shared from a private /kennisbank answer."""
    return f"<@{user_id}> deelde de vraag: _{_escape(question)}_"


def notification_text(answer: Answer) -> str:
    """The plain text Slack shows in notifications and where blocks cannot be shown."""
    label = f"{answer.confidence_label}: " if answer.confidence == "possible" else ""
    return f"{label}{answer.answer}"[:_SECTION_CHARS]


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _split(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends or spaces where possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces
