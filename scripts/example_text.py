"""Dutch text banks for the example dossier: fictional names, places and quality-plan prose.

Everything here is invented. Prose templates are paragraphs with ``{slot}`` fields that
the generator fills per plan (``plan_slots`` there), so two plans that draw the same
paragraph still differ in partners, neighbourhoods and figures. Each sub-criterion has
prose at the levels of the scale in criteria/award.yaml: ``concrete`` and ``cases`` (8:
how and with whom, with a client's story), ``results`` (what 10 adds: results already
achieved elsewhere), ``general`` (6: sound intentions without examples) and ``vague``
(4 and 2: thin).
"""

from __future__ import annotations

from typing import Final, NamedTuple


class NameForm(NamedTuple):
    """A pattern for a provider's name, what fills its ``{}``, and the legal form it implies."""

    pattern: str
    fillers: tuple[str, ...]
    legal_form: str


# --- bidders -----------------------------------------------------------------------------

NAME_CORES: Final = (
    "De Linde",
    "Het Anker",
    "De Meander",
    "De Wilg",
    "Het Baken",
    "De Zonnewijzer",
    "De Eik",
    "Het Veer",
    "De Hoeve",
    "De Zwaluw",
    "Het Kompas",
    "De Esdoorn",
    "De Vlonder",
    "De Bongerd",
    "Het Hofje",
    "De Kapstok",
)
PERSONAL_NAMES: Final = ("Hélène", "Noëlle", "Zoë", "Anaïs", "Loïs")
REGIONS: Final = (
    "Eemdal",
    "IJsselvallei",
    "Vechtstreek",
    "Lindewoud",
    "Zandhove",
    "Molenrade",
    "Beekhorst",
    "Veendijk",
    "Hoogerveld",
    "Westerzande",
    "Bremhorst",
    "Ravenskamp",
    "Dijkwaard",
    "Elsterbroek",
    "Vennekerk",
    "Heidewaarde",
)
NAME_FORMS: Final = (
    NameForm("Thuiszorg {} B.V.", NAME_CORES, "Besloten vennootschap"),
    NameForm("Zorggroep {} B.V.", NAME_CORES, "Besloten vennootschap"),
    NameForm("Stichting Wijkzorg {}", NAME_CORES, "Stichting"),
    NameForm("Thuishulp {}", PERSONAL_NAMES, "Eenmanszaak"),
    NameForm("Stichting Thuiszorg {}", REGIONS, "Stichting"),
    NameForm("Stichting Zorgcoöperatie {}", REGIONS, "Stichting"),
    NameForm("Zorgkracht {}", REGIONS, "Vennootschap onder firma"),
    NameForm("Wijkzorg {} B.V.", REGIONS, "Besloten vennootschap"),
    NameForm("Coöperatie Thuishulp {} U.A.", REGIONS, "Coöperatie"),
    NameForm("Zorg Dichtbij {} B.V.", REGIONS, "Besloten vennootschap"),
)
TOWNS: Final = (
    "Vechtstede",
    "Eemdal",
    "Lindewoud",
    "Zandhove",
    "Molenrade",
    "Beekhorst",
    "Veendijk",
    "Hoogerveld",
    "Westerzande",
    "Bremhorst",
    "Ravenskamp",
    "Dijkwaard",
    "Elsterbroek",
    "Vennekerk",
)
STREETS: Final = (
    "Kerkstraat",
    "Molenweg",
    "Stationsplein",
    "Industrieweg",
    "Havenkade",
    "Lindelaan",
    "Dorpsstraat",
    "Zuiderpark",
    "Beukenlaan",
    "Noordersingel",
    "Ambachtsweg",
    "Brinkstraat",
    "Wilhelminalaan",
    "Vechtkade",
)
FIRST_NAMES: Final = (
    "Anouk",
    "Bram",
    "Carla",
    "Daan",
    "Esther",
    "Frank",
    "Gerda",
    "Hanneke",
    "Joost",
    "Karin",
    "Lotte",
    "Marieke",
    "Niels",
    "Petra",
    "René",
    "Sietske",
    "Wouter",
    "Yvonne",
    "Zeynep",
    "Mohamed",
)
SURNAMES: Final = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Brouwer",
    "Koç",
    "El Amrani",
    "Wijnands",
)
JOB_TITLES: Final = ("directeur-bestuurder", "directeur", "bestuurder", "algemeen directeur")

INSURERS: Final = (
    "Waarborg Zorgverzekeringen N.V.",
    "Noordvaste Assurantiën N.V.",
    "Hanzeborg Schadeverzekeringen N.V.",
    "Zekerheid & Zorg Verzekeringen N.V.",
    "Delta Vecht Verzekeringen N.V.",
)
CERTIFIERS: Final = (
    "Certiva Zorgcertificering B.V.",
    "Keurmerkinstituut Noord B.V.",
    "ZorgCert Nederland B.V.",
    "Stichting Toetsing Thuiszorg",
)
REFERENCE_CLIENTS: Final = (
    "Gemeente {town}",
    "Gemeente {town}",
    "Wijkteam {town}",
    "Woonzorgcentrum Het Hoge Huis, {town}",
)
REFERENCE_SERVICES: Final = (
    "Huishoudelijke ondersteuning (Wmo)",
    "Individuele begeleiding (Wmo)",
    "Integrale thuisondersteuning",
    "Begeleiding thuis bij dementie",
    "Dagbesteding ouderen",
)
SBI_ACTIVITY: Final = "88101 Thuiszorg"

# --- quality-plan slots: the places, partners and figures a plan's prose names ----------

NEIGHBOURHOODS: Final = (
    "Vechtkwartier",
    "Lindehof",
    "De Weerden",
    "Kranenbroek",
    "Hofstede-Noord",
    "Zonnewijk",
    "Kloosterveld",
    "Oude Haven",
    "Molenhoek",
    "Berkenrode",
    "Spoorzicht",
    "Veldhoeve",
)
WELFARE_PARTNERS: Final = (
    "Welzijn Vechtstede",
    "Stichting Buurtkracht",
    "welzijnsorganisatie De Schakel",
    "Stichting Samen in de Wijk",
)
GP_PARTNERS: Final = (
    "huisartsenpraktijk Vechtkade",
    "Huisartsencoöperatie Vechtstede",
    "gezondheidscentrum De Brink",
    "huisartsenpraktijk Lindelaan",
)
CARER_PARTNERS: Final = (
    "Steunpunt Mantelzorg Vechtstede",
    "Mantelzorgpunt De Wissel",
    "Stichting Mantelkracht",
)
HOUSING_PARTNERS: Final = (
    "Woonstichting Vechtwonen",
    "woningcorporatie Thuisgoed",
    "Woonkring Vechtstede",
)
VOLUNTEER_PARTNERS: Final = (
    "Vrijwilligerscentrale Vechtstede",
    "Stichting Naast Elkaar",
    "Buurtnetwerk Oost",
)
TOOLS: Final = (
    "de ThuisWijzer-app",
    "het BuurtPortaal",
    "de app ZorgDichtbij",
    "het cliëntportaal MijnPlan",
)


class SectionBank(NamedTuple):
    """The paragraphs one sub-criterion's section is composed from, by level of quality."""

    concrete: tuple[str, ...]
    cases: tuple[str, ...]
    results: tuple[str, ...]
    general: tuple[str, ...]
    vague: tuple[str, ...]


# --- quality-plan prose, per sub-criterion id of criteria/award.yaml ---------------------

CLIENT_CENTRAAL: Final = SectionBank(
    concrete=(
        "Elke nieuwe cliënt krijgt binnen vijf werkdagen een keukentafelgesprek met de vaste "
        "begeleider die de ondersteuning ook uitvoert. Wij vragen de cliënt zelf wie erbij moet "
        "zijn: een dochter, een buurman, de mantelzorger. In {wijk} voerden wij zo het afgelopen "
        "halfjaar {clienten} gesprekken; in vier op de vijf zat iemand uit het eigen netwerk aan "
        "tafel. Wat de cliënt wil bereiken, schrijven wij in zijn eigen woorden op in het "
        "ondersteuningsplan.",
        "Wij brengen het netwerk van iedere cliënt in kaart met een eenvoudige netwerkcirkel: "
        "wie helpt nu al, wie zou kunnen helpen en wat is daarvoor nodig. Samen met {mantelzorg} "
        "kijken wij of de mantelzorger het volhoudt; dreigt overbelasting, dan regelt het "
        "steunpunt binnen twee weken respijtzorg of een maatje. In {wijk2} koppelden wij zo "
        "{kleintal} cliënten aan een vrijwilliger van {vrijwilligers}.",
        "De cliënt houdt één vast gezicht. Onze teams in {wijk} en {wijk3} bestaan uit {team} "
        "vaste medewerkers, die elk niet meer dan twaalf cliënten ondersteunen. Valt een "
        "medewerker uit, dan komt een collega uit hetzelfde team die de cliënt al kent. Cliënten "
        "bellen of appen hun begeleider rechtstreeks; vragen beantwoorden wij dezelfde werkdag.",
        "Wij werken aan de eigen doelen van de cliënt, niet aan een aantal uren. Mevrouw B. (82) "
        "uit {wijk2} wilde weer zelf boodschappen doen. Haar begeleider liep de eerste weken met "
        "haar mee naar de supermarkt; daarna nam haar buurvrouw dat twee keer per week over. Na "
        "drie maanden was de ondersteuning teruggebracht van vier naar anderhalf uur per week.",
        "Twee keer per jaar bespreekt de begeleider met de cliënt en zijn netwerk of de doelen "
        "nog kloppen. Wij gebruiken daarvoor de zelfredzaamheidsmatrix, zodat cliënt, wijkteam "
        "en gemeente dezelfde taal spreken. Verandert de situatie eerder, bijvoorbeeld na een "
        "ziekenhuisopname, dan plannen wij binnen een week een nieuw gesprek, samen met de "
        "praktijkondersteuner van {huisarts}.",
        "Cliënten met een migratieachtergrond bereiken wij via sleutelfiguren uit hun eigen "
        "gemeenschap. In {wijk3} schuiven twee Turkstalige en één Arabischtalige vrijwilliger "
        "van {welzijn} aan bij het eerste gesprek. Onze folders en het ondersteuningsplan zijn "
        "er in eenvoudig Nederlands, getoetst door een leespanel van cliënten.",
    ),
    cases=(
        "Meneer De J. (79) uit {wijk} werd na de dood van zijn vrouw aangemeld voor "
        "huishoudelijke hulp. In het keukentafelgesprek bleek dat hij vooral de maaltijden en de "
        "contacten miste die zijn vrouw altijd regelde. Zijn begeleider zocht met hem de eettafel "
        "van {welzijn} op en belde samen met hem zijn zoon in het buitenland. Na vier maanden "
        "kookt hij twee keer per week zelf, eet hij op woensdag in het buurthuis en is de hulp "
        "teruggebracht naar één uur per week.",
        "Een jonge moeder met een chronische ziekte in {wijk2} wilde vooral niet dat haar kinderen "
        "mantelzorger zouden worden. Samen met haar en haar zus maakten wij een weekrooster waarin "
        "de zus, een vrijwilliger van {vrijwilligers} en onze hulp elk een vaste rol hebben. Bij "
        "een opvlamming van haar ziekte schalen wij tijdelijk op; die afspraak staat in haar plan, "
        "zodat zij er niet opnieuw om hoeft te vragen.",
    ),
    results=(
        "In {referentie} werken wij sinds {jaar} op deze manier. Het aandeel cliënten dat na een "
        "jaar minder ondersteuning nodig had, steeg van {pct}% naar {pct2}%. Cliënten gaven onze "
        "begeleiding bij de laatste tevredenheidsmeting een {cijfer}.",
        "Van de cliënten die wij in {referentie} aan een vrijwilliger of buurtgenoot koppelden, "
        "had na twaalf maanden {pct2}% geen zwaardere zorg nodig. Mantelzorgers meldden zich in "
        "dat jaar {pct}% minder vaak overbelast bij het steunpunt.",
        "Een onafhankelijke cliëntraadpleging in {referentie} ({jaar}) liet zien dat negen op de "
        "tien cliënten zich gehoord voelen bij het opstellen van hun plan. Die aanpak nemen wij "
        "één op één mee naar {gemeente}.",
    ),
    general=(
        "Wij vinden het belangrijk dat de cliënt centraal staat. Wij luisteren goed naar de "
        "wensen en behoeften van de cliënt en stemmen de ondersteuning daarop af. De cliënt "
        "bepaalt zoveel mogelijk zelf hoe de ondersteuning eruitziet.",
        "Het netwerk van de cliënt speelt een belangrijke rol. Wij betrekken familie, "
        "mantelzorgers en andere naasten bij de ondersteuning als de cliënt dat wil. Zo kan de "
        "cliënt langer zelfstandig thuis blijven wonen.",
        "Wij streven ernaar dat cliënten zo min mogelijk wisselende gezichten zien. Continuïteit "
        "in de begeleiding is een voorwaarde voor een goede vertrouwensrelatie.",
        "In het ondersteuningsplan leggen wij samen met de cliënt de doelen vast. Deze doelen "
        "evalueren wij regelmatig en stellen wij bij waar nodig. Wij kijken daarbij naar de "
        "mogelijkheden van de cliënt en niet alleen naar de beperkingen.",
        "Onze medewerkers hebben oog voor signalen. Merken zij dat het minder goed gaat met een "
        "cliënt of met een mantelzorger, dan bespreken zij dit in het team en ondernemen zij "
        "actie.",
    ),
    vague=(
        "De cliënt staat bij ons altijd centraal, dat is waar wij voor staan.",
        "Wij leveren zorg op maat en houden rekening met de wensen van de cliënt.",
        "Mantelzorgers zijn belangrijk en daar hebben wij aandacht voor.",
        "Klanttevredenheid is voor ons erg belangrijk, daarom doen wij ons best.",
    ),
)

SAMENWERKING: Final = SectionBank(
    concrete=(
        "Elk van onze teams heeft een vaste contactpersoon voor het sociaal wijkteam. In {wijk} "
        "schuift onze teamleider iedere twee weken aan bij het casusoverleg van het wijkteam; "
        "daar bespreken wij nieuwe aanmeldingen en cliënten bij wie het niet goed gaat, voordat "
        "een herindicatie nodig is. Het wijkteam kan ons tussendoor rechtstreeks bellen.",
        "Wij verwijzen actief naar het voorliggend veld. Met {welzijn} spraken wij af dat onze "
        "begeleiders cliënten die eenzaam zijn binnen een week aanmelden voor een maatje of een "
        "buurtactiviteit in {wijk2}. Vorig jaar deden wij dat {kleintal} keer; bij een derde van "
        "hen kon de individuele begeleiding daarna omlaag.",
        "Met {huisarts} hebben wij een werkafspraak over signalering: de praktijkondersteuner "
        "meldt ouderen bij wie het thuis dreigt vast te lopen bij het wijkteam, en wij kunnen dan "
        "binnen 48 uur starten. Andersom melden onze medewerkers valincidenten en verward gedrag "
        "direct bij de praktijk.",
        "Samen met {woning} houden wij een maandelijks spreekuur in het buurthuis van {wijk3}. "
        "Huurders met betalingsachterstanden of een vervuilde woning komen daardoor eerder in "
        "beeld. In {jaar} voorkwamen wij zo samen drie huisuitzettingen.",
        "Wij werken samen met andere aanbieders in plaats van ertegen. Met twee collega-aanbieders "
        "delen wij in {wijk} een invalpool, zodat cliënten bij ziekte niet zonder ondersteuning "
        "zitten. Heeft een cliënt meer aanbieders, dan spreken wij één regisseur af: meestal de "
        "aanbieder die het vaakst over de vloer komt.",
        "Voor cliënten met schulden werken wij met de schuldhulpverlening van de gemeente en met "
        "de thuisadministratie van {vrijwilligers}. Onze begeleider is bij het eerste gesprek "
        "aanwezig, zodat de cliënt zijn verhaal niet opnieuw hoeft te doen.",
    ),
    cases=(
        "Bij een alleenstaande vrouw in {wijk3} stapelden de problemen zich op: schulden, een "
        "vervuilde woning en beginnende vergeetachtigheid. Het wijkteam bracht ons, {woning} en de "
        "praktijkondersteuner van {huisarts} samen voor één gesprek met haar. Wij spraken af wie "
        "wat deed, en onze begeleider werd haar aanspreekpunt. Binnen twee maanden was er een "
        "betalingsregeling, was de woning schoon en stond een geheugenonderzoek gepland.",
        "Een cliënt in {wijk} kreeg zowel van ons als van een collega-aanbieder ondersteuning, op "
        "verschillende dagen en met verschillende plannen. Na overleg met het wijkteam namen wij "
        "de regie: één plan, één rooster en één overdrachtsschrift bij de cliënt thuis. De cliënt "
        "hoeft zijn verhaal sindsdien maar één keer te vertellen, en het aantal uren nam met een "
        "kwart af.",
    ),
    results=(
        "In {referentie} voerden wij deze werkwijze in {jaar} in. Het aandeel aanmeldingen dat "
        "het wijkteam via het voorliggend veld kon afhandelen, steeg met {pct}%. Het wijkteam gaf "
        "de samenwerking met ons in de jaarlijkse evaluatie een {cijfer}.",
        "De gedeelde invalpool in {referentie} zorgde ervoor dat in {jaar} minder dan één procent "
        "van de afspraken niet doorging. Voor de start was dat {pct_klein}%.",
        "Dankzij de vaste contactpersoon per wijkteam daalde in {referentie} de tijd tussen "
        "aanmelding en start van de ondersteuning van drie weken naar vijf werkdagen.",
    ),
    general=(
        "Samenwerking is voor ons vanzelfsprekend. Wij werken graag samen met het sociaal "
        "wijkteam, de huisarts en andere partijen in de wijk, zodat de cliënt de juiste "
        "ondersteuning krijgt.",
        "Wij zien het voorliggend veld als een belangrijke partner. Waar mogelijk verwijzen wij "
        "cliënten naar algemene voorzieningen en vrijwilligersorganisaties.",
        "Wij staan open voor samenwerking met andere zorgaanbieders. Wij willen kennis delen en "
        "van elkaar leren, zodat de kwaliteit van de ondersteuning in de gemeente verbetert.",
        "Goede communicatie met het wijkteam vinden wij belangrijk. Wij houden het wijkteam op de "
        "hoogte van de voortgang en melden het tijdig als de situatie van een cliënt verandert.",
        "Wij nemen deel aan de overleggen die de gemeente organiseert en denken actief mee over "
        "de verdere ontwikkeling van de samenwerking in de wijk.",
    ),
    vague=(
        "Wij werken samen met veel partijen.",
        "Samenwerking is belangrijk, daar zijn wij het mee eens.",
        "Wij hebben een groot netwerk in de regio en kennen de weg.",
        "Als het nodig is, nemen wij contact op met het wijkteam.",
    ),
)

VISIE: Final = SectionBank(
    concrete=(
        "De beste ondersteuning is ondersteuning die overbodig wordt. Daarom begint elk traject "
        "bij ons met de vraag wat de cliënt over een half jaar zelf of met zijn netwerk kan. In "
        "{wijk} bouwden wij bij {kleintal} cliënten de huishoudelijke hulp stap voor stap af, "
        "terwijl een buurtgenoot of een algemene voorziening een deel overnam.",
        "De beweging van zware naar lichte zorg vraagt iets van onze medewerkers. Alle "
        "begeleiders volgden in {jaar} de training 'Eerst eigen kracht', die wij samen met "
        "{welzijn} ontwikkelden. Zij leren niet meteen over te nemen, maar samen met de cliënt "
        "te doen en daarna los te laten.",
        "Het integrale arrangement geeft ruimte om met de cliënt te schuiven tussen "
        "huishoudelijke hulp en begeleiding, zonder nieuwe indicatie. Een man van 58 uit {wijk2} "
        "met beginnende dementie kreeg eerst vooral hulp in huis. Toen zijn vrouw het zwaarder "
        "kreeg, verschoven wij uren naar begeleiding en naar een ontmoetingsgroep in {wijk3}.",
        "Wij meten onze bijdrage aan de transformatie. Per kwartaal houden wij bij hoeveel "
        "cliënten zijn overgegaan naar een lichter arrangement of een algemene voorziening, en "
        "dat bespreken wij met de contractmanager van de gemeente. Ons doel voor het eerste "
        "contractjaar: {pct}% van de cliënten zet een stap naar lichtere ondersteuning.",
        "Preventie hoort bij onze visie. Met {mantelzorg} organiseren wij in {wijk} een "
        "mantelzorgcafé, waar mantelzorgers elkaar treffen voordat zij overbelast raken. Wij "
        "willen in de wijk aanwezig zijn, ook voor inwoners die (nog) geen indicatie hebben.",
        "Transformatie betekent voor ons ook loslaten wat niet werkt. In {jaar} stopten wij met "
        "vaste tijdsblokken per taak; sindsdien maken wij afspraken over resultaat. Medewerkers "
        "bepalen samen met de cliënt hoe de tijd het best wordt besteed.",
    ),
    cases=(
        "Mevrouw K. (68) uit {wijk2} kreeg na een heupoperatie drie uur hulp per week. In plaats "
        "van schoon te maken, oefende onze hulp met haar hoe zij met aangepaste hulpmiddelen de "
        "lichte taken zelf kon doen. Een buurman nam de boodschappen over. Na twaalf weken had zij "
        "alleen nog hulp bij het zware werk, eens per twee weken, en vertelde zij haar verhaal op "
        "een bijeenkomst van {welzijn}.",
        "In {wijk} zagen wij dat veel cliënten vooral eenzaam waren. Samen met {welzijn} begonnen "
        "wij een wekelijkse koffieochtend die cliënten zelf organiseren. Onze begeleiders brengen "
        "nieuwe cliënten erheen en trekken zich daarna terug. Zo is een deel van de individuele "
        "begeleiding vervangen door contact in de buurt, zonder indicatie.",
    ),
    results=(
        "In {referentie} stapte na een jaar {pct2}% van onze cliënten over naar een lichter "
        "arrangement, zonder dat het aantal terugvallen toenam. De gemeente nam onze werkwijze "
        "in {jaar} als voorbeeld op in haar beleidsplan.",
        "Het gemiddelde aantal uren ondersteuning per cliënt daalde in {referentie} tussen {jaar} "
        "en 2017 met {pct}%, terwijl cliënten ons in dezelfde periode een {cijfer} gaven.",
        "Van de mantelzorgers die het mantelzorgcafé in {referentie} bezochten, vroeg na een jaar "
        "{pct}% minder professionele ondersteuning aan voor hun naaste.",
    ),
    general=(
        "Wij onderschrijven de visie van de gemeente op de transformatie. Wij willen bijdragen "
        "aan een samenleving waarin inwoners zo lang mogelijk zelfstandig blijven wonen.",
        "Ondersteuning moet uitgaan van de eigen kracht van de cliënt. Wij nemen niet over wat de "
        "cliënt zelf kan, maar stimuleren de cliënt om zelf de regie te houden.",
        "Een beweging van zware naar lichtere zorg is noodzakelijk. Waar het kan, zetten wij in "
        "op algemene voorzieningen en op het netwerk van de cliënt.",
        "Preventie vinden wij belangrijk. Door er vroeg bij te zijn, kunnen zwaardere vormen van "
        "zorg worden voorkomen.",
        "Onze medewerkers zijn zich bewust van de veranderingen in het sociaal domein. Wij "
        "investeren in scholing, zodat zij goed inspelen op de nieuwe manier van werken.",
    ),
    vague=(
        "Onze visie is dat iedereen goede zorg verdient.",
        "De transformatie is een belangrijke ontwikkeling waar wij graag aan meewerken.",
        "Wij hebben een duidelijke missie die door de hele organisatie wordt gedragen.",
        "De zorg verandert snel en wij veranderen mee.",
    ),
)

UITVOERING: Final = SectionBank(
    concrete=(
        "Na de aanmelding door het wijkteam bellen wij de cliënt binnen twee werkdagen en start "
        "de ondersteuning binnen vijf werkdagen. Binnen zes weken stelt de begeleider samen met "
        "de cliënt het ondersteuningsplan op, met per doel wie wat doet. In spoedsituaties "
        "starten wij dezelfde dag; in {jaar} was dat in {wijk} {kleintal} keer nodig.",
        "Huishoudelijke hulpen en begeleiders werken bij ons in één team per wijk. In {wijk2} "
        "bestaat dat team uit {team} medewerkers, onder wie een hbo-geschoolde begeleider die de "
        "plannen bewaakt. Wekelijks bespreekt het team twee cliënten volgens een vaste methode, "
        "zodat signalen van achteruitgang niet blijven liggen.",
        "Wij leggen de voortgang vast in een elektronisch dossier dat de cliënt zelf kan inzien. "
        "Iedere drie maanden kijken begeleider en cliënt samen welke doelen gehaald zijn. De "
        "resultaten rapporteren wij per kwartaal aan het wijkteam, zodat de indicatie kan worden "
        "bijgesteld als dat nodig is.",
        "Bij een crisis of terugval schalen wij tijdelijk op, zonder wachttijd. Toen een cliënte "
        "in {wijk3} na een val niet meer alleen kon douchen, zetten wij dezelfde middag extra "
        "ondersteuning in en regelden wij via {huisarts} een fysiotherapeut. Na zes weken was de "
        "extra inzet weer afgebouwd.",
        "Onze medewerkers zijn minimaal op mbo-niveau 3 opgeleid en volgen jaarlijks bijscholing "
        "in het herkennen van dementie, verward gedrag en ouderenmishandeling. In {jaar} deden zij "
        "{kleintal} meldingen volgens de meldcode; elke melding bespraken wij binnen een week met "
        "het wijkteam.",
        "Effectieve ondersteuning vraagt continuïteit. Ons ziekteverzuim was in {jaar} "
        "{verzuim}%, ruim onder het branchegemiddelde, en ons personeelsverloop is laag. Nieuwe "
        "medewerkers lopen de eerste vier weken mee met een ervaren collega in de wijk.",
    ),
    cases=(
        "Op een vrijdagmiddag meldde het wijkteam een man in {wijk3} die na ontslag uit het "
        "ziekenhuis niemand had. Onze begeleider was er binnen drie uur, regelde boodschappen en "
        "maaltijden voor het weekend en maakte afspraken met de thuisverpleging. Op maandag stond "
        "het ondersteuningsplan, opgesteld met hem en zijn nicht. Na zes weken kon de begeleiding "
        "terug naar twee korte bezoeken per week.",
        "Een cliënte met beginnende dementie in {wijk2} raakte de weg kwijt in haar eigen agenda. "
        "Haar begeleider maakte met haar dochter een vaste weekstructuur op een whiteboard in de "
        "keuken, en sprak met de supermarkt om de hoek af dat die belt als mevrouw verward lijkt. "
        "De afspraken staan in het plan en komen elke drie maanden aan bod in het overleg met het "
        "wijkteam.",
    ),
    results=(
        "In {referentie} haalde {pct2}% van onze cliënten in {jaar} minstens één doel uit het "
        "ondersteuningsplan volledig. De gemiddelde tijd tussen aanmelding en start was er vier "
        "werkdagen.",
        "Bij de tevredenheidsmeting in {referentie} gaven cliënten onze ondersteuning een "
        "{cijfer}. Het aantal klachten daalde in {jaar} met {pct}% ten opzichte van het jaar "
        "ervoor.",
        "Na onze tijdelijke opschaling bij crisis hoefde in {referentie} in {jaar} geen enkele "
        "cliënt te worden opgenomen; bij {pct2}% van hen kon de ondersteuning binnen twee maanden "
        "terug naar het oude niveau.",
    ),
    general=(
        "Wij bieden ondersteuning die past bij de situatie van de cliënt. Onze medewerkers zijn "
        "deskundig en betrokken, en hebben oog voor de hele persoon.",
        "Na de aanmelding nemen wij zo snel mogelijk contact op met de cliënt. Samen stellen wij "
        "een ondersteuningsplan op, dat regelmatig wordt geëvalueerd.",
        "De kwaliteit van onze ondersteuning bewaken wij met ons kwaliteitssysteem. Wij meten de "
        "tevredenheid van cliënten en gebruiken de uitkomsten om onze dienstverlening te "
        "verbeteren.",
        "Bij ziekte en vakantie zorgen wij voor goede vervanging, zodat de ondersteuning "
        "doorgaat. Cliënten horen het vooraf als er een andere medewerker komt.",
        "Onze medewerkers worden goed opgeleid en krijgen regelmatig bijscholing. Zo blijft de "
        "ondersteuning effectief en van goede kwaliteit.",
    ),
    vague=(
        "Wij leveren al jaren goede ondersteuning aan veel cliënten.",
        "Onze medewerkers doen hun werk met veel plezier en inzet.",
        "De ondersteuning wordt uitgevoerd volgens de afspraken.",
        "Wij zorgen ervoor dat alles goed geregeld is.",
    ),
)

INNOVATIE: Final = SectionBank(
    concrete=(
        "Met {tool} zien cliënten en hun mantelzorgers wanneer de begeleider komt, verzetten zij "
        "afspraken en sturen zij berichten. Wij testten de toepassing in {jaar} met {kleintal} "
        "cliënten in {wijk}; op hun aanwijzingen maakten wij de letters groter en kwam er een "
        "knop om direct te bellen.",
        "Voor cliënten die 's avonds onrustig zijn, bieden wij beeldbellen aan naast bezoek aan "
        "huis. Een korte check-in via het scherm vervangt zo een deel van de avondbezoeken. In "
        "{wijk2} gebruiken nu {kleintal} cliënten dit; de begeleider heeft daardoor meer tijd "
        "voor cliënten die wel een bezoek nodig hebben.",
        "Samen met {woning} plaatsen wij in {wijk3} bij een proefgroep eenvoudige "
        "bewegingssensoren, die de mantelzorger een bericht sturen als er 's ochtends geen "
        "beweging is. De proef loopt een half jaar; wij evalueren hem met de bewoners en delen "
        "de uitkomsten met de gemeente en andere aanbieders.",
        "Innovatie is bij ons niet alleen techniek. Met {welzijn} ontwikkelden wij het "
        "'buurtrecept': een begeleider verwijst een cliënt naar een activiteit in de buurt, en "
        "een vrijwilliger gaat de eerste keer mee. Zo'n verwijzing kost minder dan een uur "
        "begeleiding.",
        "Medewerkers dragen zelf ideeën aan via ons innovatiefonds. Elk kwartaal kiest een jury "
        "met twee cliënten één idee om uit te proberen. Zo ontstond in {wijk} een gezamenlijke "
        "was- en strijkservice, die huishoudelijke uren vrijmaakt voor begeleiding.",
        "Wij delen wat werkt en wat niet. Elke proef beschrijven wij in een korte notitie met "
        "doel, aanpak, kosten en resultaat, die wij in het aanbiedersoverleg beschikbaar stellen. "
        "Ook mislukte proeven horen daarbij: in {jaar} stopten wij met een medicijnrobot die "
        "cliënten te ingewikkeld vonden.",
    ),
    cases=(
        "Meneer en mevrouw V. uit {wijk} willen thuis blijven wonen, maar hun dochter woont ver "
        "weg. Met {tool} ziet de dochter wanneer onze hulp is geweest en wat er is gedaan, en vult "
        "zij zelf afspraken aan. Sinds de start belt zij onze planning nauwelijks meer, en het "
        "echtpaar voelt zich minder gecontroleerd dan met dagelijkse telefoontjes.",
        "In {wijk3} probeerden wij met vijf cliënten een gedeelde boodschappendienst, met één "
        "vrijwilliger en een bestellijst op een tablet. Drie cliënten bleven hem gebruiken; twee "
        "vonden hem te onpersoonlijk en gingen weer samen met hun hulp boodschappen doen. Die "
        "uitkomst namen wij mee: de dienst is nu een keuze in het plan, geen standaard.",
    ),
    results=(
        "In {referentie} gebruikt inmiddels {pct2}% van onze cliënten {tool}. Het aantal gemiste "
        "afspraken daalde daardoor met {pct}%, en mantelzorgers belden onze planning de helft "
        "minder vaak.",
        "De proef met beeldbellen in {referentie} ({jaar}) verving gemiddeld twee avondbezoeken "
        "per cliënt per week, zonder dat cliënten zich minder gesteund voelden; zij gaven het "
        "een {cijfer}.",
        "Het buurtrecept is in {referentie} sinds {jaar} {clienten} keer uitgeschreven. Bij "
        "{pct2}% van die cliënten kon de individuele begeleiding na drie maanden omlaag.",
    ),
    general=(
        "Wij staan open voor innovatie en volgen de ontwikkelingen in de zorg op de voet. Nieuwe "
        "technologie kan bijdragen aan de zelfstandigheid van cliënten.",
        "Wij willen de mogelijkheden van domotica en e-health verder onderzoeken. Daarbij kijken "
        "wij steeds wat past bij de cliënt.",
        "Innovatie gaat voor ons ook over nieuwe manieren van werken. Wij moedigen medewerkers "
        "aan om met ideeën te komen.",
        "Wij zijn bereid om samen met de gemeente en andere partijen te experimenteren met nieuwe "
        "oplossingen voor thuisondersteuning.",
        "Bij vernieuwingen betrekken wij cliënten en medewerkers, zodat de vernieuwing aansluit "
        "bij de praktijk.",
    ),
    vague=(
        "Wij zijn een innovatieve organisatie.",
        "Innovatie heeft onze aandacht.",
        "Wij werken met moderne computersystemen en hebben een eigen website.",
        "In de toekomst willen wij misschien ook iets met apps gaan doen.",
    ),
)

SECTION_BANKS: Final = {
    "client-centraal": CLIENT_CENTRAAL,
    "samenwerking": SAMENWERKING,
    "visie": VISIE,
    "uitvoering": UITVOERING,
    "innovatie": INNOVATIE,
}

OFF_TOPIC: Final = (
    "Onze organisatie bestaat al vele jaren en is sindsdien flink gegroeid.",
    "Wij hebben een ervaren directie en een gezonde financiële positie.",
    "Ons kantoor is goed bereikbaar en ruim van opzet, met voldoende parkeergelegenheid.",
    "Wij zijn trots op onze medewerkers en op de sfeer binnen ons bedrijf.",
    "Wij doen al jaren mee aan aanbestedingen in de regio en hebben veel ervaring met offertes.",
    "Voor meer informatie verwijzen wij naar onze website en onze brochure.",
)
NOT_ADDRESSED: Final = (
    "Dit onderdeel werken wij na de gunning verder uit.",
    "Zie hiervoor de voorgaande hoofdstukken.",
)

# --- subheadings inside a section ---------------------------------------------------------

APPROACH_HEADINGS: Final = ("Zo werken wij", "Onze aanpak", "Aanpak in de praktijk")
RESULTS_HEADINGS: Final = ("Wat deze aanpak elders opleverde", "Resultaten", "Bereikte resultaten")
CASE_HEADING: Final = "Voorbeeld uit de praktijk"
ELABORATION_HEADING: Final = "Nadere uitwerking"
EXAMPLES_HEADING: Final = "Praktijkvoorbeelden"
