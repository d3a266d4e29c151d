"""A small Dutch corpus for tests, in every supported format, with sidecars, a replaced
version and a document restricted to the board. Small on purpose: the real e5 model
embeds it in seconds."""

from pathlib import Path

from docx import Document as DocxDocument
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

CANARY = "KANARIE-7Q2X"

MINUTES_2021 = """# Notulen Raad van Bestuur 21 juni 2021

Vergadering van de Raad van Bestuur van DVV Midwest op 21 juni 2021 in Ravelgem.

## 1. Goedkeuring notulen vorige vergadering

De notulen van de vergadering van 17 mei 2021 worden zonder opmerkingen goedgekeurd.

## 2. Verdeelsleutel gedeeld personeel

De verdeelsleutel voor gedeeld personeel wordt gewijzigd. Vanaf 1 januari 2022 betalen de
gemeenten 70 % volgens de effectieve inzet in uren en 30 % volgens het inwonersaantal.

Besluit: de Raad van Bestuur keurt de nieuwe verdeelsleutel goed met 11 stemmen voor.

## 3. Personeel

De Raad van Bestuur beslist twee wijk-werkbemiddelaars aan te werven voor de regio.
"""

MINUTES_2019 = """# Notulen Raad van Bestuur 18 maart 2019

## 1. Gezamenlijke aankoop strooizout

Twaalf gemeenten nemen deel aan het raamcontract voor strooizout. De gunning gaat naar
de laagste bieder voor 68 euro per ton.

## 2. Verdeelsleutel

De kosten van gedeeld personeel worden voor 50 % volgens het inwonersaantal en voor 50 %
volgens de effectieve inzet verdeeld.
"""

HYDRANTS_HTML = """<!doctype html>
<html><head><title>Onderhoud hydranten</title>
<style>body { color: red }</style><script>var tracking = "SCRIPTTEKST";</script></head>
<body><nav><a href="/">Home</a> | <a href="/menu">Menu navigatie</a></nav>
<main><h1>Onderhoud hydranten door de sociale economie</h1>
<p>Maatwerkbedrijf De Werkplaats vzw inspecteert jaarlijks ongeveer 4.200 hydranten in de
twaalf Midwestgemeenten. Elke hydrant wordt om de twee jaar gecontroleerd.</p>
<h2>Meldingen</h2>
<p>Defecten worden binnen vijf werkdagen aan de brandweerzone gemeld.</p></main>
<footer>Copyright Midwest</footer></body></html>
"""

AGREEMENT_OLD = """# Afsprakennota archiefteam Kortevoorde

Artikel 1. Partijen. Deze afsprakennota wordt gesloten tussen DVV Midwest en de gemeente
Kortevoorde, niet-lid van Midwest.

Artikel 2. Inzet. Het archiefteam werkt 8 uur per week voor Kortevoorde.

Artikel 3. Kostprijs. Kortevoorde betaalt de volledige loonkost plus 8 % overhead.
"""

AGREEMENT_NEW = """# Afsprakennota archiefteam Kortevoorde (herziening 2023)

Artikel 1. Partijen. Deze afsprakennota wordt gesloten tussen DVV Midwest en de gemeente
Kortevoorde, niet-lid van Midwest.

Artikel 2. Inzet. Het archiefteam werkt vanaf 2023 12 uur per week voor Kortevoorde.

Artikel 3. Kostprijs. Kortevoorde betaalt de volledige loonkost plus 8 % overhead.
"""

CONFIDENTIAL = f"""# Besloten zitting Raad van Bestuur 14 maart 2022

## 1. Personeelsdossier

Vertrouwelijk dossier {CANARY}: de Raad van Bestuur bespreekt een tuchtdossier in besloten zitting.
"""

ONBOARDING_TEXT = """Welkom bij DVV Midwest

Nieuwe medewerkers krijgen op hun eerste werkdag een laptop en een badge bij het onthaal.

Thuiswerk is mogelijk tot twee dagen per week na afspraak met je leidinggevende.
"""

PLAN_PAGES = [
    [
        ("Title", "Strategisch plan 2020-2025"),
        ("Heading1", "1. Financieel engagement"),
        (
            "BodyText",
            "De lokale besturen dragen 1,25 euro per inwoner per jaar bij aan de "
            "werking van Midwest. Dit engagement werd samen met de gemeenten opgemaakt.",
        ),
    ],
    [
        ("Heading1", "2. Beleidsdomeinen"),
        (
            "BodyText",
            "Het plan omvat de beleidsdomeinen bestuur, cultuur en erfgoed, vrije tijd, "
            "mobiliteit, ruimtelijke ordening, milieu en klimaat, welzijn, economie, "
            "digitale regio en facility.",
        ),
    ],
]


def write_sample_corpus(root: Path) -> None:
    """Write the corpus under `root` (a folder that exists)."""
    files = {
        "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md": MINUTES_2021,
        "vergaderingen/2019-03-18-notulen-raad-van-bestuur.md": MINUTES_2019,
        "samenwerking/onderhoud-hydranten.html": HYDRANTS_HTML,
        "afsprakennota/2021-01-afsprakennota-kortevoorde.md": AGREEMENT_OLD,
        "afsprakennota/2023-01-afsprakennota-kortevoorde.md": AGREEMENT_NEW,
        "bestuur/besloten-zitting-rvb.md": CONFIDENTIAL,
        "onthaal/welkom.txt": ONBOARDING_TEXT,
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sidecars = {
        "afsprakennota/2021-01-afsprakennota-kortevoorde.md": "status: vervangen\n",
        "afsprakennota/2023-01-afsprakennota-kortevoorde.md": (
            "replaces: afsprakennota/2021-01-afsprakennota-kortevoorde.md\n"
        ),
        "bestuur/besloten-zitting-rvb.md": "doc_type: notulen\ndate: 2022-03-14\ngroups: [bestuur]\n",
    }
    for relative, text in sidecars.items():
        (root / (relative + ".meta.yaml")).write_text(text, encoding="utf-8")
    write_pdf(
        root / "strategie/strategisch-plan-2020-2025.pdf", PLAN_PAGES, title="Strategisch plan 2020-2025"
    )
    write_docx(root / "personeel/functiebeschrijving-gis-coordinator.docx")


def write_pdf(path: Path, pages: list[list[tuple[str, str]]], title: str | None = None) -> None:
    """A text PDF with one list of (style, text) per page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    styles = getSampleStyleSheet()
    story: list = []
    for number, page in enumerate(pages):
        if number:
            story.append(PageBreak())
        story += [Paragraph(text, styles[style]) for style, text in page]
    SimpleDocTemplate(str(path), pagesize=A4, title=title or "", invariant=1).build(story)


def write_docx(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = DocxDocument()
    document.add_heading("Functiebeschrijving GIS-coördinator", level=1)
    document.add_heading("Taken", level=2)
    document.add_paragraph("De GIS-coördinator beheert de geografische gegevens van vijf gemeenten.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Loonschaal", "Werkplek"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "A1a-A3a", "Ravelgem"
    document.save(str(path))
