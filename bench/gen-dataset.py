#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Generate a large, realistic and valid bereik dataset (spec/DATA-FORMAT.md section 1).

usage: gen-dataset.py [--shape NAME] [--registrations N] [--years Y] [--first-year YYYY]
                      [--advisors N] [--institutions N] [--seed S]
                      [--per-advisor-day X] [--minutes-mean M]
                      [--institutions-per-registration A-B] [--co-advisors A-B]
                      [--target-groups N] [--counts-mean X]
                      [--description-length A-B] [--non-ascii P] OUT_DIR
       gen-dataset.py --list-shapes

Writes all 13 files of the dataset format (`,` delimiter, LF, UTF-8 without BOM) into
OUT_DIR (created if needed; existing files of the same name are overwritten). The output
depends only on the options: the same options give byte-identical files.

Data shapes (issue 19): --shape NAME takes a named preset of the options below (see
SHAPES; `--list-shapes` prints them); an option given on the command line overrides the
preset. `default` is exactly the behaviour without any of the new options, and stays
byte-identical to what the generator wrote before they existed.

  --per-advisor-day X    registrations per author and working day: each day's
                         registrations go to about n/X of the advisors employed that day
                         (all of them when there are fewer). Without it they are spread
                         over all employed advisors.
  --minutes-mean M       mean minutes of a registration. Without it the mean follows the
                         staff capacity; when that would put an advisor-day near 1440
                         minutes (many registrations per advisor and day) it is lowered
                         so that an advisor stays well under 1440 minutes a day, and
                         durations then go in steps of 1 minute.
  --institutions-per-registration A-B
                         institutions on a client registration, uniform in A..B (default:
                         1, sometimes 2 or 3).
  --co-advisors A-B      co-advisors on every registration, uniform in A..B (default: one
                         co-advisor on about 22% of client and 10% of internal ones).
  --target-groups N      1..13 target groups (default 6); tg.CODE columns follow.
  --counts-mean X        mean number of non-zero head counts of a client registration
                         (Poisson, at most one per target group; default: the fixed mix
                         of before, about 1.3).
  --description-length A-B
                         descriptions of A..B characters (0 = empty), drawn from a pool of
                         generated texts; long ones may hold a line break.
  --non-ascii P          share 0..1 of the generated texts (descriptions, institution
                         names, shared goals) with Dutch/French accents and other scripts
                         (Greek, Cyrillic, Arabic, Hebrew, CJK, an emoji); codes stay ASCII.

Texts are drawn from a second random stream, so text options change texts only: the
structure (dates, minutes, advisors, institutions, counts) stays that of the same options
without them.

Every row passes the validation rules of DATA-FORMAT.md: references exist, goals belong to
the registration's line, every advisor is employed on the registration date, every named
institution exists on that date, a registration's trajectory belongs to one of its
institutions (and is running on that date), an advisor has at most 1440 minutes a day,
institution codes are letters only and never
a sector group name or `total`, pd_spend dates lie inside their school year, texts are
valid UTF-8 without control characters (line breaks only in descriptions) within the
length bounds, and so on.

Standard library only; rows are built with plain string joins (1M registrations take a
few seconds).
"""

import argparse
import bisect
import datetime as dt
import math
import os
import random
import sys

# --------------------------------------------------------------------------- reference data

SECTORS = [  # code, name, group, position, share of institutions (own network)
    ("BaO", "Basisonderwijs", "(Bu)BaO", 1, 0.52),
    ("BuBaO", "Buitengewoon basisonderwijs", "(Bu)BaO", 2, 0.06),
    ("BuSO", "Buitengewoon secundair onderwijs", "(Bu)SO", 3, 0.03),
    ("Deeltijds", "Deeltijds onderwijs", "(Bu)SO", 4, 0.01),
    ("SO", "Secundair onderwijs", "(Bu)SO", 5, 0.20),
    ("VO", "Volwassenenonderwijs", "VO", 6, 0.03),
    ("CLB", "Centrum voor leerlingenbegeleiding", "CLB", 7, 0.02),
    ("LNC", "Leersteuncentrum", "LNC", 8, 0.01),
    ("Bestuur", "Schoolbestuur", "Besturen", 9, 0.0),  # boards are made separately
    ("Graduaat", "Graduaat (HBO5)", "", 10, 0.01),
    ("INT", "Internaat", "", 11, 0.03),
    ("Andere", "Andere", "", 12, 0.0),  # non-network organisations are made separately
]

# code, name, kind, unit, goals
LINES = [
    ("P1", "Pijler 1 - KLO & KLB", "pillar", "pbd", ["1.1", "1.2", "1.5", "1.6"]),
    ("POC", "Pijler 1 - POC", "pillar", "poc", ["1.3", "1.4"]),
    ("P2", "Pijler 2 - NED", "pillar", "pbd", ["2.1", "2.2"]),
    ("P3", "Pijler 3 - CUR", "pillar", "pbd", ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"]),
    ("P4", "Pijler 4 - PLV", "pillar", "pbd", ["4.1", "4.2", "4.3", "4.4", "4.5"]),
    ("P5", "Pijler 5 - DIGI", "pillar", "pbd", ["5.1", "5.2", "5.3", "5.4", "5.5"]),
    ("P6", "Pijler 6 - DATA", "pillar", "pbd", ["6.1", "6.2"]),
    ("P7", "Pijler 7 - START", "pillar", "pbd", ["7.1", "7.2"]),
    ("BI", "Pijler 7+1 - BEREIK en IMPACT", "pillar", "pbd", ["7+1.1", "7+1.2"]),
    ("PRJ-EXC", "Project Excellentiefonds", "project", "pbd", []),
    ("PRJ-HD", "Project Hoge doelen", "project", "pbd", []),
    ("MOD-SO", "Modernisering/herziening SO met scholen", "other", "pbd", []),
]
# share of planned FTE per pillar/project (the rest of the staff time is unplanned work)
PLAN_SHARE = {"P1": 0.17, "POC": 0.0, "P2": 0.11, "P3": 0.25, "P4": 0.09, "P5": 0.09,
              "P6": 0.05, "P7": 0.04, "BI": 0.03, "PRJ-EXC": 0.06, "PRJ-HD": 0.02}
GOAL_NAMES = {
    "1.1": "Brede basiszorg in de klas", "1.2": "Verhoogde zorg en handelingsgericht werken",
    "1.3": "Leersteun in samenwerking met CLB", "1.4": "Vervolgschoolcoaching",
    "1.5": "Krachtige leeromgeving", "1.6": "Zorgbeleid op schoolniveau",
    "2.1": "Effectief leesonderwijs", "2.2": "Leesbeleid en leesmotivatie",
    "3.1": "Curriculumrealisatie basisonderwijs", "3.2": "Curriculumrealisatie secundair",
    "3.3": "Evaluatiebeleid", "3.4": "Modernisering studieaanbod", "3.5": "STEM",
    "3.6": "Duaal leren", "3.7": "Volwassenenonderwijs",
    "4.1": "Visieontwikkeling", "4.2": "Beleidsvoerend vermogen", "4.3": "Personeelsbeleid",
    "4.4": "Middenkader", "4.5": "Professionele leergemeenschappen",
    "5.1": "ICT-beleid", "5.2": "Digitale didactiek", "5.3": "Mediawijsheid",
    "5.4": "Computationeel denken", "5.5": "Edusprong",
    "6.1": "Datageletterdheid", "6.2": "Vlaamse toetsen duiden",
    "7.1": "Mentoren coachen", "7.2": "Startende leraren",
    "7+1.1": "Bereik in kaart brengen", "7+1.2": "Effectiviteit van begeleiding",
}
# team code, name, lines
TEAMS = [
    ("T-KLO", "Team krachtige leeromgeving", ["P1"]),
    ("T-NED", "Team Nederlands", ["P2"]),
    ("T-CUR", "Team curriculum", ["P3", "MOD-SO"]),
    ("T-PLV", "Team leiderschap", ["P4", "P7"]),
    ("T-DIGI", "Team digitalisering", ["P5", "P6"]),
    ("T-BI", "Team bereik en impact", ["BI", "P6"]),
    ("T-PRJ", "Team projecten", ["PRJ-EXC", "PRJ-HD"]),
    ("T-POC", "Team POC", ["POC"]),
]
TARGET_GROUPS = [("leraren", "Leraren"), ("leidinggevenden", "Leidinggevenden"),
                 ("middenkader", "Middenkader"), ("bestuursleden", "Bestuursleden"),
                 ("clb", "CLB-medewerkers"), ("viv", "VIV (teacher leaders)")]
MODALITIES = ["fysiek", "online", "hybride", "helpdesk", "walk", "klasbezoek"]
MODALITY_W = [44, 24, 5, 17, 3, 7]
ACTIVITIES = ["preparation", "follow_up", "self_study", "internal_meeting",
              "professional_development", "quality", "other"]
ACTIVITY_W = [30, 20, 8, 22, 8, 8, 4]

FIRST_NAMES = ["An", "Bert", "Cem", "Dirk", "Els", "Fien", "Geert", "Hanne", "Ilse", "Jan",
               "Katrien", "Lien", "Marc", "Nathalie", "Olivier", "Pieter", "Quinten", "Ruth",
               "Sofie", "Tom", "Ulrike", "Veerle", "Wim", "Xavier", "Yasmine", "Zoë", "Annelies",
               "Bram", "Charlotte", "Dries", "Eva", "Frederik", "Griet", "Hilde", "Inge", "Joris",
               "Karen", "Lore", "Maarten", "Nele", "Oona", "Patrick", "Rik", "Saar", "Tine",
               "Wouter", "Leen", "Mieke", "Stijn", "Kris", "Ahmed", "Fatma", "Hélène", "Björn"]
LAST_NAMES = ["Peeters", "Claes", "Yilmaz", "Janssens", "Maes", "Jacobs", "Mertens", "Willems",
              "Wouters", "Goossens", "De Smet", "Dubois", "Lambert", "Dupont", "Vermeulen",
              "Van den Broeck", "Hermans", "Aerts", "Desmet", "Verhoeven", "Van Damme",
              "Martens", "Michiels", "Pauwels", "Smets", "Stevens", "Bogaerts", "De Clercq",
              "Coppens", "Verbruggen", "Segers", "Baert", "D'Hondt", "Vandenberghe", "Öztürk"]
PLACES = ["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Kortrijk", "Mechelen", "Aalst",
          "Sint-Niklaas", "Genk", "Roeselare", "Turnhout", "Oostende", "Lier", "Geel", "Mol",
          "Ieper", "Tienen", "Tongeren", "Diest", "Halle", "Vilvoorde", "Waregem", "Eeklo",
          "Ronse", "Tielt", "Beveren", "Lokeren", "Dendermonde", "Herentals", "Lommel",
          "Maasmechelen", "Zottegem", "Menen", "Poperinge", "Bilzen", "Heist-op-den-Berg"]
INST_KIND = {"BaO": "Basisschool", "BuBaO": "Kiempunt", "BuSO": "Buso", "Deeltijds": "CDO",
             "SO": "PTI", "VO": "PCVO", "CLB": "PCLB", "LNC": "Leersteuncentrum",
             "Graduaat": "HBO5", "INT": "Internaat", "Andere": "Organisatie"}
INST_SUFFIX = ["De Regenboog", "De Vlinder", "Het Kompas", "De Horizon", "De Klimop",
               "'t Kasteeltje", "De Brug", "Sint-Jozef", "Ter Beke", "De Zonnebloem",
               "Atheneum", "Campus Noord", "Campus Zuid", "De Sleutel", "Het Anker", ""]

CLIENT_DESCR = {
    "fysiek": ["Studiedag evaluatie", "Werksessie met het team", "Overleg directie",
               "Netwerk zorgcoördinatoren", "Personeelsvergadering, thema zorg",
               "Begeleiding vakgroep", "Nascholing \"leesbeleid\""],
    "online": ["Online overleg", "Webinar leesonderwijs", "Teams-overleg directie",
               "Online werksessie, opvolging"],
    "hybride": ["Netwerkdag (hybride)", "Werkgroep evaluatie", "Lerend netwerk middenkader"],
    "helpdesk": ["Mailvraag", "Telefonische vraag", "Vraag leersteun", "Helpdeskvraag ICT"],
    "walk": ["Walk evaluatiepraktijk", "Schoolwandeling met directie"],
    "klasbezoek": ["Klasbezoek", "Klasbezoek co-teaching", "Klasbezoek startende leraar"],
}
INTERNAL_DESCR = {
    "preparation": ["Voorbereiding studiedag", "Voorbereiding netwerk", "Materiaal maken"],
    "follow_up": ["Verslag en opvolging", "Opvolging mails", "Verslag, actiepunten"],
    "self_study": ["Zelfstudie", "Lectuur vakliteratuur"],
    "internal_meeting": ["Teamoverleg", "Pijleroverleg", "Personeelsvergadering PBD",
                         "ISC-overleg"],
    "professional_development": ["Congres", "Opleiding coaching", "Studiedag ENW"],
    "quality": ["Analyse bereik", "Kwaliteitszorg", "Bevraging verwerken"],
    "other": ["Administratie", "Diversen"],
}
PD_DESCR = ["Congres evaluatie", "Studiedag datageletterdheid", "Opleiding coaching",
            "Vakliteratuur", "Nascholing leiderschap", "Congres leesonderwijs",
            "Workshop digitale didactiek", "Internationaal congres"]
SHARED_GOALS = ["Gedeelde visie op evaluatie", "Differentiatie in de klas", "Zorgbeleid herijken",
                "Leesbeleid uitbouwen", "Sterk middenkader", "Data gebruiken voor schoolbeleid",
                "Startende leraren begeleiden", "STEM-visie implementeren", "Breed evalueren"]
ACTION_PLANS = ["Q1 analyse; Q2 pilots; rollen: directie+werkgroep; resultaat: evaluatiebeleid",
                "Sept-dec coaching twee leraren; rollen: begeleider+leraar; resultaat: lesvoorbereidingen",
                "Trimester 1 bevraging; trimester 2 acties; rollen: zorgteam; resultaat: zorgplan",
                "Jaarplanning met drie werksessies; rollen: directie, middenkader; resultaat: visietekst",
                "Maandelijkse opvolging; rollen: kernteam; resultaat: actieplan, evaluatie in juni"]


# target groups 7..13 (--target-groups up to 13)
MORE_TARGET_GROUPS = [("zorgcoordinatoren", "Zorgcoördinatoren"), ("ict", "ICT-coördinatoren"),
                      ("ondersteuners", "Leerondersteuners"), ("opvoeders", "Opvoeders internaat"),
                      ("cursisten", "Cursisten volwassenenonderwijs"), ("mentoren", "Mentoren"),
                      ("partners", "Externe partners")]
# relative chance that a target group has a head count (--counts-mean): teachers most
TG_WEIGHTS = [30, 14, 10, 4, 5, 6, 3, 2, 2, 2, 2, 2, 1]

# words of the generated texts (--description-length, --non-ascii)
TEXT_WORDS = ("studiedag evaluatie overleg met het team over de werking van de school en de "
              "opvolging van afspraken leraren directie middenkader zorgcoordinator werkgroep "
              "leesbeleid rekenen taal STEM digitale didactiek differentiatie in de klas "
              "actieplan visie bevraging resultaten feedback coaching klasbezoek nabespreking "
              "netwerk professionalisering vervolgtraject bijsturen timing doelen "
              "leerplan evaluatiebeleid rapportering leerlingen ouders CLB schoolbestuur "
              "kwaliteitszorg analyse data toetsen verslag volgende stap planning").split()
ACCENT_WORDS = ["één", "ideeën", "coördinatie", "reünie", "financiële", "beïnvloeden", "naïef",
                "geëvalueerd", "Zoë", "Noël", "café", "élève", "préparation", "réunion", "façade",
                "français", "garçon", "leçon", "über", "Müller", "crème", "à", "où", "déjà-vu",
                "collègue", "équipe", "stratégie", "Hélène", "Chloé", "Sint-Ursula"]
OTHER_SCRIPT_WORDS = ["Ελληνικά", "σχολείο", "русский", "школа", "українська", "العربية",
                      "مدرسة", "עברית", "日本語", "学校", "中文", "한국어", "ภาษาไทย", "हिन्दी",
                      "Türkçe", "öğretmen", "Łódź", "€ 25", "📚", "✓"]
INST_NAME_EXTRA = ["Sint-Michiël", "Sint-Rafaël", "Onze-Lieve-Vrouwcollege", "École Notre-Dame",
                   "Lycée français", "Athénée royal", "Institut Saint-Éloi", "Da Vinci (ΔV)",
                   "Çelebi", "Ørsted", "Ibn Sīnā", "Школа № 5"]

# presets of --shape; an option given on the command line overrides its preset value
SHAPES = {
    "default": {},
    # like a real service's 996,780 registrations: 3 school years, 22 advisors, 55
    # institutions, 13 target groups, ~1.4 head counts per client registration and
    # ~70 registrations per advisor on a working day
    "dense": {"years": 3, "advisors": 22, "institutions": 55, "target_groups": 13,
              "counts_mean": 1.4, "per_advisor_day": 70.0},
    # many services in one installation: 1,000 advisors, 20,000 institutions, 2-4
    # institutions and 1-3 co-advisors per registration, long non-ASCII descriptions
    "wide": {"years": 5, "advisors": 1000, "institutions": 20000,
             "institutions_per_registration": (2, 4), "co_advisors": (1, 3),
             "description_length": (40, 400), "non_ascii": 0.5},
    # a small service: 20 advisors, one school year
    "small-service": {"registrations": 20000, "years": 1, "advisors": 20, "institutions": 400},
}
BASE_OPTIONS = {"registrations": 1000000, "years": 5, "first_year": 2020, "advisors": 200,
                "institutions": 3000, "seed": 1, "per_advisor_day": None, "minutes_mean": None,
                "institutions_per_registration": None, "co_advisors": None, "target_groups": 6,
                "counts_mean": None, "description_length": None, "non_ascii": 0.0}


def csv_cell(s):
    """RFC 4180 quoting, only when needed."""
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def num(x):
    """Shortest exact form of a number (1.0 -> 1, 0.80 -> 0.8)."""
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def school_year_label(y):
    return "%d-%d" % (y, y + 1)


class ActiveSet:
    """A set with O(1) add/remove and uniform random choice."""

    def __init__(self):
        self.items = []
        self.pos = {}
        self.version = 0

    def add(self, x):
        if x not in self.pos:
            self.pos[x] = len(self.items)
            self.items.append(x)
            self.version += 1

    def remove(self, x):
        i = self.pos.pop(x, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i
        self.version += 1


def int_range(text):
    """argparse type of A-B (or A): a pair of integers A <= B, both >= 0."""
    try:
        parts = text.split("-")
        if len(parts) == 1:
            lo = hi = int(parts[0])
        elif len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError("not a range A-B of whole numbers: %r" % text)
    if lo < 0 or hi < lo:
        raise argparse.ArgumentTypeError("need 0 <= A <= B: %r" % text)
    return (lo, hi)


def make_text(trng, length, non_ascii, multiline):
    """A text of about `length` characters (code points) of words; with non_ascii about a
    third of the words carry accents or other scripts. Never leading or trailing spaces;
    with multiline a long text may hold one line break."""
    if length <= 0:
        return ""
    words = []
    n = 0
    while n < length:
        r = trng.random()
        if non_ascii and r < 0.22:
            w = trng.choice(ACCENT_WORDS)
        elif non_ascii and r < 0.33:
            w = trng.choice(OTHER_SCRIPT_WORDS)
        else:
            w = trng.choice(TEXT_WORDS)
        words.append(w)
        n += len(w) + 1
    if multiline and len(words) > 12 and trng.random() < 0.2:
        k = trng.randint(4, len(words) - 4)
        words[k] = words[k] + "."
        words[k + 1] = "\n" + words[k + 1][:1].upper() + words[k + 1][1:]
    t = " ".join(words)
    t = t[:1].upper() + t[1:length]
    t = t.replace(" \n", "\n").strip()
    return t or "x"


def text_pool(trng, size, lo, hi, non_ascii_share, multiline):
    """`size` texts of uniform length lo..hi, csv-quoted; a share of them non-ASCII."""
    return [csv_cell(make_text(trng, trng.randint(lo, hi), trng.random() < non_ascii_share,
                               multiline)) for _ in range(size)]


def write_file(out, name, header, rows):
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(",".join(header) + "\n")
        if rows:
            f.write("\n".join(rows) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Generate a bereik benchmark dataset.")
    ap.add_argument("--shape", default="default", help="a preset of the options below: " +
                    ", ".join(SHAPES) + " (default: default)")
    ap.add_argument("--list-shapes", action="store_true", help="print the presets and exit")
    ap.add_argument("--registrations", type=int)
    ap.add_argument("--years", type=int)
    ap.add_argument("--first-year", type=int)
    ap.add_argument("--advisors", type=int)
    ap.add_argument("--institutions", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--per-advisor-day", type=float, metavar="X")
    ap.add_argument("--minutes-mean", type=float, metavar="M")
    ap.add_argument("--institutions-per-registration", type=int_range, metavar="A-B")
    ap.add_argument("--co-advisors", type=int_range, metavar="A-B")
    ap.add_argument("--target-groups", type=int, metavar="N")
    ap.add_argument("--counts-mean", type=float, metavar="X")
    ap.add_argument("--description-length", type=int_range, metavar="A-B")
    ap.add_argument("--non-ascii", type=float, metavar="P")
    ap.add_argument("out_dir", nargs="?")
    a = ap.parse_args()
    if a.list_shapes:
        for name, preset in SHAPES.items():
            opts = {**BASE_OPTIONS, **preset}
            print("%-14s %s" % (name, " ".join(
                "--%s %s" % (k.replace("_", "-"), "%d-%d" % v if isinstance(v, tuple) else v)
                for k, v in opts.items() if v is not None and not (k == "non_ascii" and not v))))
        return
    if a.shape not in SHAPES:
        ap.error("unknown --shape %r (known: %s)" % (a.shape, ", ".join(SHAPES)))
    if a.out_dir is None:
        ap.error("OUT_DIR is required")
    for k, v in {**BASE_OPTIONS, **SHAPES[a.shape]}.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.registrations < 0 or a.years < 1 or a.advisors < 2 or a.institutions < 10:
        ap.error("need --registrations >= 0, --years >= 1, --advisors >= 2, --institutions >= 10")
    if a.institutions > 900000:
        ap.error("--institutions must be at most 900000 (6-digit numbers)")
    if not 1 <= a.target_groups <= len(TARGET_GROUPS) + len(MORE_TARGET_GROUPS):
        ap.error("--target-groups must be 1..13")
    if a.per_advisor_day is not None and a.per_advisor_day <= 0:
        ap.error("--per-advisor-day must be > 0")
    if a.minutes_mean is not None and not 1 <= a.minutes_mean <= 480:
        ap.error("--minutes-mean must be 1..480")
    if a.counts_mean is not None and not 0 <= a.counts_mean <= 13:
        ap.error("--counts-mean must be 0..13")
    if a.institutions_per_registration is not None and a.institutions_per_registration[0] < 1:
        ap.error("--institutions-per-registration: a client registration needs >= 1 institution")
    if a.institutions_per_registration is not None and a.institutions_per_registration[1] > 50:
        ap.error("--institutions-per-registration: at most 50")
    if a.co_advisors is not None and a.co_advisors[1] > min(50, a.advisors - 1):
        ap.error("--co-advisors: at most 50 and fewer than --advisors")
    if a.description_length is not None and a.description_length[1] > 2000:
        ap.error("--description-length: at most 2000 characters")
    if not 0 <= a.non_ascii <= 1:
        ap.error("--non-ascii must be 0..1")
    os.makedirs(a.out_dir, exist_ok=True)
    rng = random.Random(a.seed)
    # texts of the text options come from their own stream (see the module comment)
    trng = random.Random(a.seed + 0x7e47)
    text_mode = a.description_length is not None or a.non_ascii > 0
    out = a.out_dir

    years = list(range(a.first_year, a.first_year + a.years))
    period_start = dt.date(years[0], 9, 1)
    period_end = dt.date(years[-1] + 1, 8, 31)
    one = dt.timedelta(days=1)

    def rand_date(lo, hi):
        return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))

    def sy_of(d):
        return d.year - (d.month < 9)

    # ------------------------------------------------------------------ settings, sectors
    rules = ["hours", "contact", "trajectory"]
    settings_rows = []
    for i, y in enumerate(years):
        hpf = round(1185 + rng.uniform(-9.0, 1.5), 2)
        rule = rules[i % 3]
        settings_rows.append(",".join([school_year_label(y), num(hpf), rule,
                                       "20" if rule == "hours" else "", "false"]))
    write_file(out, "settings.csv",
               ["school_year", "hours_per_fte", "reach_rule", "reach_min_hours", "locked"],
               settings_rows)
    write_file(out, "sectors.csv", ["code", "name", "group", "position"],
               [",".join([c, n, g, str(p)]) for c, n, g, p, _ in SECTORS])
    groups = {g for _, _, g, _, _ in SECTORS if g}

    # ------------------------------------------------------------------ lines, goals
    write_file(out, "lines.csv", ["code", "name", "kind", "unit", "position"],
               [",".join([c, csv_cell(n), k, u, str(i + 1)])
                for i, (c, n, k, u, _) in enumerate(LINES)])
    write_file(out, "goals.csv", ["code", "line", "name"],
               [",".join([g, c, csv_cell(GOAL_NAMES[g])]) for c, _, _, _, gs in LINES for g in gs])
    line_goals = {c: gs for c, _, _, _, gs in LINES}

    # ------------------------------------------------------------------ teams, advisors
    write_file(out, "teams.csv", ["code", "name", "lines"],
               [",".join([c, csv_cell(n), "|".join(ls)]) for c, n, ls in TEAMS])
    team_lines = {c: ls for c, _, ls in TEAMS}
    pbd_teams = [c for c, _, _ in TEAMS if c != "T-POC"]

    n_adv = a.advisors
    n_poc = max(1, round(n_adv * 0.08))
    advisors = []  # dicts
    used_codes = set()
    for i in range(n_adv):
        fn, ln = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = (fn[:2] + "".join(w[0] for w in ln.replace("'", " ").split())).upper()
        base = "".join(ch for ch in base if "A" <= ch <= "Z") or "ADV"
        code, k = base, 1
        while code in used_codes:
            k += 1
            code = "%s%d" % (base, k)
        used_codes.add(code)
        if i < n_poc:
            role, teams = "poc", ["T-POC"]
        else:
            role = rng.choices(["begeleider", "adviseur", "coordinator", "director"],
                               [70, 22, 6, 2])[0]
            teams = rng.sample(pbd_teams, rng.choices([1, 2], [65, 35])[0])
        fte = rng.choices([0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [12, 6, 6, 22, 8, 46])[0]
        start = end = None
        # the first half (and every POC advisor) is employed over the whole period, so
        # every date has advisors for every team; of the rest ~1 in 4 starts and ~1 in 4
        # ends inside the period
        if i >= max(n_poc, n_adv // 2):
            r = rng.random()
            if r < 0.25:
                start = rand_date(period_start + dt.timedelta(days=30), period_end - dt.timedelta(days=120))
            elif r < 0.50:
                end = rand_date(period_start + dt.timedelta(days=120), period_end - dt.timedelta(days=30))
            elif r < 0.56:
                start = rand_date(period_start + dt.timedelta(days=30),
                                  max(period_start + dt.timedelta(days=30), period_end - dt.timedelta(days=400)))
                end = rand_date(start + dt.timedelta(days=200), period_end - dt.timedelta(days=30))
            elif r < 0.60:  # left before or joined after the period: no registrations
                if rng.random() < 0.5:
                    end = period_start - dt.timedelta(days=rng.randint(1, 300))
                else:
                    start = period_end + dt.timedelta(days=rng.randint(1, 60))
        lines = sorted({l for t in teams for l in team_lines[t]})
        advisors.append({"code": code, "name": fn + " " + ln, "role": role, "fte": fte,
                         "start": start, "end": end, "teams": teams, "lines": lines})
    write_file(out, "advisors.csv", ["code", "name", "role", "fte", "start", "end", "teams"],
               [",".join([ad["code"], csv_cell(ad["name"]), ad["role"], num(ad["fte"]),
                          ad["start"].isoformat() if ad["start"] else "",
                          ad["end"].isoformat() if ad["end"] else "", "|".join(ad["teams"])])
                for ad in advisors])

    # ------------------------------------------------------------------ plan
    total_fte = sum(ad["fte"] for ad in advisors)
    poc_fte = sum(ad["fte"] for ad in advisors if ad["role"] == "poc")
    plan_rows = []
    for y in years:
        for c, _, kind, _, _ in LINES:
            if kind == "other":
                continue
            if c == "POC":
                planned = poc_fte * rng.uniform(0.85, 1.0)
            else:
                planned = (total_fte - poc_fte) * PLAN_SHARE[c] * rng.uniform(0.85, 1.1)
            planned = round(planned, 2)
            coloured = ""
            if c in ("P3", "P6", "PRJ-EXC") or rng.random() < 0.15:
                coloured = num(round(planned * rng.uniform(0.1, 0.5), 2))
            plan_rows.append(",".join([school_year_label(y), c, num(planned), coloured]))
    write_file(out, "plan.csv", ["school_year", "line", "planned_fte", "coloured_fte"], plan_rows)

    # ------------------------------------------------------------------ institutions
    n_inst = a.institutions
    numbers = ["%06d" % x for x in rng.sample(range(1000, 1000000), n_inst)]
    excluded = {g.upper() for g in groups} | {"TOTAL"}
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    L = 3
    while 26 ** L < 4 * (n_inst + 10):
        L += 1
    codes = []
    for v in rng.sample(range(26 ** L), n_inst + 10):
        s = ""
        for _ in range(L):
            v, d = divmod(v, 26)
            s += letters[d]
        if s not in excluded:
            codes.append(s)
    codes = codes[:n_inst]

    n_boards = max(1, round(n_inst * 0.03))
    n_foreign = max(1, round(n_inst * 0.03))
    own_sectors = [s for s in SECTORS if s[4] > 0]
    insts = []
    for i in range(n_inst):
        if i < n_boards:
            sector, own = "Bestuur", True
        elif i < n_boards + n_foreign:
            sector, own = rng.choices(["Andere", "BaO", "SO"], [60, 25, 15])[0], False
        else:
            sector, own = rng.choices([s[0] for s in own_sectors], [s[4] for s in own_sectors])[0], True
        if sector == "Bestuur":
            name = "Schoolbestuur " + rng.choice(PLACES)
        elif not own and sector == "Andere":
            name = "Niet-POV " + rng.choice(["organisatie", "school", "vzw"]) + " " + rng.choice(PLACES)
        else:
            name = " ".join(p for p in [INST_KIND[sector], rng.choice(INST_SUFFIX), rng.choice(PLACES)] if p)
        if a.non_ascii > 0 and trng.random() < a.non_ascii:
            name = name + " " + trng.choice(INST_NAME_EXTRA)
        start = end = None
        active = True
        if i >= n_boards + n_foreign:
            r = rng.random()
            if r < 0.02:  # opened at the start of a later school year (e.g. a new LNC)
                start = dt.date(rng.choice(years[1:] or years), 9, 1)
            elif r < 0.04:  # closed at the end of a school year
                end = dt.date(rng.choice(years[:-1] or years) + 1, 8, 31)
                active = end >= period_end
        insts.append({"number": numbers[i], "code": codes[i], "name": name, "sector": sector,
                      "own": own, "board": None, "active": active, "start": start, "end": end,
                      "i": i})
    boards = insts[:n_boards]
    for ins in insts[n_boards + n_foreign:]:
        if rng.random() < 0.85:
            ins["board"] = rng.choice(boards)
    inst_rows = []
    for ins in sorted(insts, key=lambda x: x["number"]):
        b = ins["board"]
        bref = "" if b is None else (b["code"] if rng.random() < 0.05 else b["number"])
        inst_rows.append(",".join([ins["number"], ins["code"], csv_cell(ins["name"]), ins["sector"],
                                   "true" if ins["own"] else "false", bref,
                                   "true" if ins["active"] else "false",
                                   ins["start"].isoformat() if ins["start"] else "",
                                   ins["end"].isoformat() if ins["end"] else ""]))
    write_file(out, "institutions.csv",
               ["number", "code", "name", "sector", "own", "board", "active", "start", "end"],
               inst_rows)
    # popularity: a few institutions ask for a lot of guidance, most for a little
    for ins in insts:
        w = 1.0 / (1.0 + rng.random() * 30.0)
        if ins["sector"] == "Bestuur":
            w *= 0.5
        if not ins["own"]:
            w *= 0.2
        ins["w"] = w

    # ------------------------------------------------------------------ target groups
    target_groups = TARGET_GROUPS if a.target_groups == len(TARGET_GROUPS) else \
        (TARGET_GROUPS + MORE_TARGET_GROUPS)[:a.target_groups]
    write_file(out, "target_groups.csv", ["code", "name", "position"],
               [",".join([c, csv_cell(n), str(i + 1)]) for i, (c, n) in enumerate(target_groups)])

    # ------------------------------------------------------------------ trajectories
    traj_candidates = [ins for ins in insts
                       if ins["own"] and ins["sector"] != "Bestuur" and ins["start"] is None
                       and ins["end"] is None]
    traj_lines = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    n_traj = max(1, round(n_inst * 0.6))
    trajs = []
    traj_rows = []
    for k in range(n_traj):
        ins = rng.choice(traj_candidates)
        line = rng.choices(traj_lines, [17, 11, 25, 9, 9, 5, 4])[0]
        goal = rng.choice(line_goals[line]) if rng.random() < 0.85 else ""
        level = rng.choices(["meso", "micro", ""], [60, 35, 5])[0]
        shared = rng.choice(SHARED_GOALS) if rng.random() < 0.9 else ""
        if shared and a.non_ascii > 0 and trng.random() < a.non_ascii:
            shared = shared + ": " + make_text(trng, trng.randint(10, 120), True, False)
        plan = rng.choice(ACTION_PLANS) if rng.random() < 0.8 else ""
        r = rng.random()
        if r < 0.05:  # planned, starts after the period: no registrations
            start = period_end + dt.timedelta(days=rng.randint(1, 60))
            end, status = None, "planned"
        else:
            start = rand_date(period_start - dt.timedelta(days=200), period_end - dt.timedelta(days=60))
            end = None
            if rng.random() < 0.6:
                end = start + dt.timedelta(days=rng.randint(120, 900))
            status = "closed" if end is not None and end < period_end else "active"
        tid = "T%05d" % (k + 1)
        ref = ins["code"] if rng.random() < 0.2 else ins["number"]
        traj_rows.append(",".join([tid, ref, line, goal, level, csv_cell(shared), csv_cell(plan),
                                   start.isoformat(), end.isoformat() if end else "", status]))
        trajs.append({"id": tid, "inst": ins, "line": line, "goal": goal, "start": start,
                      "end": end, "status": status})
    write_file(out, "trajectories.csv",
               ["id", "institution", "line", "goal", "level", "shared_goal", "action_plan",
                "start", "end", "status"], traj_rows)

    # ------------------------------------------------------------------ registrations
    # days: every weekday of the period, fewer registrations in the holidays
    days = []
    d = period_start
    while d <= period_end:
        if d.weekday() < 5:
            w = 1.0
            if d.month == 7 or (d.month == 8 and d.day < 16):
                w = 0.08
            elif d.month == 8:
                w = 0.4
            elif (d.month == 12 and d.day >= 24) or (d.month == 1 and d.day <= 3):
                w = 0.1
            days.append((d, w))
        d += one
    wsum = sum(w for _, w in days)
    per_day = []
    acc = 0.0
    done = 0
    for d, w in days:
        acc += w * a.registrations / wsum
        n = int(round(acc)) - done
        done += n
        per_day.append((d, n))

    # events that change who/what is available, applied in date order
    events = []  # (date, order, op, set name, object)
    for idx, ad in enumerate(advisors):
        events.append((ad["start"] or dt.date.min, 1, "add", "adv", idx))
        if ad["end"]:
            events.append((ad["end"] + one, 0, "remove", "adv", idx))
    for ins in insts:
        events.append((ins["start"] or dt.date.min, 1, "add", "inst", ins["i"]))
        if ins["end"]:
            events.append((ins["end"] + one, 0, "remove", "inst", ins["i"]))
    for k, t in enumerate(trajs):
        if t["status"] == "planned":
            continue
        events.append((t["start"], 1, "add", "traj", k))
        if t["end"]:
            events.append((t["end"] + one, 0, "remove", "traj", k))
    events.sort(key=lambda e: (e[0], e[1], e[3], e[4]))
    sets = {"adv": ActiveSet(), "inst": ActiveSet(), "traj": ActiveSet()}
    ev_i = 0

    tg_codes = [c for c, _ in target_groups]
    n_tg = len(tg_codes)
    header = ["id", "date", "minutes", "kind", "line", "goal", "advisors", "institutions",
              "modality", "activity", "trajectory", "level", "followup", "description"] + \
             ["tg." + c for c in tg_codes]
    id_width = max(7, len(str(a.registrations)))
    id_fmt = "r%0" + str(id_width) + "d"
    all_lines = [c for c, _, _, _, _ in LINES]
    pbd_lines = [c for c in all_lines if c != "POC"]
    client_descr = {m: [csv_cell(s) for s in v] for m, v in CLIENT_DESCR.items()}
    internal_descr = {m: [csv_cell(s) for s in v] for m, v in INTERNAL_DESCR.items()}
    # Durations: log-normal, in steps of 5 minutes, 15..480. The mean scales with the number
    # of registrations per advisor and year so that the registered time roughly fills the
    # staff capacity: with the defaults (1000 registrations per advisor per year, mean about
    # 40 minutes: helpdesk mails, meetings, the odd study day) registered hours come to ~90%
    # of the advisors' contract hours, FTE realization ~95% of the plan and KLV ~70%.
    # Small datasets cannot fill the capacity and get longer registrations (mean <= 200).
    regs_per_adv_year = max(1.0, a.registrations / float(n_adv * a.years))
    cap_min = total_fte / n_adv * 1185.0 * 60.0
    mean_min = min(200.0, max(40.0, 0.70 * cap_min / regs_per_adv_year / 1.15))
    sigma = 0.75
    mu = math.log(mean_min) - sigma * sigma / 2
    lognorm = rng.lognormvariate

    def duration(mult):
        m = int(lognorm(mu, sigma) * mult / 5.0 + 0.5) * 5
        return 15 if m < 15 else (480 if m > 480 else m)

    # Many registrations per advisor and day (--per-advisor-day, or few advisors for many
    # registrations): the mean above would put an advisor-day past 1440 minutes. Estimate
    # the minutes an advisor registers on a full working day (as author, plus as
    # co-advisor) and, when that passes half of 1440 (or --minutes-mean is given), use a
    # mean that keeps it at half; short means go in steps of 1 minute, with a lower cap.
    day_index = {dd: i for i, (dd, _) in enumerate(days)}
    cum_w = [0.0]
    for _, w in days:
        cum_w.append(cum_w[-1] + w)
    adv_w = 0.0  # weighted advisor-days of employment
    for ad in advisors:
        lo_d = max(period_start, ad["start"] or period_start)
        hi_d = min(period_end, ad["end"] or period_end)
        if lo_d > hi_d:
            continue
        while lo_d.weekday() >= 5 and lo_d < hi_d:
            lo_d += one
        while hi_d.weekday() >= 5 and hi_d > lo_d:
            hi_d -= one
        if lo_d in day_index and hi_d in day_index:
            adv_w += cum_w[day_index[hi_d] + 1] - cum_w[day_index[lo_d]]
    natural_load = a.registrations / adv_w if adv_w > 0 else 0.0
    author_load = max(natural_load, a.per_advisor_day or 0.0)
    if a.co_advisors is None:
        co_mean = 0.65 * 0.22 + 0.35 * 0.1
    else:
        co_mean = (a.co_advisors[0] + a.co_advisors[1]) / 2.0
    day_load = author_load + natural_load * co_mean  # registrations of an advisor a day
    scaled = a.minutes_mean is not None or day_load * mean_min > 0.5 * 1440
    dur_hi, study_day, congress_day, floor_min = 480, 480, 420, 5
    if scaled:
        s_mean = a.minutes_mean if a.minutes_mean is not None else \
            max(1.0, min(mean_min, 0.5 * 1440 / max(day_load, 1e-9)))
        if s_mean >= 30:
            s_step, s_lo, s_hi = 5, 15, 480
        else:
            s_step, s_lo, s_hi = 1, 1, max(30, int(s_mean * 8))
        dur_hi, floor_min = s_hi, 1
        study_day, congress_day = min(480, s_hi), min(420, s_hi)
        s_mu = math.log(s_mean) - sigma * sigma / 2

        def duration(mult):  # noqa: F811 (the scaled variant)
            m = int(lognorm(s_mu, sigma) * mult / s_step + 0.5) * s_step
            return s_lo if m < s_lo else (s_hi if m > s_hi else m)
    room_min = 1440 - dur_hi  # an author with more minutes today is avoided
    reach = {y: [0] * n_tg for y in years}
    empty_counts = "," * n_tg  # n_tg empty cells after description

    # head counts of --counts-mean / --target-groups other than 6: Poisson many groups
    counts_mode = a.counts_mean is not None or n_tg != len(TARGET_GROUPS)
    counts_l = math.exp(-(a.counts_mean if a.counts_mean is not None else 1.3))
    tg_idx = list(range(n_tg))
    tg_cw = []
    acc_w = 0.0
    for wt in TG_WEIGHTS[:n_tg]:
        acc_w += wt
        tg_cw.append(acc_w)
    ipr = a.institutions_per_registration
    cor = a.co_advisors
    pad = a.per_advisor_day
    if text_mode:
        dlo, dhi = a.description_length if a.description_length is not None else (10, 60)
        descr_pool = text_pool(trng, 4096, dlo, dhi, a.non_ascii, True)
        TR = trng.random
        n_pool = len(descr_pool)

    R = rng.random
    bisect_right = bisect.bisect_right
    choice = rng.choice
    choices = rng.choices
    randint = rng.randint
    inst_cache = {"version": -1, "pool": None, "cw": None}
    line_adv_cache = {}
    f = open(os.path.join(out, "registrations.csv"), "w", encoding="utf-8", newline="\n")
    f.write(",".join(header) + "\n")
    buf = []
    rid = 0
    adv_set, inst_set, traj_set = sets["adv"], sets["inst"], sets["traj"]

    def line_cands(line, active_adv):
        key = (line, adv_set.version)
        cands = line_adv_cache.get(key)
        if cands is None:
            cands = [i for i in active_adv if line in advisors[i]["lines"]] or active_adv
            line_adv_cache[key] = cands
        return cands

    def add_co_advisors(advs, line, active_adv):
        """--co-advisors A..B: that many distinct co-advisors, of the line if possible."""
        c = randint(cor[0], cor[1])
        if c == 0:
            return
        cands = line_cands(line, active_adv)
        codes = {x["code"] for x in advs}
        tries = 0
        while len(advs) <= c and tries < 8 * c + 8:
            tries += 1
            pool = cands if tries <= 4 * c else active_adv
            x = advisors[pool[int(R() * len(pool))]]
            if x["code"] not in codes:
                codes.add(x["code"])
                advs.append(x)

    def least_used_author(advs, active_adv, day_used, want, ds):
        """When the drawn author's day is full: the advisor employed today with the fewest
        minutes becomes the author instead (never needed with the default options)."""
        best = min(active_adv, key=lambda i: (day_used.get(advisors[i]["code"], 0), i))
        b = advisors[best]
        rest = 1440 - day_used.get(b["code"], 0)
        if rest < 1:
            raise SystemExit("gen-dataset: too many registrations per advisor and day on %s" % ds)
        advs[:] = [b] + [x for x in advs[1:] if x is not b]
        return b, min(want, rest)

    for d, n in per_day:
        while ev_i < len(events) and events[ev_i][0] <= d:
            _, _, op, sname, obj = events[ev_i]
            getattr(sets[sname], op)(obj)
            ev_i += 1
        if n == 0:
            continue
        if inst_cache["version"] != inst_set.version:
            pool = [insts[i] for i in sorted(inst_set.items)]
            cw, s = [], 0.0
            for ins in pool:
                s += ins["w"]
                cw.append(s)
            inst_cache.update(version=inst_set.version, pool=pool, cw=cw)
        ipool, icw = inst_cache["pool"], inst_cache["cw"]
        active_adv = adv_set.items
        if not active_adv:
            raise SystemExit("gen-dataset: no advisor employed on %s" % d)
        authors = active_adv
        if pad is not None:  # the day's registrations go to about n / X advisors
            k_auth = max(1, int(round(n / pad)))
            if k_auth < len(active_adv):
                authors = rng.sample(active_adv, k_auth)
        active_traj = traj_set.items
        ds = d.isoformat()
        y = sy_of(d)
        yreach = reach[y]
        day_used = {}  # advisor code -> minutes registered today (at most 1440 a day)
        for _ in range(n):
            rid += 1
            a1 = advisors[choice(authors)]
            for _try in range(50):
                if day_used.get(a1["code"], 0) <= room_min:
                    break
                a1 = advisors[choice(authors)]
            if a1["role"] == "poc":
                line = "POC" if R() < 0.9 else choice(pbd_lines)
            else:
                line = choice(a1["lines"]) if R() < 0.85 else choice(pbd_lines)
            advs = [a1]
            traj = None
            if R() < 0.65:
                # ---------------- client registration
                modality = choices(MODALITIES, MODALITY_W)[0]
                if line in ("P1", "P2", "P3", "P4", "P5", "P6", "P7") and active_traj and R() < 0.14:
                    traj = trajs[choice(active_traj)]
                    line = traj["line"]
                    cl = [traj["inst"]]
                    if ipr is None:
                        if R() < 0.1:
                            o = choices(ipool, cum_weights=icw)[0]
                            if o is not cl[0]:
                                cl.append(o)
                else:
                    if ipr is None:
                        k = 1 if R() < 0.76 else (2 if R() < 0.75 else 3)
                        cl = []
                        for o in choices(ipool, cum_weights=icw, k=k):
                            if o not in cl:
                                cl.append(o)
                    else:
                        cl = []
                if ipr is not None:  # --institutions-per-registration A..B, all distinct
                    k = min(randint(ipr[0], ipr[1]), len(ipool))
                    tries = 0
                    itotal, ilast = icw[-1], len(ipool) - 1
                    while len(cl) < k and tries < 20 * k:
                        tries += 1
                        o = ipool[bisect_right(icw, R() * itotal, 0, ilast)]
                        if all(o is not x for x in cl):
                            cl.append(o)
                    if not cl:
                        cl.append(ipool[0])
                if cor is None:
                    if R() < 0.22:
                        cands = line_cands(line, active_adv)
                        a2 = advisors[choice(cands)]
                        if a2 is not a1:
                            advs.append(a2)
                else:
                    add_co_advisors(advs, line, active_adv)
                if modality == "helpdesk":
                    minutes = duration(0.4)
                elif R() < 0.01:
                    minutes = study_day  # a whole study day
                else:
                    minutes = duration(1.2)
                want = minutes
                minutes = min(minutes, 1440 - day_used.get(a1["code"], 0))
                if minutes < floor_min:
                    a1, minutes = least_used_author(advs, active_adv, day_used, want, ds)
                if cor is None:
                    if len(advs) > 1 and day_used.get(advs[1]["code"], 0) + minutes > 1440:
                        advs.pop()
                else:
                    advs[1:] = [x for x in advs[1:] if day_used.get(x["code"], 0) + minutes <= 1440]
                if traj is not None:
                    g = traj["goal"] or (choice(line_goals[line]) if R() < 0.5 else "")
                    followup = "true" if R() < 0.65 else "false"
                    tref = traj["id"]
                else:
                    gs = line_goals[line]
                    g = choice(gs) if gs and R() < 0.55 else ""
                    r = R()
                    followup = "" if r < 0.8 else ("false" if r < 0.95 else "true")
                    tref = ""
                level = "meso" if R() < 0.55 else ("micro" if R() < 0.67 else "")
                # head counts (empty cell = none)
                cnt = [""] * n_tg
                if counts_mode:
                    # Poisson number of non-zero counts, distinct groups, teachers most often
                    k = 0
                    p = R()
                    while p > counts_l:
                        k += 1
                        p *= R()
                    if k > n_tg:
                        k = n_tg
                    picked = []
                    tries = 0
                    while len(picked) < k:
                        tries += 1
                        j = choices(tg_idx, cum_weights=tg_cw)[0] if tries < 50 else \
                            next(i for i in tg_idx if i not in picked)
                        if j in picked:
                            continue
                        picked.append(j)
                        if modality == "helpdesk":
                            v = randint(1, 2)
                        elif j == 0:
                            v = randint(1, 30) if modality != "klasbezoek" else randint(1, 3)
                        else:
                            v = randint(1, 4)
                        cnt[j] = str(v)
                        yreach[j] += v
                    if k < n_tg and R() < 0.01:  # an explicit 0 count is fine too
                        cnt[next(i for i in reversed(tg_idx) if i not in picked)] = "0"
                elif R() < 0.78:
                    if modality == "helpdesk":
                        v = randint(1, 2)
                        cnt[0 if R() < 0.6 else 1] = str(v)
                        yreach[0 if cnt[0] else 1] += v
                    else:
                        v = randint(1, 30) if modality != "klasbezoek" else randint(1, 3)
                        cnt[0] = str(v)
                        yreach[0] += v
                        if R() < 0.4:
                            v = randint(1, 3)
                            cnt[1] = str(v)
                            yreach[1] += v
                        if R() < 0.25:
                            v = randint(1, 4)
                            cnt[2] = str(v)
                            yreach[2] += v
                        if R() < 0.04:
                            v = randint(1, 3)
                            cnt[3] = str(v)
                            yreach[3] += v
                        if R() < 0.06:
                            v = randint(1, 3)
                            cnt[4] = str(v)
                            yreach[4] += v
                        if R() < 0.08:
                            v = randint(1, 2)
                            cnt[5] = str(v)
                            yreach[5] += v
                        elif R() < 0.01:
                            cnt[5] = "0"
                irefs = "|".join(o["number"] if R() < 0.85 else o["code"] for o in cl)
                descr = choice(client_descr[modality])
                if text_mode:
                    descr = descr_pool[int(TR() * n_pool)]
                buf.append(",".join([id_fmt % rid, ds, str(minutes), "client", line, g,
                                     "|".join(x["code"] for x in advs), irefs, modality, "",
                                     tref, level, followup, descr] + cnt))
            else:
                # ---------------- internal registration
                activity = choices(ACTIVITIES, ACTIVITY_W)[0]
                if cor is None:
                    if R() < 0.1:
                        cands = line_cands(line, active_adv)
                        a2 = advisors[choice(cands)]
                        if a2 is not a1:
                            advs.append(a2)
                else:
                    add_co_advisors(advs, line, active_adv)
                minutes = duration(0.9)
                if activity == "professional_development" and R() < 0.3:
                    minutes = congress_day  # a congress day
                want = minutes
                minutes = min(minutes, 1440 - day_used.get(a1["code"], 0))
                if minutes < floor_min:
                    a1, minutes = least_used_author(advs, active_adv, day_used, want, ds)
                if cor is None:
                    if len(advs) > 1 and day_used.get(advs[1]["code"], 0) + minutes > 1440:
                        advs.pop()
                else:
                    advs[1:] = [x for x in advs[1:] if day_used.get(x["code"], 0) + minutes <= 1440]
                gs = line_goals[line]
                g = choice(gs) if gs and R() < 0.3 else ""
                descr = choice(internal_descr[activity])
                if text_mode:
                    descr = descr_pool[int(TR() * n_pool)]
                buf.append(",".join([id_fmt % rid, ds, str(minutes), "internal", line, g,
                                     "|".join(x["code"] for x in advs), "", "", activity, "",
                                     "", "", descr]) + empty_counts)
            for x in advs:
                day_used[x["code"]] = day_used.get(x["code"], 0) + minutes
            if len(buf) >= 50000:
                f.write("\n".join(buf) + "\n")
                buf = []
    if buf:
        f.write("\n".join(buf) + "\n")
    f.close()

    # ------------------------------------------------------------------ targets
    # from the second year: previous year's reach plus 5-15% (rounded)
    target_rows = []
    for i, y in enumerate(years[1:], 1):
        prev = reach[years[i - 1]]
        for j, c in enumerate(tg_codes):
            if prev[j] > 0:
                target_rows.append(",".join([school_year_label(y), c,
                                             str(int(round(prev[j] * rng.uniform(1.05, 1.15))))]))
    write_file(out, "targets.csv", ["school_year", "target_group", "target"], target_rows)

    # ------------------------------------------------------------------ professional development
    pd_rows = []
    for ad in advisors:
        for y in years:
            lo = max(dt.date(y, 9, 1), ad["start"] or dt.date.min)
            hi = min(dt.date(y + 1, 8, 31), ad["end"] or dt.date.max)
            if lo > hi:
                continue
            seen = set()
            for _ in range(rng.choices([0, 1, 2, 3], [20, 40, 28, 12])[0]):
                dd = rand_date(lo, hi)
                descr = rng.choice(PD_DESCR)
                if (dd, descr) in seen:
                    continue
                seen.add((dd, descr))
                amount = round(rng.uniform(20, 650), 2)
                pd_rows.append(",".join([ad["code"], school_year_label(y), dd.isoformat(),
                                         "%.2f" % amount, csv_cell(descr)]))
    write_file(out, "pd_spend.csv", ["advisor", "school_year", "date", "amount_eur", "description"],
               pd_rows)

    print("gen-dataset: %d registrations, %d advisors, %d institutions, %d trajectories, "
          "%d school years (%s..%s) in %s" % (rid, n_adv, n_inst, len(trajs), len(years),
                                              school_year_label(years[0]),
                                              school_year_label(years[-1]), out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
