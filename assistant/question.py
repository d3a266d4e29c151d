"""What kind of fact a Dutch question asks for, and whether a sentence holds one.

"Hoeveel kost ..." wants an amount, "Wanneer ..." a date, "Wie ..." a name, "Hoe vaak
..." a frequency. The extractive answerer prefers sentences that hold the asked kind of
fact, and a sentence on the right topic without it ("De kosten van een e-depot zijn niet
in deze afsprakennota begrepen.") does not answer "Hoeveel kost het e-depot?".
"""

import re

_NUMBER_WORDS = (
    r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|"
    r"zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|"
    r"honderd|duizend|half|halve|anderhalf|één|een"
)
_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS.replace('|één|een', '')})\b", re.IGNORECASE)
_MONTHS = r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_WEEKDAYS = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
# "donderdagvoormiddag", "maandagavond": a weekday written together with a part of the day.
_DAY_PARTS = r"voormiddag|namiddag|middag|ochtend|morgen|avond"
_DATE = re.compile(
    rf"\b\d{{1,2}}\s+({_MONTHS})\b|\b({_MONTHS})\b|\b(19|20)\d\d\b|\b({_WEEKDAYS})({_DAY_PARTS})?(en)?\b"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"(€|\beur\b|\beuro\b)", re.IGNORECASE)
_TIME_UNIT = r"jaar|jaren|maanden|maand|weken|week|werkdagen|kalenderdagen|dagen|dag|uur|uren|minuten"
_DURATION = re.compile(rf"\b(\d+|{_NUMBER_WORDS})\s+({_TIME_UNIT})\b", re.IGNORECASE)
_FREQUENCY = re.compile(
    rf"\b(keer|maal)\b|\b(elke|iedere|om de)\s+(\w+\s+)?({_TIME_UNIT}|{_WEEKDAYS}|kwartaal|semester)\b"
    r"|\b(wekelijks|maandelijks|jaarlijks|driemaandelijks|tweemaandelijks|halfjaarlijks|dagelijks)\b"
    rf"|\bper\s+({_TIME_UNIT}|kwartaal|semester)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|procent", re.IGNORECASE)
# A person, firm or place: a capitalised word that does not open the sentence, or an e-mail
# address or phone number (an answer to "wie moet ik contacteren?").
_NAME = re.compile(r"(?<=[\w,:;(] )[A-Z][a-zà-ÿ][\w'-]*|[\w.-]+@[\w.-]+\.\w+|\b0\d{2,3}[ /]?\d{2}")

# A year as questions and headings write it ("in 2019", "Jaarverslag 2022").
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# When the question is set: words that ask about an earlier state of affairs ("vroeger",
# "de oude versie"; not "oudere", which is about age), and words that ask how things
# stand now ("nu", "momenteel").
_PAST = re.compile(
    r"\b(vroeger|oude|eerder(e)?|eerste|vorige|oorspronkelijk|destijds|voordien|"
    r"toen|vervangen|historiek|geschiedenis)\b",
    re.IGNORECASE,
)
# "daarvoor" is mostly "for that" ("Wat betalen ze daarvoor?"); it means "before that" on
# its own ("En daarvoor?") or before a verb in the past ("Daarvoor gold ...").
_BEFORE_THAT = re.compile(
    r"^\W*(en\s+)?daarvoor\W*$|\bdaarvoor\s+(was|waren|gold|golden|had|hadden|werd|werden)\b", re.IGNORECASE
)
_RELATIVE_YEAR = re.compile(
    r"\b(in\s+)?(het\s+)?(eerste|vorige?|dit|volgende?|laatste|huidige?)\s+(jaar|jaren|werkjaar)\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(nu|momenteel|vandaag|nog (steeds|altijd)|actuele?|huidige?|tegenwoordig|op dit moment|"
    r"intussen|ondertussen)\b",
    re.IGNORECASE,
)

# What the question asks for, from its wording; the first match wins.
_QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("phone", r"\b(telefoonnummer|gsm-?nummer|welk nummer|op welk nummer)"),
        ("email", r"\b(e-?mailadres|mailadres)"),
        ("percent", r"\b(welk percentage|hoeveel procent|verdeelsleutel|verhouding|welk deel)"),
        (
            "money",
            r"\b(welk bedrag"
            r"|hoeveel (kost|betaal|bedraag|verdien|geld|euro|\w*premie|subsidie|\w*vergoeding|budget)"
            r"|wat kost|hoe duur|wat betaalt|wat verdien|voor welk bedrag"
            r"|(welke?|wat is de|hoeveel) \w*(prijs|tarief|bijdrage|loonkost|kostprijs|vergoeding|premie))",
        ),
        (
            "duration",
            r"\b(hoe ?lang|voor hoelang|hoeveel (jaar|maanden|weken|dagen|werkdagen|tijd|uren|uur)"
            r"|binnen (welke termijn|hoeveel)|hoe snel|welke (opzeg)?termijn)",
        ),
        ("frequency", r"\b(hoe vaak|hoe dikwijls|hoe regelmatig)\b"),
        ("number", r"\b(hoeveel|aantal|hoe groot)\b"),
        (
            "date",
            r"\b(wanneer|welke datum|welke data|op welke dag|in welk jaar|in welke maand|tegen welke datum"
            r"|vanaf welke datum)\b",
        ),
        (
            "name",
            r"\b(wie|bij wie|welke? (firma|leverancier|persoon|medewerker|bestuurder|bedrijf|club|organisatie"
            r"|gemeente|gemeenten|schepen|burgemeester))\b",
        ),
        ("place", r"\b(waar|op welke plaats|op welk adres|in welk gebouw|in welke zaal)\b"),
    )
)
_PHONE = re.compile(r"(?<!\d)(\+32|0)\d{1,3}[ /.]?\d{2}[ .]?\d{2,3}[ .]?\d{0,3}(?!\d)")
_EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.\w+")
_FACT_PATTERNS = {
    "phone": (_PHONE,),
    "email": (_EMAIL,),
    "money": (_MONEY, _NUMBER),
    "duration": (_DURATION,),
    "frequency": (_FREQUENCY,),
    "percent": (_PERCENT,),
    "number": (_NUMBER,),
    "date": (_DATE,),
    "name": (_NAME,),
    "place": (_NAME,),  # a named building, street or municipality: "in het Sociaal Huis"
}
# Kinds whose answer has one form: "Hoeveel kost ...?" is not answered without an amount.
# Answers to "Wanneer", "Wie" and "Waar" take many forms ("als u geen werkgever heeft", "de
# school", "bij de milieustraat"), so a sentence without a date or a name may still answer
# them. Measured on PolicyQA's 500 outside questions: abstaining for a missing date, name or
# place said "no answer" to 84 of its 115 wanneer/wie/waar questions (and to 3 of the other
# 385); without it, 6 of the 500 questions get no answer instead of 87.
STRICT_KINDS = frozenset(["phone", "email", "percent", "money", "duration", "frequency", "number"])
_WORDS = re.compile(r"[\w'-]+")


def asks_about_the_past(question: str) -> bool:
    """True for "Wat was vroeger ...", "de oude versie", "En daarvoor?"."""
    return bool(_PAST.search(question) or _BEFORE_THAT.search(question))


def without_time_words(question: str) -> str:
    """`question` without the words that set its time ("momenteel", "in het eerste jaar"),
    for a follow-up that sets another ("En in 2022?", "En daarvoor?")."""
    return _PRESENT.sub(" ", _RELATIVE_YEAR.sub(" ", question))


def asks_about_the_present(question: str) -> bool:
    """True for "Wat kost een laptop nu?", unless it also asks about the past."""
    return bool(_PRESENT.search(question)) and not asks_about_the_past(question)


def question_kind(question: str) -> str | None:
    """The kind of fact the question asks for (phone, email, percent, money, duration,
    frequency, number, date, name, place), or None for open questions (wat, hoe, waarom)."""
    for kind, pattern in _QUESTION_KINDS:
        if pattern.search(question):
            return kind
    return None


def known_words(text: str) -> frozenset[str]:
    """The words of a question, lowercased: what `has_fact` does not count as an answer."""
    return frozenset(word.lower() for word in _WORDS.findall(text))


def has_fact(text: str, kind: str, known_words: frozenset[str]) -> bool:
    """True if the text holds a fact of the asked kind that the question does not already
    name: "Wie coördineert BIE?" is not answered by a sentence whose only capitalised
    words are "Het Cultuur- en erfgoedplatform BIE"."""
    if kind == "name":
        text = " ".join(
            word if word.strip(".,:;()?!'\"").lower() not in known_words else "x" for word in text.split(" ")
        )
    return all(pattern.search(text) for pattern in _FACT_PATTERNS[kind])
