"""What a Dutch question asks, decided in one place for search, the answerers and
follow-ups:

- the kind of fact it wants ("Hoeveel kost ..." an amount, "Wanneer ..." a date, "Wie ..."
  a name, "Hoe vaak ..." a frequency), and whether a text holds one (`question_kind`,
  `asked_kind`, `has_fact`): a sentence on the right topic without it ("De kosten van een
  e-depot zijn niet in deze afsprakennota begrepen.") does not answer "Hoeveel kost het
  e-depot?";
- what it is about: the noun it asks about (`asked_noun`), the one-word names it names
  (`names`), and the words that only say how it is asked (`how_asked_words`,
  `GENERIC_QUESTION_WORDS`);
- its time: whether it looks back (`asks_about_the_past`), asks how things stand now
  (`asks_about_the_present`) or names a year (`YEAR`), and from those whether replaced
  versions may answer it (`may_want_replaced_versions`, see there for why ranking and the
  extractive answerer read history differently);
- whether it leans on the question before it (`is_followup`);
- whether it asks for an overview of a subject ("Wat doet Midwest?", "Wat is een
  afsprakennota?": `overview_subject`), answered by the sentence that introduces or
  defines the subject rather than by one that shares a word with it.
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

# Words of a question that say how it is asked rather than what about ("Hoe vaak komt
# de stuurgroep samen?": komt says nothing about which passage answers it).
GENERIC_QUESTION_WORDS = (
    "eigenlijk precies juist momenteel vandaag nu nog steeds ooit al eens eerst krijg krijgt krijgen "
    "geeft geven gaf doet doen deed komt komen kwam gaat gaan ging staat staan stond zit zitten zat ligt "
    "liggen nam nemen neemt maakt maken gemaakt gebeurt gebeuren zegt zeggen bedoelt bedoelen vraagt "
    "vragen gevraagd "
    "vaak lang hoog groot snel kost kosten geldt gelden gold telt telde telden moet moeten mag mogen kan "
    "kunnen"
)

# The noun a question asks about follows its question word: "hoeveel parkeerplaatsen", "welk
# uurtarief", "wie is de voorzitter". A word ending in -t there, or followed by an article or
# a pronoun, is a verb ("hoeveel kost", "hoeveel betalen de gemeenten"); one ending in -e
# before another word is an adjective ("welke jaarlijkse bijdrage").
_ASKED = re.compile(
    r"\b(?:hoeveel|welke?|(?:wat|wie) (?:is|zijn|was|waren) (?:[a-z]+ ){0,2}?(?:de|het|een))"
    r"\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*))?"
)
# "Hoeveel kost het e-depot?", "Hoeveel bedraagt de jaarlijkse lidmaatschapsbijdrage?": what
# is priced is the subject of the verb, after its article and any adjective.
_PRICED = re.compile(
    r"\b(?:hoeveel|wat) (?:kost|kosten|bedraagt|bedragen) (?:de|het|een) (?:[a-z][\w-]*e )?([a-z][\w-]*)"
)
# "Wie is aangeworven als informatieveiligheidsconsulent?": the role after "als" is asked about.
_ROLE = re.compile(r"\bwie\b[^?]*?\bals\s+(?:de |het |een )?([a-z][\w-]*)")
_OPEN_QUESTION = re.compile(r"\b(wat|waar|waarom|hoe|welke?)\b", re.IGNORECASE)
_HOW_ASKED = re.compile(
    r"\bwelke? (firma|leverancier|bedrijf|organisatie|persoon|medewerker)\b(?:\s+([a-z]+t))?"
    r"|^(?:wie|wanneer|waar)\s+([a-z]+t)\b"
)
# Nouns that name the kind of answer rather than its subject ("Wat is het minimum?", "Welk
# bedrag ..."): the answering sentence states the amount without the word.
_ANSWER_TYPE_NOUNS = frozenset(
    [
        "extra",
        "bedrag",
        "bedragen",
        "datum",
        "data",
        "dag",
        "dagen",
        "aantal",
        "deel",
        "minimum",
        "maximum",
        "termijn",
        "prijs",
        "verschil",
        "voorwaarden",
        "soorten",
        "manier",
        "reden",
        "redenen",
        "maand",
        "maanden",
        "jaar",
        "jaren",
        "geld",
        "euro",
        "procent",
        "tijd",
    ]
)
_NOT_A_NOUN_AFTER = frozenset(
    ["de", "het", "een", "er", "je", "we", "ik", "u", "ze", "zij", "hij", "men", "dat", "die", "deze", "dit"]
)
# Names of one word in a question ("Hoeveel betaalt Brugelde", "... in Zandeveld"): a run of
# capitalised words ("Raad van Bestuur", "Nele Bostoen") or an acronym ("AV") names a body or
# the subject of the question, which the answering sentence need not repeat.
_NAME_RUN = re.compile(r"[A-Z][\w'-]*(?:\s+(?:van\s+|de\s+)?[A-Z][\w'-]*)*")

# Openings that lean on the previous question ("En in 2021?", "Wat met Zandeveld?").
_FOLLOWUP_OPENING = re.compile(
    r"^\s*(en|ook|maar|of|wat met|hoe zit het met|geldt dat|geldt dit|idem|zelfde)\b", re.IGNORECASE
)
# Words that point back at something named earlier ("daarvan", "die nota").
_ANAPHORA = re.compile(
    r"\b(daar\w*|hiervan|hiervoor|hierover|dat|dit|die|deze|diezelfde|dezelfde|hij|zij|ze|hem|haar|hun|"
    r"zo'n|ervan|ervoor|erover)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
SHORT_QUESTION_WORDS = 7


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


def may_want_replaced_versions(question: str) -> bool:
    """True when a replaced version of a document may be what the question is after: it
    looks back ("vroeger", "de oude versie", "En daarvoor?") or names a year ("in 2019").

    Search ranks replaced documents below current ones unless this holds: a question about
    2019 may well be answered by a document of 2019 that was replaced since. The extractive
    answerer lifts its own penalty on replaced passages only for `asks_about_the_past`: a
    named year is already weighed there sentence by sentence (a fact from another year's
    passage loses), and lifting the penalty too lets a replaced version of that year
    outrank the current one that still says the same. Measured on the gold set
    (`kennisbank eval --mode hybrid`, 2026-12): the answerer reading a named year as
    history too drops key-fact accuracy from 0.808 to 0.803; ranking without the year
    changes only citation precision (0.704 to 0.706), so ranking keeps it for the reason
    above rather than for a measured gain."""
    return asks_about_the_past(question) or bool(YEAR.search(question))


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


def asked_kind(question: str, standalone: str) -> str | None:
    """The kind of fact asked for. A follow-up asks for the kind of the question before it
    ("En in 2019?") unless it has a question word of its own: "En waar precies?" after a
    "wanneer" question asks for a place, not a date."""
    kind = question_kind(question)
    if kind is None and not _OPEN_QUESTION.search(question):
        kind = question_kind(standalone)
    return kind


def asked_noun(question: str) -> str | None:
    """What the question asks about ("Hoeveel parkeerplaatsen", "Welk uurtarief", "Wie is
    de voorzitter"), or None: a sentence that does not name it answers another question."""
    noun = _noun_in_wording(question)
    if (
        noun
        and question_kind(question) == "name"
        and re.search(rf"\bwelke?\s+{re.escape(noun)}", question.lower())
    ):
        return None  # "Welke gemeente stemde tegen?" is answered by a name, not by "gemeente"
    return noun


def _noun_in_wording(question: str) -> str | None:
    """The noun after the question word (see `_PRICED`, `_ROLE`, `_ASKED`), or None."""
    if special := _PRICED.search(question.lower()) or _ROLE.search(question.lower()):
        noun = special.group(1)
        return None if noun in _ANSWER_TYPE_NOUNS else noun
    match = _ASKED.search(question.lower())
    if match is None:
        return None
    word, following = match.groups()
    if (
        word.endswith("e")
        and following
        and following not in _NOT_A_NOUN_AFTER
        and not following.endswith("t")
    ):
        word = following
    if following in _NOT_A_NOUN_AFTER:
        return None  # a verb: its subject follows ("hoeveel betalen de gemeenten")
    if word.endswith("t") or word in _NOT_A_NOUN_AFTER or word in _ANSWER_TYPE_NOUNS:
        return None
    return word


def names(question: str) -> list[str]:
    """The one-word names of `question` (see `_NAME_RUN`); its first word is not one."""
    return [
        run.group()
        for run in _NAME_RUN.finditer(question)
        if run.start() > 0 and " " not in run.group() and not run.group().isupper()
    ]


def how_asked_words(question: str) -> list[str]:
    """Words that say what kind of answer is wanted, not what it is about: the category a
    name answers ("Welke firma", "Bij welk bedrijf") and the verb right after the question
    word, which documents often word otherwise ("Welke firma levert ..." is answered by
    "... wordt gegund aan Bitwerk nv")."""
    words = []
    for match in _HOW_ASKED.finditer(question.lower()):
        words += [word for word in match.groups() if word]
    return words


def is_followup(question: str) -> bool:
    """True when the question cannot stand alone: it opens like a follow-up, or it is
    short and points back with a demonstrative or pronoun."""
    if _FOLLOWUP_OPENING.match(question):
        return True
    return len(_WORD.findall(question)) <= SHORT_QUESTION_WORDS and bool(_ANAPHORA.search(question))


# "Wat doet Midwest eigenlijk?", "Wat is een afsprakennota?", "Wat houdt thuiswerk in?",
# "Waarvoor dient het e-loket?": a short question about what something is or does, with
# nothing after its subject but a filler word.
_FILLERS = "eigenlijk|precies|juist|nu|in|voor|dan|allemaal"
_OVERVIEW = re.compile(
    r"^\s*(?:wat\s+(?:doet|doen|is|zijn|betekent|houdt)|waarvoor\s+(?:dient|dienen|staat|staan))"
    rf"\s+(?:(?:een|de|het)\s+)?(?P<subject>[\w'-]+(?:\s+(?!(?:{_FILLERS})\b)[\w'-]+)?)"
    rf"(?:\s+(?:{_FILLERS}))*\s*\??\s*$",
    re.IGNORECASE,
)
_NOT_A_SUBJECT = frozenset(["er", "dat", "dit", "die", "deze", "het", "je", "u", "ik", "we", "men"])


def overview_subject(question: str) -> str | None:
    """The subject of an overview question ("Midwest" for "Wat doet Midwest eigenlijk?",
    "afsprakennota" for "Wat is een afsprakennota?"), or None for any other question."""
    match = _OVERVIEW.match(question)
    if match is None:
        return None
    words = match["subject"].lower().split()
    if words[0] in _NOT_A_SUBJECT or words[-1] in _ANSWER_TYPE_NOUNS:
        return None
    return match["subject"]
