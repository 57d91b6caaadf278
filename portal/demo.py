"""The content of the demo data that ``manage.py loaddemo`` loads.

Drawn from the public announcement of the 2nd ITAS congress (Chemnitz, 6 June 2024): the
partners, the five Handlungsfelder and the topics of its sessions. Accounts are role
descriptions ("Demo Koordination"), never the people named in the announcement.

Dates are relative to the day the command runs (offsets in days, or years ahead for goals),
so that the demo always shows overdue, current and planned measures.
"""

from dataclasses import dataclass

from accounts.models import Organisation
from accounts.roles import RoleName
from charta.workflow import Action
from measures.workflow import ImplementationStatus as Status
from measures.workflow import Priority, PublicationState

EMAIL_DOMAIN = "demo.itas-charta.example"
DEFAULT_PASSWORD = "demo"

# The usernames the loader refers to by function.
COORDINATOR = "koordination"
# A second coordinator: in fields without a dedicated demo editor or reviewer, nobody may
# approve a text they submitted themselves, so the workflow needs a second person there.
DEPUTY = "koordination-vertretung"
EDITOR = "redaktion-industrie"
REVIEWER = "pruefung-industrie"
PARTNER = "partner"
WORKING_GROUP_MEMBER = "ag-qualifizierung"

INDUSTRY = "industriepolitik"
INNOVATION = "innovation-und-technologietransformation"
WORK = "arbeit-und-beschaeftigung"
QUALIFICATION = "qualifizierung-und-weiterbildung"
MINDSET = "regionales-mindset-resiliente-gesellschaft"


@dataclass(frozen=True)
class OrganisationData:
    slug: str
    name: str
    short_name: str
    kind: str
    website: str
    description: str
    is_lead: bool = False


@dataclass(frozen=True)
class WorkingGroupData:
    slug: str
    name: str
    organisation: str  # organisation slug
    description: str


@dataclass(frozen=True)
class AccountData:
    username: str
    last_name: str  # first name is always "Demo": these are roles, not people
    organisation: str  # organisation slug
    position: str
    role: RoleName
    action_field: str = ""  # for roles held on a Handlungsfeld
    working_group: str = ""  # for working-group membership

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class CommentData:
    target: tuple[str, str]  # ("section", field slug) | ("goal", title) | ("measure", title)
    author: str
    body: str
    # Anchors the comment to the paragraph of the section's current text containing this.
    anchor: str = ""
    resolved_by: str = ""
    replies: tuple["CommentData", ...] = ()


@dataclass(frozen=True)
class Step:
    """One step in a section's history: saving a text or taking a workflow action."""

    actor: str  # username
    action: str  # SAVE, COMMENT, SUGGEST or a charta.workflow.Action
    body: str = ""  # the text of a save; the quoted words of a suggestion
    note: str = ""  # change message of a save, reviewer's note, a suggestion's reason
    comment: CommentData | None = None
    replacement: str = ""  # what a suggestion puts in place of the quoted words


SAVE = "save"
# Comments on a paragraph belong in the history: they anchor to the text current at the time.
COMMENT = "comment"
# An Änderungsvorschlag on the latest text, left open for the field's editors to decide.
SUGGEST = "suggest"


def comment_step(comment: CommentData) -> Step:
    return Step(comment.author, COMMENT, comment=comment)


@dataclass(frozen=True)
class Report:
    days_ago: int
    status: str
    progress: int
    note: str
    author: str = COORDINATOR


@dataclass(frozen=True)
class MeasureData:
    title: str
    owner: str  # organisation slug
    description: str
    start: int  # days from today
    deadline: int  # days from today
    priority: str = Priority.MEDIUM
    state: str = PublicationState.PUBLISHED
    working_group: str = ""
    partners: tuple[str, ...] = ()  # organisation slugs besides the owner
    reports: tuple[Report, ...] = ()


@dataclass(frozen=True)
class Citation:
    """A goal citing the paragraph of a section revision that contains ``text``."""

    revision: int
    text: str


@dataclass(frozen=True)
class GoalData:
    action_field: str
    title: str
    owner: str  # organisation slug
    description: str
    indicator: str
    target: tuple[int, int, int]  # (years ahead, month, day)
    author: str = COORDINATOR
    state: str = PublicationState.PUBLISHED
    cites: Citation | None = None
    measures: tuple[MeasureData, ...] = ()


# --- Charta -----------------------------------------------------------------------------

CHARTA_SLUG = "itas-charta-2024"
CHARTA_TITLE = "ITAS-Charta 2024"
CHARTA_YEAR = 2024
CHARTA_PREAMBLE = """\
Die ITAS-Charta ist die gemeinsame Selbstverpflichtung der Partner des ITAS-Konsortiums für \
die Automobilregion Südwestsachsen. Kammern, Gewerkschaften, Unternehmen, Hochschulen und \
Zuliefernetzwerke beschreiben darin in fünf Handlungsfeldern, wohin sich die Region im Wandel \
der Automobilindustrie entwickeln soll.

Die Charta ist ein lebendiges Dokument: Die Partner schreiben sie gemeinsam fort, zuletzt auf \
dem 2. ITAS-Kongress im Juni 2024 in Chemnitz, und setzen sie mit Zielen und Maßnahmen um, \
deren Fortschritt öffentlich nachvollziehbar ist.
"""

# --- Organisations ----------------------------------------------------------------------

Kind = Organisation.Kind

ORGANISATIONS = (
    OrganisationData(
        slug="cwe",
        name="Chemnitzer Wirtschaftsförderungs- und Entwicklungsgesellschaft mbH",
        short_name="CWE",
        kind=Kind.DEVELOPMENT,
        website="https://www.cwe-chemnitz.de",
        description=(
            "Wirtschaftsförderung der Stadt Chemnitz und Konsortialführer von ITAS. Koordiniert "
            "die ITAS-Charta und bietet gemeinsam mit dem AMZ die Circular-Cars-Trainings zur "
            "Kreislaufwirtschaft an."
        ),
        is_lead=True,
    ),
    OrganisationData(
        slug="ihk-chemnitz",
        name="Industrie- und Handelskammer Chemnitz",
        short_name="IHK Chemnitz",
        kind=Kind.CHAMBER,
        website="https://www.ihk.de/chemnitz",
        description=(
            "Bietet Industrie-KMU kostenfreie Helpdesk-Sprechstunden und Strategiecoaching zur "
            "Transformation an und baut Brücken zwischen Hochschulen und Automotive-Unternehmen "
            "in Mittelsachsen."
        ),
    ),
    OrganisationData(
        slug="ig-metall",
        name="IG Metall Bezirk Berlin-Brandenburg-Sachsen",
        short_name="IG Metall",
        kind=Kind.UNION,
        website="https://www.igmetall-bbs.de",
        description=(
            "Gewerkschaft der Beschäftigten in der Metall- und Elektroindustrie. Begleitet mit "
            "Transformationslotsen den Umbau von Betrieben aus Sicht der Beschäftigten."
        ),
    ),
    OrganisationData(
        slug="amz",
        name="Automobilzuliefernetzwerk Sachsen AMZ",
        short_name="AMZ",
        kind=Kind.NETWORK,
        website="https://www.amz-sachsen.de",
        description=(
            "Netzwerk der Automobilzulieferer in Sachsen. Vertritt die Belange der Zulieferer "
            "und bietet gemeinsam mit der CWE Circular-Cars-Trainings an."
        ),
    ),
    OrganisationData(
        slug="vw-bildungsinstitut",
        name="Volkswagen Bildungsinstitut GmbH",
        short_name="VW Bildungsinstitut",
        kind=Kind.EDUCATION,
        website="https://www.vw-bi.de",
        description=(
            "Bildungsdienstleister in Zwickau. Entwickelt Qualifizierungsangebote für die "
            "Automobilproduktion von morgen."
        ),
    ),
    OrganisationData(
        slug="gherzi",
        name="Gherzi Germany GmbH",
        short_name="Gherzi",
        kind=Kind.COMPANY,
        website="https://www.gherzi.com",
        description=(
            "Beratungsunternehmen für Textil- und Industrieprojekte. Untersucht die Potenziale "
            "der regionalen Textilindustrie als Zulieferer im Fahrzeuginnenraum."
        ),
    ),
    OrganisationData(
        slug="tu-chemnitz",
        name="Technische Universität Chemnitz",
        short_name="TU Chemnitz",
        kind=Kind.UNIVERSITY,
        website="https://www.tu-chemnitz.de",
        description=(
            "Forschungspartner für Technologietransfer, Mobilität und die Frage, wie "
            "veränderungsbereit die Region ist."
        ),
    ),
    OrganisationData(
        slug="whz",
        name="Westsächsische Hochschule Zwickau",
        short_name="WHZ",
        kind=Kind.UNIVERSITY,
        website="https://www.fh-zwickau.de",
        description=(
            "Hochschule für angewandte Wissenschaften mit Schwerpunkten in Automobil- und "
            "Verkehrstechnik. Richtet Studienangebote auf neue Kompetenzprofile aus."
        ),
    ),
)

# --- Working groups ---------------------------------------------------------------------

WORKING_GROUPS = (
    WorkingGroupData(
        slug="ag-qualifizierung",
        name="AG Qualifizierung",
        organisation="vw-bildungsinstitut",
        description=(
            "Setzt die Maßnahmen des Handlungsfelds Qualifizierung und Weiterbildung um und "
            "berichtet über ihren Fortschritt."
        ),
    ),
    WorkingGroupData(
        slug="ag-zulieferer",
        name="AG Zulieferer und Wertschöpfung",
        organisation="amz",
        description=(
            "Bündelt die Maßnahmen für Zulieferer und neue regionale Wertschöpfungsketten."
        ),
    ),
)

# --- Accounts ---------------------------------------------------------------------------

ACCOUNTS = (
    AccountData(
        COORDINATOR, "Koordination", "cwe", "Koordination ITAS-Charta", RoleName.COORDINATOR
    ),
    AccountData(
        DEPUTY,
        "Koordination (Vertretung)",
        "cwe",
        "Stellvertretende Koordination ITAS-Charta",
        RoleName.COORDINATOR,
    ),
    AccountData(
        EDITOR,
        "Redaktion Industriepolitik",
        "ihk-chemnitz",
        "Redaktion Handlungsfeld Industriepolitik",
        RoleName.EDITOR,
        action_field=INDUSTRY,
    ),
    AccountData(
        REVIEWER,
        "Prüfung Industriepolitik",
        "ig-metall",
        "Prüfung Handlungsfeld Industriepolitik",
        RoleName.REVIEWER,
        action_field=INDUSTRY,
    ),
    AccountData(PARTNER, "Partner", "amz", "Vertretung im ITAS-Konsortium", RoleName.PARTNER),
    AccountData(
        WORKING_GROUP_MEMBER,
        "AG Qualifizierung",
        "vw-bildungsinstitut",
        "Mitglied der AG Qualifizierung",
        RoleName.WORKING_GROUP_MEMBER,
        working_group="ag-qualifizierung",
    ),
)

# --- Section texts ----------------------------------------------------------------------

HELPDESK_PARAGRAPH = (
    "Industrie-KMU können die Helpdesk-Sprechstunden und die Strategiecoaching-Angebote der "
    "IHK Chemnitz kostenfrei nutzen."
)

INDUSTRY_V1 = f"""\
## Ausgangslage

Die Automobilregion Südwestsachsen lebt von ihrer Industrie: von den Fahrzeugwerken, vor allem \
aber von einer breiten Basis kleiner und mittlerer Zulieferbetriebe. Der Umstieg auf die \
Elektromobilität, neue Wertschöpfungsketten und steigende Energiekosten verändern die \
Rahmenbedingungen dieser Betriebe grundlegend.

## Was wir erreichen wollen

Industriepolitik soll den Wandel in der Region gestalten, nicht nur begleiten. Die Partner der \
ITAS-Charta setzen sich dafür ein, dass

- Zulieferer früh erkennen, welche ihrer Produkte und Verfahren künftig gefragt sind,
- neue Märkte außerhalb des Antriebsstrangs erschlossen werden, etwa für die regionale \
Textilindustrie im Fahrzeuginnenraum,
- Standortfaktoren wie Energie- und Wasserstoffversorgung rechtzeitig geplant werden.

## Unterstützung für kleine und mittlere Unternehmen

{HELPDESK_PARAGRAPH} Dort erhalten sie eine erste Einschätzung, wie stark sie vom Wandel \
betroffen sind, und Begleitung bei der Entwicklung einer eigenen Transformationsstrategie.

Die Partner bündeln ihre Beratungsangebote, damit Unternehmen eine Anlaufstelle finden und \
nicht zwischen Zuständigkeiten vermittelt werden müssen.
"""

INDUSTRY_V2 = (
    INDUSTRY_V1
    + """
Ergänzend gibt es Online-Sprechstunden, damit auch Betriebe im Erzgebirge und im Vogtland ohne \
lange Wege teilnehmen können.

## Wasserstoff als Standortfaktor

Ob die Automobilproduktion in der Region bleibt, hängt auch davon ab, ob klimaneutrale Energie \
verfügbar ist. Die Partner ermitteln deshalb den Wasserstoffbedarf der Automobil- und \
Zulieferbetriebe und bringen ihn in die Planung der Netze und Elektrolyseure ein.
"""
)

INNOVATION_TEXT = """\
## Ausgangslage

Das ITAS-Technologie- und Trendscouting zeigt: Viele Zulieferer der Region beherrschen \
Verfahren, die auch jenseits des Verbrennungsmotors gebraucht werden. Der Weg von der Idee zum \
neuen Produkt ist für kleine Betriebe aber oft zu lang und zu teuer.

## Brücken zwischen Wissenschaft und Wirtschaft

Hochschulen und Forschungseinrichtungen der Region öffnen ihre Labore und Prüfstände für \
Zulieferer. Am Beispiel Mittelsachsens zeigen die Partner, wie feste Ansprechpartner, \
gemeinsame Projekte und Abschlussarbeiten in Unternehmen funktionierende Brücken bauen.

## Mobilität von morgen

- Mobilitätskonzepte für die ITAS-Region, auch mit automatisiertem Fahren
- Erprobung im ländlichen Raum, wo Bus und Bahn heute Lücken lassen
- Kreislaufwirtschaft: Fahrzeuge und Bauteile so entwickeln, dass Material erhalten bleibt
"""

WORK_TEXT = """\
## Gute Arbeit im Wandel

Die Transformation gelingt nur mit den Beschäftigten. Wer heute Getriebe oder Abgasanlagen \
fertigt, soll morgen an Batteriesystemen, Leichtbauteilen oder in neuen Branchen arbeiten \
können, mit tariflicher Bezahlung und Mitbestimmung.

## Transformationslotsen

Transformationslotsen sind Beschäftigte und Betriebsräte, die den Umbau ihres Betriebs \
begleiten: Sie erkennen früh, welche Arbeitsplätze sich verändern, und bringen Geschäftsleitung, \
Belegschaft und Beratungsangebote an einen Tisch.

## Was die Partner zusagen

1. Betriebe, die umgebaut werden, beziehen ihre Betriebsräte von Anfang an ein.
2. Die Partner bauen kooperative Personalentwicklung zwischen Betrieben auf, damit Fachkräfte \
in der Region bleiben.
3. Wissen älterer Beschäftigter wird systematisch an Jüngere weitergegeben.
"""

QUALIFICATION_TEXT = """\
## Kompetenzen für die Automobilproduktion von morgen

Elektrische Antriebe, Batterietechnik, Software und Kreislaufwirtschaft verlangen neue \
Kompetenzen, in der Produktion ebenso wie in Entwicklung und Instandhaltung. Die Partner wollen, \
dass Beschäftigte diese Kompetenzen erwerben können, bevor ihr Arbeitsplatz sich ändert.

## Angebote

- Qualifizierungsangebote des Volkswagen Bildungsinstituts für die Fahrzeugproduktion von \
morgen, offen auch für Beschäftigte von Zulieferern
- Circular-Cars-Trainings von CWE und AMZ zu Kreislaufwirtschaft und Wiederverwendung von \
Bauteilen
- Berufsausbildung und Studium, die die Bildungseinrichtungen der Region auf neue \
Kompetenzprofile ausrichten

## Gemeinsam statt nebeneinander

Die AG Qualifizierung stimmt die Angebote der Partner ab, ermittelt den Bedarf in den Betrieben \
und berichtet regelmäßig, welche Maßnahmen wie weit sind.
"""

MINDSET_TEXT = """\
## Wie veränderungsbereit ist die Region?

Die Region hat in den vergangenen Jahrzehnten tiefe Umbrüche erlebt. Ob der Wandel der \
Automobilindustrie gelingt, hängt auch davon ab, ob die Menschen ihm mit Zuversicht begegnen.

## Regionale Resilienz

In einer Studie untersuchen ITAS-Partner, wie widerstandsfähig und veränderungsbereit die \
Bevölkerung ist und welche Schlussfolgerungen sich daraus für Politik, Unternehmen und \
Bildung ergeben.

## Beteiligung

Der ITAS-Kongress und die Arbeit an dieser Charta sind offen: Arbeitnehmerinnen und \
Arbeitnehmer, Unternehmen, politische Vertretungen und Bürgerinnen und Bürger sollen ihre \
Sicht einbringen können.
"""

# Each field's history, played through the services when its section is first created.
SECTIONS: dict[str, tuple[Step, ...]] = {
    # Published revision 1, and a newer draft (revision 2) on top of it.
    INDUSTRY: (
        Step(EDITOR, SAVE, INDUSTRY_V1, "Erster Entwurf nach dem 2. ITAS-Kongress"),
        Step(EDITOR, Action.SUBMIT),
        Step(REVIEWER, Action.APPROVE, note="Aus Sicht der Beschäftigten ausgewogen."),
        Step(COORDINATOR, Action.PUBLISH),
        comment_step(
            CommentData(
                ("section", INDUSTRY),
                PARTNER,
                "Können die Helpdesk-Sprechstunden auch online angeboten werden? Gerade Betriebe "
                "im Erzgebirge haben weite Wege nach Chemnitz.",
                anchor="Helpdesk-Sprechstunden",
                resolved_by=EDITOR,
                replies=(
                    CommentData(
                        ("section", INDUSTRY),
                        EDITOR,
                        "Guter Hinweis, danke. Ich ergänze die Online-Sprechstunden in der "
                        "nächsten Fassung.",
                    ),
                ),
            )
        ),
        Step(EDITOR, SAVE, INDUSTRY_V2, "Online-Sprechstunden und Wasserstoff ergänzt"),
        comment_step(
            CommentData(
                ("section", INDUSTRY),
                REVIEWER,
                "Bitte im neuen Abschnitt zum Wasserstoff eine Quelle für die Bedarfsschätzung "
                "nennen, bevor ich die Fassung freigebe.",
            )
        ),
        Step(
            PARTNER,
            SUGGEST,
            body="klimaneutrale Energie",
            replacement="klimaneutrale Energie zu wettbewerbsfähigen Preisen",
            note="Für die Betriebe entscheidet der Preis mit, nicht nur die Verfügbarkeit.",
        ),
    ),
    INNOVATION: (Step(DEPUTY, SAVE, INNOVATION_TEXT, "Entwurf aus dem Trendscouting"),),
    WORK: (
        Step(COORDINATOR, SAVE, WORK_TEXT, "Entwurf mit den Gewerkschaftspartnern"),
        Step(COORDINATOR, Action.SUBMIT),
    ),
    QUALIFICATION: (
        Step(COORDINATOR, SAVE, QUALIFICATION_TEXT, "Text der AG Qualifizierung"),
        Step(COORDINATOR, Action.SUBMIT),
        Step(DEPUTY, Action.APPROVE),
        Step(COORDINATOR, Action.PUBLISH),
    ),
    MINDSET: (
        Step(DEPUTY, SAVE, MINDSET_TEXT, "Erster Entwurf"),
        Step(DEPUTY, Action.SUBMIT),
        Step(
            COORDINATOR,
            Action.REQUEST_CHANGES,
            note=(
                "Bitte die Beteiligungsformate konkreter beschreiben und die Resilienzstudie erst "
                "zitieren, wenn ihre Ergebnisse veröffentlicht sind."
            ),
        ),
    ),
}

# --- Goals and measures -----------------------------------------------------------------

QUALIFICATION_GROUP = "ag-qualifizierung"

GOALS = (
    GoalData(
        INDUSTRY,
        "Industrie-KMU nutzen kostenfreie Transformationsberatung",
        "ihk-chemnitz",
        "Kleine und mittlere Industriebetriebe erhalten eine Einschätzung ihrer Betroffenheit "
        "und Begleitung bei der eigenen Transformationsstrategie.",
        "Zahl der beratenen Industrie-KMU (Ziel: 150); Anteil mit eigener Strategie nach dem "
        "Coaching.",
        (1, 12, 31),
        author=EDITOR,
        cites=Citation(revision=1, text="Helpdesk-Sprechstunden"),
        measures=(
            MeasureData(
                "Helpdesk-Sprechstunden für Industrie-KMU",
                "ihk-chemnitz",
                "Regelmäßige, kostenfreie Sprechstunden in Chemnitz, Freiberg und Zwickau.",
                start=-300,
                deadline=200,
                priority=Priority.HIGH,
                reports=(
                    Report(280, Status.IN_PROGRESS, 10, "Erste Sprechstunden, 14 Betriebe."),
                    Report(150, Status.IN_PROGRESS, 35, "Termine in Freiberg und Zwickau."),
                    Report(40, Status.IN_PROGRESS, 60, "86 Betriebe beraten, Nachfrage hoch."),
                ),
            ),
            MeasureData(
                "Strategiecoaching für Zulieferer",
                "ihk-chemnitz",
                "Mehrtägiges Coaching, in dem Zulieferer mit externen Fachleuten eine "
                "Transformationsstrategie erarbeiten.",
                start=-400,
                deadline=-30,
                reports=(
                    Report(380, Status.IN_PROGRESS, 20, "Coachs ausgewählt, erste Betriebe."),
                    Report(200, Status.IN_PROGRESS, 70, "Acht von zwölf Coachings beendet."),
                    Report(35, Status.DONE, 100, "Alle zwölf Coachings abgeschlossen."),
                ),
            ),
        ),
    ),
    GoalData(
        INDUSTRY,
        "Regionale Textilindustrie als Zulieferer im Fahrzeuginnenraum",
        "gherzi",
        "Textilbetriebe der Region erschließen Aufträge für Sitzbezüge, Verkleidungen und "
        "Akustikteile im Interieur.",
        "Zahl der Textilbetriebe mit Aufträgen aus der Automobilindustrie.",
        (2, 6, 30),
        author=EDITOR,
        measures=(
            MeasureData(
                "Potenzialanalyse Textilzulieferer für das Interieur",
                "gherzi",
                "Befragung der Textilbetriebe und Abgleich mit dem Bedarf der Fahrzeughersteller.",
                start=-200,
                deadline=60,
                working_group="ag-zulieferer",
                reports=(
                    Report(180, Status.IN_PROGRESS, 15, "Fragebogen an 60 Betriebe verschickt."),
                    Report(90, Status.IN_PROGRESS, 40, "Erste Interviews geführt."),
                    Report(
                        20,
                        Status.DELAYED,
                        45,
                        "Rücklauf der Befragung geringer als erwartet; Nachfassaktion läuft.",
                    ),
                ),
            ),
            MeasureData(
                "Gemeinschaftsstand Textilzulieferer auf einer Interieur-Fachmesse",
                "amz",
                "Regionale Textilbetriebe stellen sich gemeinsam den Einkäufern vor.",
                start=-250,
                deadline=-60,
                priority=Priority.LOW,
                working_group="ag-zulieferer",
                reports=(
                    Report(240, Status.PLANNED, 0, "Anmeldung bei der Messe eingereicht."),
                    Report(
                        120,
                        Status.STOPPED,
                        10,
                        "Die Messe wurde abgesagt; die Mittel fließen in Einzelgespräche mit "
                        "Fahrzeugherstellern.",
                    ),
                ),
            ),
        ),
    ),
    GoalData(
        INDUSTRY,
        "Wasserstoffbedarf der Region als Standortfaktor ermitteln",
        "cwe",
        "Der Bedarf der Automobil- und Zulieferbetriebe an Wasserstoff ist bekannt und fließt "
        "in die regionale Energieplanung ein.",
        "Bedarfserhebung liegt vor; Zahl der beteiligten Betriebe.",
        (2, 12, 31),
        author=EDITOR,
        state=PublicationState.DRAFT,
        measures=(
            MeasureData(
                "Bedarfserhebung Wasserstoff bei Automobil- und Zulieferbetrieben",
                "cwe",
                "Fragebogen und Gespräche mit den größten Energieverbrauchern der Branche.",
                start=30,
                deadline=240,
                priority=Priority.LOW,
                state=PublicationState.DRAFT,
            ),
        ),
    ),
    GoalData(
        INNOVATION,
        "Brücken zwischen Hochschulen und Zulieferern in Mittelsachsen",
        "ihk-chemnitz",
        "Zulieferer finden an den Hochschulen feste Ansprechpartner für gemeinsame Projekte.",
        "Zahl gemeinsamer Projekte und Abschlussarbeiten in Unternehmen.",
        (1, 12, 31),
        measures=(
            MeasureData(
                "Transferwerkstätten Hochschule und Zulieferer",
                "ihk-chemnitz",
                "Drei Werkstätten, in denen Betriebe ihre Fragen an Forschende richten.",
                partners=("tu-chemnitz",),
                start=-240,
                deadline=-10,
                priority=Priority.HIGH,
                reports=(
                    Report(220, Status.IN_PROGRESS, 20, "Erste Werkstatt an der TU Chemnitz."),
                    Report(100, Status.IN_PROGRESS, 50, "Zweite Werkstatt in Freiberg."),
                    Report(25, Status.IN_PROGRESS, 65, "Die dritte Werkstatt wird verschoben."),
                ),
            ),
        ),
    ),
    GoalData(
        INNOVATION,
        "Mobilitätskonzepte mit automatisiertem Fahren für die ITAS-Region",
        "whz",
        "Die Region erprobt automatisierte Zubringer zu Industriestandorten im ländlichen Raum.",
        "Machbarkeitsstudie liegt vor; eine Teststrecke ist ausgewählt.",
        (3, 12, 31),
        measures=(
            MeasureData(
                "Machbarkeitsstudie automatisierter Zubringerverkehr",
                "whz",
                "Welche Strecken zu Werken und Gewerbegebieten eignen sich für automatisierte "
                "Shuttles?",
                start=45,
                deadline=400,
            ),
        ),
    ),
    GoalData(
        WORK,
        "Beschäftigte gestalten den Umbau ihrer Betriebe mit",
        "ig-metall",
        "In Betrieben im Umbau begleiten Transformationslotsen die Veränderung.",
        "Zahl der Betriebe mit ausgebildeten Transformationslotsen.",
        (2, 12, 31),
        measures=(
            MeasureData(
                "Transformationslotsen in Pilotbetrieben",
                "ig-metall",
                "Ausbildung und Begleitung von Lotsinnen und Lotsen in fünf Pilotbetrieben.",
                start=-330,
                deadline=120,
                priority=Priority.HIGH,
                reports=(
                    Report(300, Status.IN_PROGRESS, 10, "Fünf Pilotbetriebe gewonnen."),
                    Report(160, Status.IN_PROGRESS, 40, "Erste Lotsen ausgebildet."),
                    Report(50, Status.IN_PROGRESS, 55, "Erfahrungsaustausch der Lotsen."),
                ),
            ),
        ),
    ),
    GoalData(
        QUALIFICATION,
        "Qualifizierung für die Automobilproduktion von morgen",
        "vw-bildungsinstitut",
        "Beschäftigte in Produktion und Instandhaltung erwerben Kompetenzen für elektrische "
        "Antriebe und Batterietechnik.",
        "Zahl der Teilnehmenden mit Abschluss; Anteil aus Zulieferbetrieben.",
        (2, 12, 31),
        measures=(
            MeasureData(
                "Weiterbildungsmodule Hochvolt- und Batterietechnik",
                "vw-bildungsinstitut",
                "Vier Module für Produktionsbeschäftigte, offen auch für Zulieferer.",
                partners=("amz",),
                start=-270,
                deadline=-21,
                priority=Priority.HIGH,
                working_group=QUALIFICATION_GROUP,
                reports=(
                    Report(250, Status.IN_PROGRESS, 15, "Modul 1 gestartet.", WORKING_GROUP_MEMBER),
                    Report(130, Status.IN_PROGRESS, 45, "Module 2 und 3.", WORKING_GROUP_MEMBER),
                    Report(
                        45,
                        Status.IN_PROGRESS,
                        70,
                        "Module 1–3 laufen; Modul 4 wartet auf die Zertifizierung des Prüfstands.",
                        WORKING_GROUP_MEMBER,
                    ),
                ),
            ),
            MeasureData(
                "Qualifizierungsbedarfsanalyse in Zulieferbetrieben",
                "amz",
                "Welche Kompetenzen fehlen den Zulieferern in den nächsten fünf Jahren?",
                start=-365,
                deadline=-90,
                working_group=QUALIFICATION_GROUP,
                reports=(
                    Report(
                        350, Status.IN_PROGRESS, 20, "Befragung gestartet.", WORKING_GROUP_MEMBER
                    ),
                    Report(200, Status.IN_PROGRESS, 60, "Auswertung läuft.", WORKING_GROUP_MEMBER),
                    Report(
                        95,
                        Status.DONE,
                        100,
                        "Bericht mit den Bedarfen aus 40 Betrieben veröffentlicht.",
                        WORKING_GROUP_MEMBER,
                    ),
                ),
            ),
        ),
    ),
    GoalData(
        QUALIFICATION,
        "Kreislaufwirtschaft in der Weiterbildung verankern",
        "cwe",
        "Circular-Cars-Trainings vermitteln Beschäftigten von Zulieferern, wie Bauteile "
        "wiederverwendet und Materialien im Kreislauf gehalten werden.",
        "Zahl der Trainings und Teilnehmenden.",
        (1, 6, 30),
        measures=(
            MeasureData(
                "Circular-Cars-Trainings für Beschäftigte von Zulieferern",
                "cwe",
                "Gemeinsames Trainingsprogramm von CWE und AMZ.",
                partners=("amz",),
                start=-150,
                deadline=150,
                working_group=QUALIFICATION_GROUP,
                reports=(
                    Report(
                        140,
                        Status.PLANNED,
                        0,
                        "Konzept mit dem AMZ abgestimmt.",
                        WORKING_GROUP_MEMBER,
                    ),
                    Report(
                        60,
                        Status.IN_PROGRESS,
                        30,
                        "Zwei Durchgänge mit 24 Teilnehmenden.",
                        WORKING_GROUP_MEMBER,
                    ),
                ),
            ),
        ),
    ),
    GoalData(
        QUALIFICATION,
        "Ausbildung und Studium auf neue Kompetenzprofile ausrichten",
        "whz",
        "Berufsausbildung und Studiengänge der Region vermitteln die Kompetenzen, die die "
        "Betriebe im Wandel brauchen.",
        "Zahl angepasster Ausbildungs- und Studienangebote.",
        (3, 9, 30),
        state=PublicationState.DRAFT,
        measures=(
            MeasureData(
                "Kompetenzprofile Elektromobilität für Ausbildung und Studium",
                "whz",
                "Die Bildungseinrichtungen beschreiben gemeinsam die neuen Kompetenzprofile.",
                partners=("tu-chemnitz", "vw-bildungsinstitut"),
                start=60,
                deadline=500,
                priority=Priority.LOW,
                state=PublicationState.DRAFT,
                working_group=QUALIFICATION_GROUP,
            ),
        ),
    ),
    GoalData(
        MINDSET,
        "Veränderungsbereitschaft der Region verstehen",
        "tu-chemnitz",
        "Die Partner wissen, wie die Menschen der Region dem Wandel begegnen, und richten ihre "
        "Angebote danach aus.",
        "Studie veröffentlicht; Ergebnisse in zwei öffentlichen Veranstaltungen vorgestellt.",
        (1, 12, 31),
        measures=(
            MeasureData(
                "Studie zur regionalen Resilienz",
                "tu-chemnitz",
                "Repräsentative Befragung und Interviews in der Automobilregion Südwestsachsen.",
                start=-200,
                deadline=90,
                reports=(
                    Report(180, Status.IN_PROGRESS, 20, "Befragung im Feld."),
                    Report(70, Status.IN_PROGRESS, 50, "Interviews abgeschlossen."),
                ),
            ),
        ),
    ),
)

# --- Comments ---------------------------------------------------------------------------

# Comments on goals and measures (those on section texts are part of SECTIONS).
COMMENTS = (
    CommentData(
        ("measure", "Weiterbildungsmodule Hochvolt- und Batterietechnik"),
        COORDINATOR,
        "Die Frist ist überschritten. Bitte nennt im nächsten Statusbericht einen neuen Termin "
        "für Modul 4.",
    ),
    CommentData(
        ("goal", "Kreislaufwirtschaft in der Weiterbildung verankern"),
        PARTNER,
        "Das AMZ bringt gern Zulieferer als Pilotbetriebe für weitere Trainings ein.",
    ),
)


# --- Tracking: indicators, dependencies, acknowledgements, reporting periods ---------------


@dataclass(frozen=True)
class IndicatorData:
    goal: str  # goal title
    title: str
    unit: str
    direction: str
    baseline: tuple[int, float]  # (days from today, value)
    target: tuple[int, float]  # (days from today, value)
    values: tuple[tuple[int, float, str], ...] = ()  # (days from today, value, note)
    author: str = COORDINATOR


HELPDESK_GOAL = "Industrie-KMU nutzen kostenfreie Transformationsberatung"
INDICATORS = (
    IndicatorData(
        HELPDESK_GOAL,
        "Vom Helpdesk erreichte Unternehmen",
        "Unternehmen",
        "increase",
        baseline=(-320, 0),
        target=(395, 150),
        values=(
            (-280, 14, "Erste Sprechstunden in Chemnitz"),
            (-200, 38, "Sprechstunden in Freiberg und Zwickau angelaufen"),
            (-150, 52, ""),
            (-90, 71, "Online-Sprechstunde ergänzt"),
            (-40, 86, ""),
            (-7, 97, "Zählung der Beratungsprotokolle"),
        ),
    ),
    IndicatorData(
        HELPDESK_GOAL,
        "Anteil der beratenen KMU mit eigener Transformationsstrategie",
        "%",
        "increase",
        baseline=(-320, 0),
        target=(395, 60),
        values=((-200, 5, "Nachbefragung der ersten Kohorte"), (-40, 18, "")),
    ),
    IndicatorData(
        "Kreislaufwirtschaft in der Weiterbildung verankern",
        "Teilnehmende der Circular-Cars-Trainings",
        "Teilnehmende",
        "increase",
        baseline=(-150, 0),
        target=(210, 120),
        values=((-60, 24, "Zwei Durchgänge"), (-15, 41, "Dritter Durchgang beim AMZ")),
        author=WORKING_GROUP_MEMBER,
    ),
    IndicatorData(
        "Wasserstoffbedarf der Region als Standortfaktor ermitteln",
        "Zum Wasserstoffbedarf befragte Betriebe",
        "Betriebe",
        "increase",
        baseline=(-30, 0),
        target=(240, 80),
        values=((-10, 6, "Vorgespräche mit den größten Energieverbrauchern"),),
    ),
    IndicatorData(
        "Qualifizierung für die Automobilproduktion von morgen",
        "Abbruchquote der Hochvolt-Module",
        "%",
        "decrease",
        baseline=(-270, 25),
        target=(400, 10),
        values=((-180, 22, ""), (-60, 16, "Lernbegleitung eingeführt")),
    ),
    IndicatorData(
        "Brücken zwischen Hochschulen und Zulieferern in Mittelsachsen",
        "Kooperationsprojekte zwischen Hochschulen und Zulieferern",
        "Projekte",
        "increase",
        baseline=(-365, 0),
        target=(100, 10),
        values=((-200, 4, ""), (-20, 11, "Ziel erreicht")),
    ),
    IndicatorData(
        "Regionale Textilindustrie als Zulieferer im Fahrzeuginnenraum",
        "Textilbetriebe mit Aufträgen für den Fahrzeuginnenraum",
        "Betriebe",
        "increase",
        baseline=(-250, 2),
        target=(500, 12),
        values=((-120, 4, ""), (-30, 5, "")),
    ),
)

# (successor, predecessor): the successor waits for the predecessor.
DEPENDENCIES = (
    (
        "Gemeinschaftsstand Textilzulieferer auf einer Interieur-Fachmesse",
        "Potenzialanalyse Textilzulieferer für das Interieur",
    ),
    ("Strategiecoaching für Zulieferer", "Helpdesk-Sprechstunden für Industrie-KMU"),
    (
        "Weiterbildungsmodule Hochvolt- und Batterietechnik",
        "Qualifizierungsbedarfsanalyse in Zulieferbetrieben",
    ),
    (
        "Kompetenzprofile Elektromobilität für Ausbildung und Studium",
        "Weiterbildungsmodule Hochvolt- und Batterietechnik",
    ),
    # The study needs the partners found in the workshops, which are overdue: at risk.
    (
        "Machbarkeitsstudie automatisierter Zubringerverkehr",
        "Transferwerkstätten Hochschule und Zulieferer",
    ),
)

# Reports older than this are acknowledged (by a colleague of their author); newer ones wait.
ACKNOWLEDGED_AFTER_DAYS = 100


@dataclass(frozen=True)
class PeriodData:
    title: str
    start: int  # days from today
    end: int
    closed: bool


PERIODS = (
    PeriodData("bis 2. Kongress", -700, -240, closed=True),
    PeriodData("bis 3. Kongress", -239, -60, closed=True),
    PeriodData("bis 4. Kongress", -59, 120, closed=False),
)
