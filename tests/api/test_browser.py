"""The chat page in a real browser: Debian's headless Chromium, driven by Playwright, on
the real app served on a loopback port over the sample corpus (mock embedder).

Screenshots for a person to look at go to a temp dir (printed; run pytest with -s to see
the path) or to KENNISBANK_SCREENSHOT_DIR."""

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from api.http.app import create_app
from assistant.search.catalog import DocumentCatalog
from assistant.service import Kennisbank
from assistant.state.store import answers
from loopback.server import free_port, live_server
from tests.support.api import LLM_DOWN, app_for, new_key, unreachable_llm
from tests.support.oidc_provider import INSTALLED, NODE, running_provider, sign_in_settings
from tests.support.sample_corpus import CANARY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

pytestmark = [
    pytest.mark.slow,  # a browser: out of the fast loop
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need Debian's chromium at /usr/bin/chromium (`make test` installs it as root)",
    ),
]

PLAN_QUESTION = "Hoeveel dragen de lokale besturen per inwoner per jaar bij?"
UNANSWERABLE_QUESTION = "Welke kleur heeft de bestelwagen van de technische dienst?"


@pytest.fixture(scope="module")
def base_url(indexed: Kennisbank) -> Iterator[str]:
    with live_server(create_app(indexed)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def opened_page(
    browser: Browser, base_url: str, viewport: dict = DESKTOP, *, filters: bool = True
) -> Iterator[Page]:
    """The chat page, loaded, in its own browser context; fails on any JavaScript error.
    With `filters`, waits until the filter options (from /api/documents) are in."""
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="nl-BE")
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto("/")
    if filters:
        expect(page.locator("#filter-type option")).not_to_have_count(1)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture()
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with opened_page(browser, base_url, DESKTOP) as page:
        yield page


@pytest.fixture()
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    with opened_page(browser, base_url, PHONE) as page:
        yield page


def ask(page: Page, question: str) -> Locator:
    """Type a question, send it with Enter, and return its turn once the reply is complete."""
    page.locator("#question").fill(question)
    page.locator("#question").press("Enter")
    turn = page.locator(".turn").last
    expect(turn.locator(".question-text")).to_have_text(question)
    expect(turn.locator('.answer[aria-busy="false"], .search-results, .error')).to_have_count(1)
    return turn


def stream_requests(page: Page) -> list[dict]:
    """The JSON bodies the page sends to the streaming ask endpoint, as it sends them."""
    bodies: list[dict] = []
    page.on(
        "request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/api/ask/stream") else None
    )
    return bodies


def test_answer_streams_in_and_its_source_chip_opens_the_pdf_passage(page: Page, base_url: str) -> None:
    # Record each rendering of the answer text to see it grow while the deltas arrive.
    page.evaluate(
        """() => {
        window.renders = [];
        new MutationObserver((records) => {
          for (const record of records)
            if (record.target.classList && record.target.classList.contains("answer-text"))
              window.renders.push([...record.addedNodes].map((node) => node.textContent).join(""));
        }).observe(document.getElementById("conversation"), { childList: true, subtree: true });
    }"""
    )
    turn = ask(page, PLAN_QUESTION)

    answer_text = turn.locator(".answer-text")
    expect(answer_text).to_contain_text("1,25 euro per inwoner")
    final = answer_text.text_content()
    renders = page.evaluate("window.renders")
    assert any(len(r) < len(final) and final.startswith(r) for r in renders if r), renders
    expect(page.locator("#welcome")).to_be_hidden()
    expect(turn.locator(".answer-notes")).to_be_hidden()  # a good answer has no warnings

    chip = answer_text.get_by_role("button", name="Bron 1: Strategisch plan 2020-2025")
    expect(chip).to_have_text("1")
    expect(turn.locator(".source-item")).to_contain_text(["Strategisch plan 2020-2025"])
    chip.click()

    dialog = page.get_by_role("dialog", name="Strategisch plan 2020-2025")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".source-meta")).to_contain_text("Strategisch plan")
    expect(dialog.locator(".source-meta")).to_contain_text("p. 1")
    expect(dialog.locator(".source-text")).to_contain_text("1,25 euro per inwoner")
    link = dialog.get_by_role("link", name="Open het originele document op pagina 1")
    expect(link).to_have_attribute("href", f"/api/documents/{_pdf_document_id(page)}/file#page=1")
    expect(link).to_have_attribute("target", "_blank")
    assert page.evaluate("document.getElementById('source-dialog').contains(document.activeElement)")

    original = page.request.get(base_url + link.get_attribute("href").split("#")[0])
    assert original.ok and original.headers["content-type"] == "application/pdf"

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert chip.evaluate("element => element === document.activeElement"), "focus returns to the chip"


def _pdf_document_id(page: Page) -> str:
    """The id of the strategic plan PDF, from the API (the page shows titles, not ids)."""
    documents = page.request.get("/api/documents").json()["documents"]
    return next(doc["document_id"] for doc in documents if doc["title"] == "Strategisch plan 2020-2025")


def test_source_dialog_closes_with_enter_on_its_close_button(page: Page) -> None:
    turn = ask(page, PLAN_QUESTION)
    source = turn.locator(".source-button").first
    source.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#source-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(source).to_be_focused()


def test_feedback_is_confirmed_and_reaches_the_server(page: Page, indexed: Kennisbank) -> None:
    question = "Wie beheert de geografische gegevens van de gemeenten?"
    turn = ask(page, question)
    down = turn.get_by_role("button", name="Nee, geen goed antwoord")
    up = turn.get_by_role("button", name="Ja, nuttig antwoord")
    expect(down).to_have_attribute("aria-pressed", "false")

    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(turn.locator(".feedback-status")).to_have_text("Bedankt voor je feedback!")

    turn.get_by_label("Opmerking (optioneel)").fill("De loonschaal ontbreekt.")
    turn.get_by_role("button", name="Verstuur opmerking").click()
    expect(turn.locator(".feedback-status")).to_have_text("Bedankt, je opmerking is doorgegeven.")

    rated = [entry for entry in indexed.state.thumbs_down() if entry.question == question]
    assert rated, "the thumbs-down is stored with its question"
    assert "De loonschaal ontbreekt." in [entry.comment for entry in rated]
    assert rated[0].citations, "the stored answer keeps its citations"
    # Told apart from other API clients in the export: the page's answers and feedback are "web".
    assert {entry.channel for entry in rated} == {"web"}
    with indexed.state.engine.connect() as connection:
        recorded = connection.execute(answers.select().where(answers.c.id == rated[0].answer_id)).one()
    assert recorded.channel == "web"


def test_follow_up_continues_the_conversation_and_new_conversation_starts_over(page: Page) -> None:
    bodies = stream_requests(page)
    with page.expect_response("**/api/ask/stream") as first_response:
        ask(page, "Hoe worden de kosten van gedeeld personeel verdeeld vanaf 2022?")
    conversation_id = _citations_event(first_response.value.text())["conversation_id"]
    assert conversation_id

    follow_up = ask(page, "En in 2019?")
    assert "conversation_id" not in bodies[0]
    assert bodies[1]["conversation_id"] == conversation_id
    # Understood in context: the 2019 minutes on the cost split answer it.
    expect(follow_up.locator(".source-item-title")).to_contain_text(
        ["Notulen Raad van Bestuur 18 maart 2019"]
    )
    expect(page.locator(".turn")).to_have_count(2)

    page.get_by_role("button", name="Nieuw gesprek").click()
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    ask(page, "Wat is de verdeelsleutel?")
    assert "conversation_id" not in bodies[2]


def _citations_event(stream: str) -> dict:
    for block in stream.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if lines.get("event") == "citations":
            return json.loads(lines["data"])
    raise AssertionError(f"no citations event in {stream!r}")


def test_suggested_question_is_asked_with_one_click(page: Page) -> None:
    page.get_by_role("button", name="Wat doet Midwest?").click()
    turn = page.locator(".turn").last
    expect(turn.locator(".question-text")).to_have_text("Wat doet Midwest?")
    expect(turn.locator('.answer[aria-busy="false"]')).to_have_count(1)


def test_type_and_year_filters_narrow_the_sources(page: Page) -> None:
    bodies = stream_requests(page)
    page.get_by_label("Documenttype").select_option(label="Afsprakennota")
    page.get_by_label("Jaar").select_option("2023")
    turn = ask(page, "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?")

    assert bodies[-1]["filters"] == {"doc_type": "afsprakennota", "year": 2023}
    expect(turn.locator(".question-filters")).to_have_text("Type: Afsprakennota · Jaar: 2023")
    expect(turn.locator(".answer-text")).to_contain_text("12 uur per week")
    metas = turn.locator(".source-item-meta")
    expect(metas).not_to_have_count(0)
    for meta in metas.all():
        expect(meta).to_contain_text("Afsprakennota")
        expect(meta).to_contain_text("2023")


def test_search_only_lists_documents_with_their_best_passages(page: Page) -> None:
    page.get_by_text("Alleen zoeken").click()
    expect(page.locator("#send")).to_have_text("Zoek")
    turn = ask(page, "verdeelsleutel gedeeld personeel")

    expect(turn.locator(".answer")).to_have_count(0)
    titles = turn.locator(".document-title")
    expect(titles).to_contain_text(
        ["Notulen Raad van Bestuur 21 juni 2021", "Notulen Raad van Bestuur 18 maart 2019"]
    )
    assert len(set(titles.all_text_contents())) == titles.count(), "each document is listed once"
    first = turn.locator(".document-card").first
    expect(first.locator(".passage")).not_to_have_count(0)
    expect(first.locator(".passage-text").first).to_contain_text("verdeelsleutel")

    first.locator(".passage").first.click()
    expect(page.locator("#source-dialog")).to_be_visible()
    expect(page.locator("#source-title")).to_have_text(titles.first.text_content())
    page.keyboard.press("Escape")

    page.get_by_label("Jaar").select_option("2019")
    filtered = ask(page, "verdeelsleutel gedeeld personeel")
    expect(filtered.locator(".document-title")).to_have_text(["Notulen Raad van Bestuur 18 maart 2019"])


def test_unanswerable_question_is_shown_as_not_found_with_the_closest_documents(page: Page) -> None:
    turn = ask(page, UNANSWERABLE_QUESTION)
    answer = turn.locator(".answer")
    expect(answer).to_have_class("answer answer-abstained")
    expect(answer.locator(".answer-badge")).to_have_text("Niet gevonden in de documenten")
    expect(answer.locator(".answer-text")).to_contain_text("geven geen antwoord")
    expect(answer.locator(".sources-title")).to_have_text("Documenten die het dichtst in de buurt komen")
    expect(answer.locator(".source-item")).not_to_have_count(0)


def test_keyboard_alone_reaches_the_question_box_and_sends(page: Page) -> None:
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question":
            break
    expect(page.locator("#question")).to_be_focused()

    page.keyboard.type("Wat doet de GIS-coördinator?")
    page.keyboard.press("Shift+Enter")
    expect(page.locator(".turn")).to_have_count(0)
    assert page.locator("#question").input_value().endswith("\n"), "Shift+Enter starts a new line"

    page.keyboard.press("Enter")
    turn = page.locator(".turn").last
    expect(turn.locator('.answer[aria-busy="false"]')).to_have_count(1)
    expect(page.locator("#question")).to_have_value("")
    expect(page.locator("#question")).to_be_focused()


def _fail_with_status(status: int):
    def fail(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json", body='{"detail": "refused"}')

    return fail


def _fail_with_error_event(route: Route) -> None:
    body = 'event: delta\ndata: {"text": "De "}\n\nevent: error\ndata: {"detail": "the answer failed"}\n\n'
    route.fulfill(status=200, content_type="text/event-stream", body=body)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (_fail_with_status(500), "Er ging iets mis op de server."),
        (_fail_with_status(429), "Je stelde veel vragen kort na elkaar."),
        (lambda route: route.abort("connectionrefused"), "Geen verbinding met de server."),
        (_fail_with_error_event, "Er ging iets mis bij het beantwoorden van je vraag."),
    ],
    ids=["http-500", "http-429", "network-down", "error-event"],
)
def test_failures_are_explained_in_dutch_and_the_question_is_kept(page: Page, failure, message: str) -> None:
    page.route("**/api/ask/stream", failure)
    turn = ask(page, PLAN_QUESTION)
    expect(turn.get_by_role("alert")).to_contain_text(message)
    expect(turn.locator(".answer")).to_have_count(0)
    expect(page.locator("#question")).to_have_value(PLAN_QUESTION)


def test_answer_text_cannot_inject_markup_and_only_known_markers_become_chips(page: Page) -> None:
    """The server (or an LLM behind it) is not trusted with HTML: the page shows it as text."""
    answer = {
        "answer": 'Zie <img src="/x" onerror="window.pwned=1"> en ![logo](http://example.com/a.png) [1] [7]',
        "abstained": False,
        "citations": [
            {
                "n": 1,
                "document_id": "doc",
                "title": "<b>Titel</b>",
                "source": "a.md",
                "page": None,
                "article": "3",
                "date": "2023-01-01",
                "doc_type": "afsprakennota",
                "text": "<script>window.pwned=1</script>",
                "score": 0.9,
            }
        ],
        "conversation_id": "c1",
        "answer_id": "a1",
    }
    body = f"event: citations\ndata: {json.dumps(answer)}\n\nevent: done\ndata: {{}}\n\n"
    page.route("**/api/ask/stream", lambda route: route.fulfill(content_type="text/event-stream", body=body))
    turn = ask(page, "Toon een vreemd antwoord")

    text = turn.locator(".answer-text")
    expect(text).to_contain_text('<img src="/x" onerror="window.pwned=1">')
    expect(text).to_contain_text("![logo](http://example.com/a.png)")
    assert turn.locator("img, script, b, a[href^='http']").count() == 0
    expect(text.get_by_role("button")).to_have_count(1)
    expect(text.get_by_role("button")).to_have_text("1")
    text.get_by_role("button").click()
    expect(page.locator("#source-title")).to_have_text("<b>Titel</b>")
    expect(page.locator(".source-text")).to_have_text("<script>window.pwned=1</script>")
    assert page.evaluate("window.pwned") is None


def test_every_control_has_a_name_and_text_meets_contrast(page: Page) -> None:
    ask(page, PLAN_QUESTION)
    ask(page, UNANSWERABLE_QUESTION)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll("button, a[href], input, select, textarea")]
        .filter((el) => el.getClientRects().length)
        .filter((el) => !(el.getAttribute("aria-label") || (el.labels && el.labels.length) ||
                          el.textContent.trim()))
        .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    low = page.evaluate(CONTRAST_CHECK)
    assert low == [], f"text below 4.5:1 contrast: {low}"


# Contrast of every visible text against the first opaque background behind it (WCAG
# relative luminance). Colours on this page are opaque, so no blending is needed.
CONTRAST_CHECK = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const low = [];
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    if (el.closest(".visually-hidden, [hidden], dialog:not([open])")) continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push(`${node.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""


def test_a_source_opens_the_whole_document_with_the_cited_page_marked(page: Page) -> None:
    turn = ask(page, PLAN_QUESTION)
    turn.locator(".chip").first.click()
    whole = page.get_by_role("link", name="Toon het hele document")
    document_id = _pdf_document_id(page)
    expect(whole).to_have_attribute("href", f"/?document={document_id}&page=1")

    page.goto(f"/?document={document_id}&page=2")  # as Slack and the OpenAI endpoint link it
    view = page.locator("#document-view")
    expect(view.get_by_role("heading", level=1)).to_have_text("Strategisch plan 2020-2025")
    expect(view.locator(".document-view-meta")).to_contain_text("TypeStrategisch plan")
    expect(view.locator(".document-view-meta")).to_contain_text("StatusGeldend")
    expect(view.locator(".document-view-meta")).to_contain_text("Geciteerdp. 2")
    expect(view.locator(".document-passage")).to_have_count(2)
    cited = view.locator(".document-passage-cited")
    expect(cited).to_have_count(1)
    expect(cited).to_contain_text("Geciteerd")
    expect(cited).to_contain_text("beleidsdomeinen bestuur, cultuur en erfgoed")
    expect(cited).to_be_focused()
    expect(cited).to_be_in_viewport()
    file_link = view.get_by_role("link", name="Open het originele document op pagina 2")
    expect(file_link).to_have_attribute("href", f"/api/documents/{document_id}/file#page=2")
    expect(page.locator("#welcome")).to_be_hidden()

    # Asking a question from here leaves the document for the conversation.
    ask(page, "Wat doet Midwest?")
    expect(view).to_be_hidden()


def test_the_document_view_of_an_unknown_document_says_so(page: Page) -> None:
    page.goto("/?document=bestaat-niet-00000000")
    expect(page.get_by_role("alert")).to_have_text(
        "Dit document bestaat niet of je hebt er geen toegang toe. "
        "Heb je een sleutel, vul die dan in via ‘Sleutel’ bovenaan."
    )
    expect(page.locator("#document-view h1")).to_have_text("Document niet gevonden")


def test_similar_documents_are_found_from_a_pasted_text(page: Page) -> None:
    page.get_by_text("Vergelijkbare documenten").click()
    expect(page.locator("#question")).to_have_attribute(
        "placeholder", "Plak een tekst om documenten over hetzelfde te vinden"
    )
    turn = ask(
        page, "De gemeenten betalen het gedeelde personeel volgens een verdeelsleutel op inzet en inwoners."
    )
    expect(turn.locator(".question-filters")).to_have_text("Vergelijkbare documenten")
    expect(turn.locator(".document-title").first).to_contain_text("Notulen Raad van Bestuur")
    expect(turn.locator(".document-title")).to_contain_text(
        ["Notulen Raad van Bestuur 21 juni 2021", "Notulen Raad van Bestuur 18 maart 2019"]
    )


@pytest.fixture(scope="module")
def keyed(indexed: Kennisbank) -> Iterator[tuple[str, str]]:
    """A server and a key for the group `bestuur`, which may see the restricted document."""
    app, variant = app_for(indexed)
    key = new_key(variant, "bestuur-browser", "bestuur")["Authorization"].removeprefix("Bearer ")
    with live_server(app) as url:
        yield url, key


def _restricted_id(indexed: Kennisbank) -> str:
    documents = DocumentCatalog(indexed.store).documents(groups=frozenset({"bestuur"}))
    return next(doc.document_id for doc in documents if doc.source == "bestuur/besloten-zitting-rvb.md")


def _enter_key(page: Page, key: str) -> None:
    page.get_by_role("button", name="Sleutel (niet ingesteld)").click()
    dialog = page.get_by_role("dialog", name="Sleutel")
    expect(dialog.get_by_label("API-sleutel")).to_be_focused()
    page.keyboard.type(key)
    page.keyboard.press("Enter")  # submits with the first button: Bewaren
    expect(dialog).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Sleutel bewaard.")


def test_with_a_key_for_its_group_a_restricted_document_becomes_visible(
    browser: Browser, keyed: tuple[str, str], indexed: Kennisbank
) -> None:
    url, key = keyed
    restricted = _restricted_id(indexed)
    with opened_page(browser, url) as page:
        page.goto(f"/?document={restricted}")
        expect(page.get_by_role("alert")).to_contain_text("bestaat niet of je hebt er geen toegang toe")
        expect(page.locator("body")).not_to_contain_text(CANARY)

        _enter_key(page, key)
        view = page.locator("#document-view")
        expect(view.get_by_role("heading", level=1)).to_be_focused()  # the document, loaded again
        expect(view.get_by_role("heading", level=1)).to_have_text(
            "Besloten zitting Raad van Bestuur 14 maart 2022"
        )
        expect(view.locator(".document-passage")).to_contain_text([CANARY])
        # A plain link cannot send the key: the page fetches the file with it.
        with page.expect_popup() as opened:
            view.get_by_role("link", name="Open het originele document").click()
        original = opened.value
        expect(original.locator("body")).to_contain_text(CANARY)
        assert original.url.startswith("blob:"), original.url
        original.close()

        page.get_by_text("Alleen zoeken").click()
        turn = ask(page, "vertrouwelijk tuchtdossier besloten zitting")
        expect(turn.locator(".document-title").first).to_have_text(
            "Besloten zitting Raad van Bestuur 14 maart 2022"
        )

        page.reload()  # the key is kept in this browser
        expect(page.get_by_role("button", name="Sleutel (ingesteld)")).to_be_visible()
        page.get_by_role("button", name="Sleutel (ingesteld)").click()
        page.get_by_role("button", name="Sleutel wissen").click()
        expect(page.locator("#announcer")).to_have_text("Sleutel gewist.")
        expect(page.get_by_role("alert")).to_contain_text("bestaat niet of je hebt er geen toegang toe")


def test_when_the_server_requires_a_key_the_page_says_where_to_enter_it(
    browser: Browser, indexed: Kennisbank
) -> None:
    app, variant = app_for(indexed, allow_anonymous=False)
    key = new_key(variant, "medewerker")["Authorization"].removeprefix("Bearer ")
    with live_server(app) as url, opened_page(browser, url, filters=False) as page:
        required = "Deze kennisbank vraagt een sleutel. Vul je sleutel in via de knop ‘Sleutel’ bovenaan."
        expect(page.locator("#question-hint")).to_contain_text(required)
        turn = ask(page, PLAN_QUESTION)
        expect(turn.get_by_role("alert")).to_have_text(required)

        _enter_key(page, key)
        expect(page.get_by_role("button", name="Sleutel (ingesteld)")).to_be_focused()
        expect(page.locator("#filter-type option")).not_to_have_count(1)  # loaded again with the key
        turn = ask(page, PLAN_QUESTION)
        expect(turn.locator(".answer-text")).to_contain_text("1,25 euro per inwoner")

        page.evaluate("localStorage.setItem('kennisbank.apiKey', 'kb_verkeerd')")
        turn = ask(page, PLAN_QUESTION)
        expect(turn.get_by_role("alert")).to_contain_text("Je sleutel is niet (meer) geldig.")


def test_answer_warnings_are_shown_quietly_under_the_answer(browser: Browser, indexed: Kennisbank):
    app, _ = app_for(unreachable_llm(indexed))
    with live_server(app) as url, opened_page(browser, url) as page:
        turn = ask(page, PLAN_QUESTION)
        expect(turn.locator(".answer-text")).to_contain_text("1,25 euro per inwoner")
        notes = turn.locator(".answer-notes")
        expect(notes).to_be_visible()
        expect(notes.locator(".answer-notes-title")).to_have_text("Let op")
        expect(notes.locator("li")).to_have_count(1)
        expect(notes.locator("li")).to_contain_text(LLM_DOWN)
        assert page.evaluate(CONTRAST_CHECK) == []


def test_phone_width_has_no_horizontal_scroll(phone: Page) -> None:
    ask(phone, PLAN_QUESTION)
    assert _horizontal_overflow(phone) == 0
    phone.locator(".chip").first.click()
    expect(phone.locator("#source-dialog")).to_be_visible()
    assert _horizontal_overflow(phone) == 0
    phone.keyboard.press("Escape")
    phone.get_by_text("Alleen zoeken").click()
    ask(phone, "verdeelsleutel gedeeld personeel")
    assert _horizontal_overflow(phone) == 0


def _horizontal_overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_screenshots_for_a_person_to_look_at(page: Page, phone: Page) -> None:
    folder = Path(
        os.environ.get("KENNISBANK_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="kennisbank-screens-")
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "chat-page-welcome.png")
    ask(page, PLAN_QUESTION)
    ask(page, UNANSWERABLE_QUESTION)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=folder / "chat-page.png")
    page.locator(".chip").first.click()
    page.screenshot(path=folder / "chat-page-source.png")
    ask(phone, PLAN_QUESTION)
    phone.screenshot(path=folder / "chat-page-phone.png")
    page.goto(f"/?document={_pdf_document_id(page)}&page=2")
    expect(page.locator(".document-passage-cited")).to_be_focused()
    page.screenshot(path=folder / "chat-page-document.png")
    page.get_by_role("button", name="Sleutel (niet ingesteld)").click()
    page.screenshot(path=folder / "chat-page-key.png")

    print(f"\nscreenshots of the chat page: {folder}")
    shots = sorted(folder.glob("chat-page*.png"))
    assert len(shots) >= 6 and all(shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for shot in shots)


@pytest.fixture(scope="module")
def with_sign_in(indexed: Kennisbank, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with sign-in through a real OpenID provider (node-oidc-provider on loopback)."""
    if not (NODE and INSTALLED):
        pytest.skip("needs node and tests/support/oidc/node_modules (`make test` installs both)")
    folder = tmp_path_factory.mktemp("browser-signin")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_provider(url, folder) as provider:
        app, _ = app_for(indexed, **sign_in_settings(provider, folder))
        with live_server(app, port=port):
            yield url


def _sign_in_as(page: Page, login: str) -> None:
    """Through the provider's own sign-in form, back to the chat page."""
    page.get_by_role("link", name="Aanmelden").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("wachtwoord")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.locator("#account-name")).to_contain_text("Aangemeld als")
    expect(page.locator("#filter-type option")).not_to_have_count(1)


def _search_for_the_restricted_passage(page: Page) -> Locator:
    page.get_by_text("Alleen zoeken").click()
    return ask(page, "vertrouwelijk tuchtdossier besloten zitting")


def test_a_board_member_signs_in_sees_the_restricted_passage_and_signs_out(
    browser: Browser, with_sign_in: str
) -> None:
    with opened_page(browser, with_sign_in) as page:
        expect(page.get_by_role("button", name="Afmelden")).to_be_hidden()
        _sign_in_as(page, "an.bestuur")
        expect(page.locator("#account-name")).to_have_text("Aangemeld als An Bestuurslid")
        turn = _search_for_the_restricted_passage(page)
        expect(turn.locator(".document-title").first).to_have_text(
            "Besloten zitting Raad van Bestuur 14 maart 2022"
        )
        expect(turn.locator(".passage-text").first).to_contain_text(CANARY)

        page.get_by_role("button", name="Afmelden").click()
        page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
        expect(page.get_by_role("link", name="Aanmelden")).to_be_visible()
        assert page.url == f"{with_sign_in}/"
        expect(page.locator("#account-name")).to_have_text("")
        turn = _search_for_the_restricted_passage(page)
        expect(turn.locator(".document-card")).not_to_have_count(0)
        expect(page.locator("body")).not_to_contain_text(CANARY)


def test_another_signed_in_person_does_not_see_the_restricted_passage(
    browser: Browser, with_sign_in: str
) -> None:
    with opened_page(browser, with_sign_in) as page:
        _sign_in_as(page, "piet.medewerker")
        expect(page.locator("#account-name")).to_have_text("Aangemeld als Piet Medewerker")
        turn = _search_for_the_restricted_passage(page)
        expect(turn.locator(".document-card")).not_to_have_count(0)
        expect(page.locator("body")).not_to_contain_text(CANARY)
        expect(turn).not_to_contain_text("Besloten zitting")
