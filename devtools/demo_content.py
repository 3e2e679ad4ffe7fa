"""The texts of the demo data (devtools/demo.py): made-up practices and partnerships, half of
the practices written in French, as cities write them. `{city}` is the city's name."""

PRACTICES_EN = [
    {
        "title": "Open studios weekend in {city}",
        "summary": (
            "Once a year, artists and makers of {city} open their workshops to the public for "
            "a weekend of visits, demonstrations and sales."
        ),
        "challenge": (
            "Makers worked alone in small workshops scattered across the city, and few "
            "residents knew they were there."
        ),
        "actions": (
            "The city mapped the workshops, printed a free guide and ran shuttle buses:\n\n"
            "- **120 workshops** took part in the first edition;\n"
            "- each one offered a short demonstration every hour;\n"
            "- schools booked guided visits on the Friday."
        ),
        "results": (
            "Visits doubled in three years and half of the makers reported new orders within "
            "the following month."
        ),
        "transferability": (
            "Any city with a community of makers can start small, with one neighbourhood and a "
            "printed map."
        ),
        "partners": "Chamber of crafts, district councils, the regional tourism office",
        "target_groups": "Residents, schools, visitors",
        "contact_role": "Head of the culture department",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Reading circles in the libraries of {city}",
        "summary": (
            "Volunteers lead free reading circles for adults learning to read, in every public "
            "library of {city}."
        ),
        "challenge": "One adult in ten found reading everyday documents difficult.",
        "actions": (
            "Librarians trained sixty volunteers, chose books in plain language and opened a "
            "circle in each library, twice a week, in the evening."
        ),
        "results": (
            "Four hundred people joined a circle in the first year; most of them borrowed a "
            "book for the first time."
        ),
        "transferability": (
            "The training of volunteers is written down and can be reused by any library network."
        ),
        "partners": "Public libraries, adult education centres",
        "target_groups": "Adults learning to read, newcomers to the city",
        "contact_role": "Coordinator of the library network",
        "budget_range": "under-10k",
        "reaches_vulnerable_groups": True,
    },
    {
        "title": "Film school residencies in {city}",
        "summary": (
            "Young film-makers spend three months in {city} writing and shooting a short film "
            "about the city, with the help of local crews."
        ),
        "challenge": "Film students left the region because there was no work for them there.",
        "actions": (
            "Each year the city hosts four residents, lends them equipment and pairs each one "
            "with a local crew. The films are shown in an open-air screening at the end of "
            "the summer."
        ),
        "results": "Twenty short films made; six of them selected by international festivals.",
        "transferability": (
            "Needs a film school or a film office willing to lend equipment, and a screening venue."
        ),
        "partners": "National film school, the city's film office",
        "target_groups": "Young film-makers, residents",
        "contact_role": "Film commissioner",
        "budget_range": "100k-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "A market for local food in {city}",
        "summary": (
            "A weekly market in the old town of {city} where only farmers and cooks of the "
            "region may sell."
        ),
        "challenge": "Small farmers could not reach the city's restaurants and residents.",
        "actions": (
            "The market was given a square, simple rules (only food grown or cooked within "
            "100 km) and a cooking stage where chefs use what is sold that day."
        ),
        "results": "Sixty farmers sell there every week; several restaurants now buy from them.",
        "transferability": "Works in any city with a central square and farms nearby.",
        "partners": "Farmers' association, the chefs' guild",
        "target_groups": "Farmers, residents, restaurants",
        "contact_role": "Officer for local economic development",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Music in every school of {city}",
        "summary": (
            "Every primary school pupil of {city} learns an instrument for two years, taught "
            "by musicians of the city's orchestras."
        ),
        "challenge": "Music lessons were only for the families who could pay for them.",
        "actions": (
            "Instruments were bought with a sponsor, and musicians teach small groups during "
            "school hours. Each year ends with a concert in the city's concert hall."
        ),
        "results": (
            "Five thousand pupils have played in an end-of-year concert; one in five goes on "
            "with music after the two years."
        ),
        "transferability": "Starts with one school and the musicians of a single orchestra.",
        "partners": "The city orchestra, the education department, a private sponsor",
        "target_groups": "Pupils aged 7 to 11 and their families",
        "contact_role": "Music education officer",
        "budget_range": "over-1m",
        "reaches_vulnerable_groups": True,
    },
    {
        "title": "Design for public spaces in {city}",
        "summary": (
            "Designers and residents of {city} redesign a square together each year, from "
            "benches to lighting."
        ),
        "challenge": "New public spaces were little used because nobody had asked what was needed.",
        "actions": (
            "Workshops on the square itself, full-size cardboard models of the furniture, and "
            "a vote of the residents before anything is built."
        ),
        "results": "Four squares redesigned; people stay there twice as long as before.",
        "transferability": "The method needs designers, time for workshops and a modest budget.",
        "partners": "School of design, district councils",
        "target_groups": "Residents, designers",
        "contact_role": "Urban design coordinator",
        "budget_range": "100k-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Digital art in the old tram depot of {city}",
        "summary": (
            "A former tram depot of {city} became a place where media artists work, show and teach."
        ),
        "challenge": "Media artists had nowhere to show work that needs space and equipment.",
        "actions": (
            "The city restored the depot, equipped it with projectors and sound, and gives it "
            "to artists for residencies and exhibitions open to all."
        ),
        "results": "Thirty exhibitions and a yearly festival of light that fills the streets.",
        "transferability": "Any empty industrial building can host it with careful restoration.",
        "partners": "Media arts centre, the university's computer science faculty",
        "target_groups": "Media artists, students, residents",
        "contact_role": "Director of the media arts centre",
        "budget_range": "over-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Crafts passed on in {city}",
        "summary": (
            "Master craftspeople of {city} take apprentices for a year, so that rare crafts "
            "are not lost."
        ),
        "challenge": "Few young people learnt the traditional crafts of the city.",
        "actions": (
            "A grant pays each master to train one apprentice for a year; the apprentices "
            "show their work at the end of the year."
        ),
        "results": "Forty apprentices trained; twelve of them opened their own workshop.",
        "transferability": "Needs a list of masters and a small grant for each apprenticeship.",
        "partners": "Chamber of crafts, vocational schools",
        "target_groups": "Young people looking for a trade",
        "contact_role": "Officer for crafts and heritage",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": True,
    },
]

PRACTICES_FR = [
    {
        "title": "Ateliers ouverts à {city}",
        "summary": (
            "Chaque printemps, les artisans de {city} ouvrent leurs ateliers au public pendant "
            "un week-end de visites et de démonstrations."
        ),
        "challenge": "Les artisans travaillaient seuls et les habitants les connaissaient peu.",
        "actions": (
            "La ville a recensé les ateliers, publié un guide gratuit et organisé des navettes :"
            "\n\n- **quatre-vingts ateliers** ont participé à la première édition ;\n"
            "- chacun proposait une démonstration par heure."
        ),
        "results": "Les visites ont doublé en trois ans et les commandes ont suivi.",
        "transferability": (
            "Toute ville qui compte des artisans peut commencer par un quartier et une carte "
            "imprimée."
        ),
        "partners": "Chambre des métiers, mairies de quartier",
        "target_groups": "Habitants, écoles, visiteurs",
        "contact_role": "Responsable du service de la culture",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Cercles de lecture dans les bibliothèques de {city}",
        "summary": (
            "Des bénévoles animent des cercles de lecture gratuits pour les adultes qui "
            "apprennent à lire, dans chaque bibliothèque de {city}."
        ),
        "challenge": "Un adulte sur dix avait du mal à lire un document de la vie courante.",
        "actions": (
            "Les bibliothécaires ont formé soixante bénévoles, choisi des livres faciles à lire "
            "et ouvert un cercle dans chaque bibliothèque, deux soirs par semaine."
        ),
        "results": "Quatre cents personnes ont rejoint un cercle la première année.",
        "transferability": "La formation des bénévoles est écrite et peut servir ailleurs.",
        "partners": "Bibliothèques municipales, centres d'éducation des adultes",
        "target_groups": "Adultes en apprentissage de la lecture",
        "contact_role": "Coordinatrice du réseau des bibliothèques",
        "budget_range": "under-10k",
        "reaches_vulnerable_groups": True,
    },
    {
        "title": "Résidences de jeunes cinéastes à {city}",
        "summary": (
            "De jeunes cinéastes passent trois mois à {city} pour écrire et tourner un court "
            "métrage sur la ville, avec des équipes locales."
        ),
        "challenge": "Les étudiants en cinéma quittaient la région faute de travail.",
        "actions": (
            "La ville accueille quatre résidents par an, leur prête du matériel et les associe "
            "à une équipe locale. Les films sont projetés en plein air à la fin de l'été."
        ),
        "results": "Vingt courts métrages réalisés, dont six retenus par des festivals.",
        "transferability": "Il faut une école ou un bureau du cinéma prêt à prêter du matériel.",
        "partners": "École nationale de cinéma, bureau du cinéma de la ville",
        "target_groups": "Jeunes cinéastes, habitants",
        "contact_role": "Responsable du bureau du cinéma",
        "budget_range": "100k-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Un marché des produits locaux à {city}",
        "summary": (
            "Un marché hebdomadaire dans la vieille ville de {city}, réservé aux producteurs "
            "et cuisiniers de la région."
        ),
        "challenge": "Les petits producteurs n'atteignaient ni les restaurants ni les habitants.",
        "actions": (
            "Une place, des règles simples (des produits cultivés ou cuisinés à moins de "
            "100 km) et une scène où des chefs cuisinent les produits du jour."
        ),
        "results": "Soixante producteurs y vendent chaque semaine.",
        "transferability": "Possible dans toute ville qui a une place centrale et des fermes.",
        "partners": "Association des producteurs, guilde des chefs",
        "target_groups": "Producteurs, habitants, restaurateurs",
        "contact_role": "Chargé du développement économique local",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "La musique dans toutes les écoles de {city}",
        "summary": (
            "Chaque élève de primaire de {city} apprend un instrument pendant deux ans, avec "
            "les musiciens des orchestres de la ville."
        ),
        "challenge": "Les cours de musique étaient réservés aux familles qui pouvaient payer.",
        "actions": (
            "Des instruments achetés avec un mécène, des cours en petits groupes pendant le "
            "temps scolaire et un concert de fin d'année dans la grande salle de la ville."
        ),
        "results": "Cinq mille élèves ont joué lors d'un concert de fin d'année.",
        "transferability": "On peut commencer avec une école et un seul orchestre.",
        "partners": "Orchestre de la ville, direction de l'éducation, un mécène",
        "target_groups": "Élèves de 7 à 11 ans et leurs familles",
        "contact_role": "Responsable de l'éducation musicale",
        "budget_range": "over-1m",
        "reaches_vulnerable_groups": True,
    },
    {
        "title": "Le design des espaces publics à {city}",
        "summary": (
            "Designers et habitants de {city} réaménagent ensemble une place chaque année, "
            "des bancs à l'éclairage."
        ),
        "challenge": "Les nouveaux espaces publics étaient peu fréquentés.",
        "actions": (
            "Des ateliers sur la place, des maquettes en carton grandeur nature et un vote des "
            "habitants avant toute construction."
        ),
        "results": "Quatre places réaménagées, où l'on reste deux fois plus longtemps.",
        "transferability": "La méthode demande des designers, du temps et un budget modeste.",
        "partners": "École de design, mairies de quartier",
        "target_groups": "Habitants, designers",
        "contact_role": "Coordinateur du design urbain",
        "budget_range": "100k-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Les arts numériques dans l'ancien dépôt de tramways de {city}",
        "summary": (
            "Un ancien dépôt de tramways de {city} est devenu un lieu où les artistes du "
            "numérique créent, exposent et enseignent."
        ),
        "challenge": "Les artistes du numérique manquaient de lieux équipés pour exposer.",
        "actions": (
            "La ville a restauré le dépôt, l'a équipé de projecteurs et de son, et le confie "
            "aux artistes pour des résidences et des expositions ouvertes à tous."
        ),
        "results": "Trente expositions et un festival annuel de la lumière.",
        "transferability": "Tout bâtiment industriel vide peut l'accueillir.",
        "partners": "Centre des arts numériques, faculté d'informatique",
        "target_groups": "Artistes, étudiants, habitants",
        "contact_role": "Directrice du centre des arts numériques",
        "budget_range": "over-1m",
        "reaches_vulnerable_groups": False,
    },
    {
        "title": "Transmettre les métiers d'art à {city}",
        "summary": (
            "Des maîtres artisans de {city} forment chacun un apprenti pendant un an, pour que "
            "les savoir-faire rares ne se perdent pas."
        ),
        "challenge": "Peu de jeunes apprenaient les métiers traditionnels de la ville.",
        "actions": (
            "Une bourse rémunère chaque maître pour un an de formation ; les apprentis exposent "
            "leur travail à la fin de l'année."
        ),
        "results": "Quarante apprentis formés, dont douze ont ouvert leur atelier.",
        "transferability": "Il faut une liste de maîtres et une petite bourse par apprenti.",
        "partners": "Chambre des métiers, lycées professionnels",
        "target_groups": "Jeunes en recherche d'un métier",
        "contact_role": "Chargée des métiers d'art et du patrimoine",
        "budget_range": "10k-100k",
        "reaches_vulnerable_groups": True,
    },
]

PARTNERSHIPS = [
    {
        "title": "Illustrators on the move, from {city}",
        "kind": "exchange",
        "summary": "Illustrators of the partner cities spend a month in each other's studios.",
        "description": (
            "Each year two illustrators of each city travel to a partner city, work in a "
            "shared studio and show what they made in a joint exhibition.\n\n"
            "The cities share the travel costs; the host city provides the studio."
        ),
        "progress": "ongoing",
    },
    {
        "title": "A travelling festival of street music, from {city}",
        "kind": "event",
        "summary": "A festival of street music that travels between the partner cities.",
        "description": (
            "Musicians of every partner city play in the streets of the host city for a "
            "week. The festival changes city each year."
        ),
        "progress": "ongoing",
    },
    {
        "title": "Counting creative jobs, with {city}",
        "kind": "study",
        "summary": "A shared study of the jobs the creative economy brings to the partner cities.",
        "description": (
            "Universities of the partner cities count and compare creative jobs with one "
            "method, and publish the figures every two years."
        ),
        "progress": "completed",
    },
    {
        "title": "Food heritage routes, from {city}",
        "kind": "pilot",
        "summary": "Routes through the food heritage of the partner cities, for visitors.",
        "description": (
            "Each city drew a route through its markets, farms and kitchens; the routes are "
            "tested with visitors before being published."
        ),
        "progress": "planned",
    },
    {
        "title": "Design schools work together, with {city}",
        "kind": "joint-project",
        "summary": "Students of the partner cities' design schools work on one brief together.",
        "description": (
            "Every year the schools choose one brief (a bench, a bus stop, a market stall) "
            "and mixed teams of students answer it together, online and in person."
        ),
        "progress": "ongoing",
    },
    {
        "title": "Media artists swap studios, from {city}",
        "kind": "exchange",
        "summary": "Media artists of the partner cities swap studios for three months.",
        "description": (
            "Artists work in the media arts centre of a partner city and show their work in "
            "its yearly festival of light."
        ),
        "progress": "ongoing",
    },
]

ORGANISATIONS = [
    {"name": "Demo Foundation for the Arts", "country": "FR", "sector": "civil-society"},
    {"name": "Demo University of Creative Industries", "country": "GB", "sector": "research"},
    {"name": "Demo Cultural Heritage Agency", "country": "IT", "sector": "public"},
    {"name": "Demo Studio Cooperative", "country": "SN", "sector": "private"},
    {"name": "Demo Network of Festivals", "country": "CO", "sector": "international"},
]

CALL_TITLE = "Call for applications: {title}"
CALL_ELIGIBILITY = "Artists and professionals living in a member city of the network."

CHANGES_REQUESTED_MESSAGE = (
    "Thank you. Could you add the results of the last two years, with figures, and say who "
    "funded the project?"
)
