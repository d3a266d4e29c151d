"""Where a front end links a cited document: the chat page's document view, which shows
the document's passages with the cited page or article marked and links the original
file. One address for Slack, the OpenAI endpoint and the page itself."""

from urllib.parse import urlencode


def document_view_url(base_url: str, document_id: str, *, page: int | None, article: str | None) -> str:
    """`BASE/?document=ID&page=N&article=A`, leaving out what is not known."""
    query: dict[str, str | int] = {"document": document_id}
    if page:
        query["page"] = page
    if article:
        query["article"] = article
    return f"{base_url.rstrip('/')}/?{urlencode(query)}"
