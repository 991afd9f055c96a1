"""A realistic sample network, deterministic for a given seed and today.

A handful of hand-written people with stories (the old professor, the DJ from a 2014
concert, a priority contact who just changed jobs) and as many generated ones as asked
for: varied tiers and categories, how-met stories, three years of touches, some
unanswered attempts, job changes, follow-ups, paused and archived contacts, and an
audit finished seven months ago. Written with bulk inserts in one transaction, so
30,000 contacts and 300,000 touches take seconds.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from netterm.config import clock
from netterm.core.kinds import GAVE, IN, MUTUAL, NONE, OUT, RECEIVED, TOUCH_KINDS
from netterm.core.validate import normalize_method
from netterm.errors import NetTermError
from netterm.services import stats
from netterm.services.contacts import TEXT_FIELDS, search_text
from netterm.store.models import Audit, Category, Contact, database

DEFAULT_SIZE = 250
DEFAULT_SEED = 2026

FIRST = (
    "Ana",
    "João",
    "Marta",
    "Pedro",
    "Inês",
    "Tiago",
    "Sofia",
    "Rui",
    "Beatriz",
    "Miguel",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Ethan",
    "Mia",
    "Lucas",
    "Chloé",
    "Hugo",
    "Léa",
    "Jules",
    "Hannah",
    "Felix",
    "Lena",
    "Jonas",
    "Clara",
    "Paul",
    "Greta",
    "Moritz",
    "Aarav",
    "Priya",
    "Rohan",
    "Ananya",
    "Vikram",
    "Diya",
    "Kabir",
    "Meera",
    "Arjun",
    "Isha",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Sakura",
    "Kenji",
    "Min-jun",
    "Seo-yeon",
    "Linh",
    "Minh",
    "Amara",
    "Kwame",
    "Zainab",
    "Chidi",
    "Nia",
    "Tariq",
    "Layla",
    "Omar",
    "Fatima",
    "Yusuf",
    "Mateo",
    "Valentina",
    "Santiago",
    "Camila",
    "Diego",
    "Lucía",
    "Gabriel",
    "Isabela",
    "Sebastián",
    "Martina",
    "Oliver",
    "Freya",
    "Erik",
    "Astrid",
    "Nils",
    "Ingrid",
    "Aino",
    "Eero",
    "Katarzyna",
    "Piotr",
    "Zofia",
    "Tomasz",
    "Alessandro",
    "Giulia",
    "Marco",
    "Francesca",
    "Dmitri",
    "Olga",
    "Nikolai",
    "Elena",
    "Samuel",
    "Grace",
    "Daniel",
    "Ruth",
    "David",
    "Sarah",
    "James",
    "Helen",
    "Thomas",
    "Margaret",
    "Kofi",
    "Aisha",
    "Ravi",
    "Sunita",
    "Jamal",
    "Keisha",
    "Connor",
    "Siobhan",
    "Declan",
    "Aoife",
)
LAST = (
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Oliveira",
    "Costa",
    "Rodrigues",
    "Martins",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Becker",
    "Wagner",
    "Hoffmann",
    "Dubois",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Girard",
    "Bonnet",
    "Rousseau",
    "Fontaine",
    "Sharma",
    "Patel",
    "Gupta",
    "Iyer",
    "Reddy",
    "Nair",
    "Kapoor",
    "Mehta",
    "Chatterjee",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Tanaka",
    "Suzuki",
    "Takahashi",
    "Watanabe",
    "Kim",
    "Park",
    "Lee",
    "Nguyen",
    "Tran",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Okonkwo",
    "Diallo",
    "Haddad",
    "Khalil",
    "Rahman",
    "Hassan",
    "García",
    "Fernández",
    "López",
    "Martínez",
    "González",
    "Hernández",
    "Ramírez",
    "Torres",
    "Andersson",
    "Johansson",
    "Nilsson",
    "Larsen",
    "Hansen",
    "Virtanen",
    "Korhonen",
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Rossi",
    "Russo",
    "Bianchi",
    "Romano",
    "Ivanov",
    "Petrova",
    "Volkov",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Walsh",
    "van der Berg",
    "de Vries",
    "Jansen",
    "Bakker",
    "Cohen",
    "Levi",
    "Friedman",
    "Novak",
    "Horvat",
)
COMPANIES = (
    "Acme",
    "Acme Robotics",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Wonka Foods",
    "Soylent",
    "Cyberdyne Systems",
    "Tyrell Corp",
    "Aperture Labs",
    "Massive Dynamic",
    "Vandelay Industries",
    "Pied Piper",
    "Dunder Mifflin",
    "Prestige Worldwide",
    "Monarch Solutions",
    "Nakatomi Trading",
    "Sterling Cooper",
    "Bluth Company",
    "Blue Sun",
    "Oceanic Airlines",
    "Gekko & Co",
    "Hooli XYZ",
    "Oscorp",
    "Wernham Hogg",
    "Los Alamos Analytics",
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
    "Tailspin Toys",
    "Litware",
    "Adventure Works",
    "Proseware",
    "Lakeshore Ventures",
    "Harbor & Pine Consulting",
    "Brightline Studio",
    "Quartz Capital",
)
UNIVERSITIES = (
    "Northfield University",
    "Lakeside Institute of Technology",
    "University of Porto",
    "TU Berlin",
    "Imperial College",
    "Keio University",
)
TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Principal Engineer",
    "Engineering Manager",
    "Director of Engineering",
    "VP Engineering",
    "CTO",
    "Founder",
    "Co-founder & CEO",
    "Product Manager",
    "Senior Product Manager",
    "Head of Product",
    "Product Designer",
    "Head of Design",
    "UX Researcher",
    "Data Scientist",
    "ML Engineer",
    "Data Engineer",
    "Site Reliability Engineer",
    "Security Engineer",
    "Developer Advocate",
    "Technical Recruiter",
    "Talent Partner",
    "Account Executive",
    "VP Sales",
    "Marketing Lead",
    "Growth Manager",
    "CFO",
    "Partner",
    "Principal Consultant",
    "Analyst",
    "Journalist",
    "Community Manager",
    "Solutions Architect",
    "Customer Success Lead",
)
CATEGORIES = (
    "potential clients",
    "influential friends",
    "former classmates",
    "professional associations",
    "former colleagues",
    "mentors",
    "recruiters",
    "investors",
    "open source",
    "speakers",
)
CONFERENCES = (
    "PyCon",
    "EuroPython",
    "KubeCon",
    "Web Summit",
    "Strange Loop",
    "FOSDEM",
    "RustConf",
    "QCon",
    "Lisbon Tech Meetup",
    "Berlin Product Circle",
    "SaaStr",
    "JSConf",
)
CITIES = (
    "Lisbon",
    "Porto",
    "Berlin",
    "London",
    "New York",
    "São Paulo",
    "Toronto",
    "Bangalore",
    "Nairobi",
    "Sydney",
    "Tokyo",
    "Paris",
    "Madrid",
    "Amsterdam",
    "Austin",
    "Singapore",
    "Dublin",
    "Stockholm",
    "Warsaw",
    "Mexico City",
)
TOPICS = (
    "platform migrations",
    "hiring senior engineers",
    "pricing experiments",
    "Rust in production",
    "design systems",
    "on-call health",
    "fundraising",
    "remote teams",
    "data contracts",
    "developer experience",
    "LLM evaluation",
    "open source funding",
)
LOOKING_FOR = (
    "a staff engineer for the payments team",
    "intros to investors for a seed round",
    "speakers for their meetup",
    "a product designer for a two-week project",
    "a co-founder with sales experience",
    "a data scientist to review their churn model",
    "a technical recruiter who knows Berlin",
    "a security engineer to audit their login flow",
    "a mentor in engineering management",
    "a developer advocate for their open source project",
    "",
    "",
    "",
    "",
)
NOTES = (
    "Prefers morning coffee, never calls.",
    "Has two kids; ask about the football club.",
    "Writes a good newsletter on {topic}.",
    "Introduced me to half of {company}.",
    "Vegetarian; likes the ramen place near the office.",
    "Runs marathons.",
    "Was very helpful when I was job hunting.",
    "Interested in {topic}.",
    "Moved from {city} last year.",
    "",
    "",
    "",
    "",
)
TOUCH_NOTES = {
    "coffee": ("caught up on {topic}", "talked about their team", "coffee near the office", ""),
    "lunch": ("lunch at the ramen place", "talked about {topic}", ""),
    "call": ("quick call about {topic}", "catch-up call", ""),
    "email": ("sent the article on {topic}", "asked about {topic}", "checked in", ""),
    "message": ("happy birthday", "asked how the new role is going", ""),
    "social": ("liked their post on {topic}", "commented on their launch", ""),
    "congrats": ("congrats on the new role", "congrats on the launch", ""),
    "article": ("shared a piece on {topic}",),
    "intro": ("introduced them to someone at {company}",),
    "favour": ("reviewed their talk proposal", "referred them for a role"),
    "update": ("shared my news", "sent my quarterly update"),
}
KIND_WEIGHTS = {
    1: (
        ("coffee", 5),
        ("lunch", 3),
        ("call", 3),
        ("email", 4),
        ("message", 4),
        ("social", 3),
        ("congrats", 1),
        ("article", 2),
        ("intro", 1),
        ("favour", 1),
        ("update", 1),
    ),
    2: (
        ("coffee", 2),
        ("lunch", 1),
        ("call", 2),
        ("email", 5),
        ("message", 4),
        ("social", 4),
        ("congrats", 1),
        ("article", 2),
        ("intro", 1),
        ("favour", 1),
        ("update", 2),
    ),
    3: (
        ("coffee", 1),
        ("call", 1),
        ("email", 3),
        ("message", 3),
        ("social", 6),
        ("congrats", 2),
        ("article", 1),
        ("update", 2),
    ),
    None: (("social", 5), ("message", 2), ("email", 2), ("coffee", 1), ("congrats", 1)),
}


@dataclass(frozen=True)
class DemoSummary:
    contacts: int
    touches: int
    path: str = ""


def ensure_demo(path: Path, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED) -> bool:
    """Create the demo network at `path` if there is none yet; True if created."""
    from netterm.store import open_database

    if path.exists() and path.stat().st_size > 0:
        return False
    open_database(path)
    generate(size=size, seed=seed)
    return True


def generate(
    size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, touches: int | None = None
) -> DemoSummary:
    """Write the sample network into the open (empty) database.

    `touches` is the total number of touches wanted (default: about 10 per contact).
    """
    if size < 1:
        raise NetTermError("demo: --size must be at least 1")
    existing = Contact.select().count()
    if existing:
        raise NetTermError(
            f"the database already has {existing} contacts; the demo writes only to a new "
            "database (use --db with another file)"
        )
    rng = random.Random(seed)
    now = clock.now()
    tz = now.timezone
    today = now.date()
    per_contact = (touches / size) if touches is not None else 10.0
    builder = _Builder(rng, today, tz, per_contact)
    for story in _stories(today):
        if builder.count >= size:
            break
        builder.add_story(story)
    while builder.count < size:
        builder.add_generated()
    with database.atomic():
        builder.write(now)
        stats.rebuild()
    return DemoSummary(builder.count, len(builder.touches))


# --------------------------------------------------------------------------- stories


def _stories(today: date) -> list[dict]:
    """Hand-written people that make the demo read like someone's real network."""
    return [
        {
            "first": "Ana",
            "last": "Silva",
            "title": "Head of Product",
            "company": "Globex",
            "old_job": ("Senior Product Manager", "Acme"),
            "tier": 1,
            "city": "Lisbon",
            "how_met": "former colleague at Acme, shared the 2019 payments launch",
            "met_years": 7,
            "categories": ["former colleagues", "influential friends"],
            "looking_for": "a staff engineer for her new platform team",
            "notes": "Moved from Acme to Globex this autumn.",
            "touches": [
                (130, "coffee", MUTUAL, NONE),
                (260, "lunch", MUTUAL, NONE),
                (300, "intro", OUT, GAVE),
            ],
            "methods": [("email", "ana.silva@globex.example"), ("linkedin", "ana-silva-pm")],
        },
        {
            "first": "Helen",
            "last": "Okafor",
            "title": "Professor of Distributed Systems",
            "company": "Northfield University",
            "tier": 2,
            "city": "London",
            "how_met": "my professor: Distributed Systems, 2015",
            "met_years": 11,
            "categories": ["mentors", "former classmates"],
            "notes": "Wrote my recommendation letter. Likes hearing how alumni are doing.",
            "touches": [(170, "update", OUT, NONE), (540, "email", IN, RECEIVED)],
            "methods": [("email", "h.okafor@northfield.example")],
        },
        {
            "first": "Marcus",
            "last": "Webb",
            "title": "DJ & Producer",
            "company": "",
            "tier": 3,
            "city": "Berlin",
            "how_met": "the DJ from a 2014 concert at Berghain",
            "met_years": 12,
            "categories": ["influential friends"],
            "touches": [(400, "social", OUT, NONE)],
            "methods": [("website", "marcuswebb.example"), ("x", "marcuswebbdj")],
        },
        {
            "first": "Priya",
            "last": "Sharma",
            "title": "VP Engineering",
            "company": "Acme Robotics",
            "tier": 1,
            "city": "Bangalore",
            "how_met": "speaker dinner at PyCon 2023",
            "met_years": 3,
            "categories": ["potential clients", "speakers"],
            "looking_for": "a consultancy for their data platform",
            "touches": [
                (20, "email", OUT, NONE, True),
                (9, "message", OUT, NONE, True),
                (150, "coffee", MUTUAL, NONE),
            ],
            "methods": [("email", "priya@acmerobotics.example"), ("linkedin", "priya-sharma-eng")],
        },
        {
            "first": "Jonas",
            "last": "Becker",
            "title": "Partner",
            "company": "Quartz Capital",
            "tier": 1,
            "city": "Berlin",
            "how_met": "introduced by Ana Silva",
            "met_years": 2,
            "categories": ["investors"],
            "touches": [
                (40, "call", MUTUAL, RECEIVED),
                (80, "favour", IN, RECEIVED),
                (200, "coffee", MUTUAL, NONE),
            ],
            "methods": [("email", "jonas@quartz.example")],
        },
        {
            "first": "Ana",
            "last": "Costa",
            "title": "Technical Recruiter",
            "company": "Hooli",
            "tier": 3,
            "city": "Porto",
            "how_met": "LinkedIn message about a role",
            "met_years": 4,
            "categories": ["recruiters"],
            "touches": [(330, "message", IN, NONE)],
            "methods": [("linkedin", "ana-costa-talent")],
        },
    ]


class _Builder:
    def __init__(self, rng: random.Random, today: date, tz, per_contact: float) -> None:
        self.rng = rng
        self.today = today
        self.tz = tz
        self.per_contact = per_contact
        self.contacts: list[dict] = []
        self.methods: list[tuple] = []
        self.links: list[tuple[int, str]] = []
        self.touches: list[tuple] = []
        self.jobs: list[tuple] = []
        self.follow_ups: list[tuple] = []
        self.used_names: set[str] = set()

    @property
    def count(self) -> int:
        return len(self.contacts)

    # ---- helpers
    def _day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def _instant(self, day: date) -> str:
        hour = self.rng.choice((8, 9, 10, 12, 13, 15, 17, 18, 19))
        local = datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=self.tz)
        return local.astimezone(UTC).isoformat()

    def _fill(self, text: str) -> str:
        return text.format(
            topic=self.rng.choice(TOPICS),
            company=self.rng.choice(COMPANIES),
            city=self.rng.choice(CITIES),
        )

    def _touch(
        self,
        cid: int,
        days_ago: int,
        kind: str,
        direction: str,
        value: str,
        awaiting: bool = False,
        replied: bool = False,
    ) -> None:
        day = self._day(days_ago)
        at = self._instant(day)
        note = self._fill(self.rng.choice(TOUCH_NOTES[kind]))
        in_person = TOUCH_KINDS[kind].in_person
        replied_at = at if replied else None
        self.touches.append(
            (
                cid,
                at,
                day.isoformat(),
                kind,
                direction,
                in_person,
                awaiting,
                replied_at,
                value,
                note,
                at,
            )
        )

    # ---- people
    def add_story(self, s: dict) -> None:
        cid = self.count + 1
        name = f"{s['first']} {s['last']}"
        self.used_names.add(name)
        met_on = self._day(int(s["met_years"] * 365.25) + self.rng.randrange(60))
        self.contacts.append(
            {
                "id": cid,
                "first_name": s["first"],
                "last_name": s["last"],
                "job_title": s["title"],
                "company": s["company"],
                "location": s["city"],
                "how_met": s["how_met"],
                "met_on": met_on.isoformat(),
                "notes": s.get("notes", ""),
                "looking_for": s.get("looking_for", ""),
                "tier": s["tier"],
                "tracked_since": self._day(3 * 365).isoformat(),
                "job_changed": "old_job" in s,
            }
        )
        if "old_job" in s:
            title, company = s["old_job"]
            self.jobs.append(
                (cid, title, company, met_on.isoformat(), self._day(45).isoformat(), "linkedin")
            )
        for t in s["touches"]:
            days_ago, kind, direction, value, *rest = t
            awaiting = bool(rest and rest[0])
            self._touch(cid, days_ago, kind, direction, value, awaiting=awaiting)
        for kind, value in s["methods"]:
            k, v = normalize_method(kind, value)
            self.methods.append((cid, k, v, "", True))
        for cat in s["categories"]:
            self.links.append((cid, cat))

    def add_generated(self) -> None:
        rng = self.rng
        cid = self.count + 1
        for _ in range(20):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if f"{first} {last}" not in self.used_names:
                break
        self.used_names.add(f"{first} {last}")
        tier = rng.choices((1, 2, 3, None), weights=(10, 25, 30, 35))[0]
        company = rng.choice(COMPANIES)
        title = rng.choice(TITLES)
        years = rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12))
        met_on = self._day(years * 365 + rng.randrange(365))
        story = rng.randrange(8)
        conf = rng.choice(CONFERENCES)
        if story == 0:
            how = f"former colleague at {rng.choice(COMPANIES)}"
            cats = ["former colleagues"]
        elif story == 1:
            how = f"met at {conf} {met_on.year}"
            cats = ["professional associations"]
        elif story == 2:
            how = f"classmate at {rng.choice(UNIVERSITIES)}"
            cats = ["former classmates"]
        elif story == 3:
            how = f"introduced by {rng.choice(FIRST)} {rng.choice(LAST)}"
            cats = ["influential friends"]
        elif story == 4:
            how = f"client project with {company}"
            cats = ["potential clients"]
        elif story == 5:
            how = f"{conf} hallway track, talked about {rng.choice(TOPICS)}"
            cats = ["speakers"] if rng.random() < 0.5 else []
        elif story == 6:
            how = f"LinkedIn message about {rng.choice(TOPICS)}"
            cats = ["recruiters"] if "Recruit" in title or "Talent" in title else []
        else:
            how = f"neighbour in {rng.choice(CITIES)}"
            cats = []
        if rng.random() < 0.15:
            cats.append(rng.choice(CATEGORIES))
        row = {
            "id": cid,
            "first_name": first,
            "last_name": last,
            "job_title": title,
            "company": company,
            "location": rng.choice(CITIES),
            "how_met": how,
            "met_on": met_on.isoformat(),
            "notes": self._fill(rng.choice(NOTES)),
            "looking_for": rng.choice(LOOKING_FOR),
            "tier": tier,
            "tracked_since": (self._day(rng.randrange(200, 1100)).isoformat() if tier else None),
        }
        roll = rng.random()
        if roll < 0.02:
            row["archived"] = True
        elif roll < 0.035:
            row["paused_until"] = (self.today + timedelta(days=rng.randrange(5, 60))).isoformat()
        elif roll < 0.045:
            row["awaiting_inbound_since"] = self._day(rng.randrange(3, 40)).isoformat()
        if rng.random() < 0.05:
            old_title, old_company = rng.choice(TITLES), rng.choice(COMPANIES)
            if old_company != company:
                self.jobs.append(
                    (
                        cid,
                        old_title,
                        old_company,
                        met_on.isoformat(),
                        self._day(rng.randrange(10, 120)).isoformat(),
                        "linkedin",
                    )
                )
                row["job_changed"] = True
        self.contacts.append(row)
        for cat in dict.fromkeys(cats):
            self.links.append((cid, cat))
        slug = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        ascii_slug = slug.encode("ascii", "ignore").decode() or f"contact{cid}"
        domain = company.lower().replace(" ", "").replace("&", "") + ".example"
        if rng.random() < 0.8:
            self.methods.append((cid, "email", f"{ascii_slug}@{domain}", "work", True))
        if rng.random() < 0.25:
            self.methods.append(
                (cid, "email", f"{ascii_slug}{rng.randrange(99)}@mail.example", "home", False)
            )
        if rng.random() < 0.7:
            self.methods.append(
                (
                    cid,
                    "linkedin",
                    f"https://www.linkedin.com/in/{ascii_slug.replace('.', '-')}-{cid}",
                    "",
                    True,
                )
            )
        if rng.random() < 0.3:
            self.methods.append(
                (
                    cid,
                    "phone",
                    f"+{rng.randrange(1, 99)} {rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
                    "mobile",
                    True,
                )
            )
        if rng.random() < 0.1:
            self.methods.append((cid, "github", f"@{ascii_slug.replace('.', '')}", "", True))
        self._generated_touches(cid, tier)
        if rng.random() < 0.05:
            due = self.today + timedelta(days=rng.randrange(-10, 30))
            self.follow_ups.append(
                (
                    cid,
                    due.isoformat(),
                    self._fill(
                        rng.choice(
                            (
                                "send the article on {topic}",
                                "ask about the role at {company}",
                                "invite to the {city} meetup",
                                "check how the launch went",
                            )
                        )
                    ),
                )
            )

    def _generated_touches(self, cid: int, tier) -> None:
        rng = self.rng
        # Tier multipliers average about 1, so `touches` is met on average.
        base = {1: 2.4, 2: 1.4, 3: 0.8, None: 0.45}[tier] * self.per_contact
        n = max(1 if tier else 0, round(rng.gauss(base, base / 3)))
        weights = KIND_WEIGHTS[tier]
        kinds = [k for k, _ in weights]
        kw = [w for _, w in weights]
        # Spread over three years, denser lately; where the most recent touch falls
        # decides overdue / due soon / ok.
        span = 3 * 365
        cadence = {1: 90, 2: 180, 3: 365, None: 500}[tier]
        latest = int(rng.triangular(0, cadence * 1.6, cadence * 0.7))
        days = [latest] if n else []
        days += [latest + int(rng.random() ** 1.4 * (span - latest)) for _ in range(n - 1)]
        days.sort()
        for d in reversed(days):
            kind = rng.choices(kinds, weights=kw)[0]
            spec = TOUCH_KINDS[kind]
            direction = spec.direction
            if direction == OUT and rng.random() < 0.25:
                direction = IN
            value = spec.value if direction == OUT else NONE
            if value == NONE and rng.random() < 0.06:
                value = RECEIVED
            awaiting = direction == OUT and kind in ("email", "message") and rng.random() < 0.3
            self._touch(cid, d, kind, direction, value, awaiting=awaiting, replied=awaiting)
        # Some go quiet: one to three unanswered attempts at the end.
        if tier and rng.random() < 0.07:
            start = rng.randrange(5, 60)
            for i in range(rng.choice((1, 2, 2, 3))):
                self._touch(
                    cid,
                    max(0, start - i * rng.randrange(4, 15)),
                    rng.choice(("email", "message")),
                    OUT,
                    NONE,
                    awaiting=True,
                )

    # ---- writing
    def write(self, now) -> None:
        created = now.in_tz("UTC").isoformat()
        audit_start = now.subtract(days=214).in_tz("UTC")
        reviewed = audit_start.add(days=1).isoformat()
        # the tracked contacts existed before the last audit (its plan, below), which
        # reviewed most of them; the untracked ones came in since, with an import
        added = audit_start.subtract(days=30).isoformat()
        by_contact: dict[int, list[str]] = {}
        for m in self.methods:
            by_contact.setdefault(m[0], []).append(m[2])
        params = []
        for c in self.contacts:
            fields = {k: c.get(k) for k in TEXT_FIELDS}
            params.append(
                (
                    c["id"],
                    c["first_name"],
                    c["last_name"],
                    c["job_title"],
                    c["company"],
                    c["location"],
                    c["how_met"],
                    c["met_on"],
                    c["notes"],
                    c["looking_for"],
                    c["tier"],
                    c["tracked_since"],
                    c.get("paused_until"),
                    c.get("awaiting_inbound_since"),
                    created if c.get("archived") else None,
                    reviewed if self.rng.random() < 0.85 else None,
                    created if c.get("job_changed") else None,
                    added if c["tier"] else created,
                    created,
                    search_text(fields, by_contact.get(c["id"], ())),
                )
            )
        cur = database.cursor()
        cur.executemany(
            "INSERT INTO contact (id, first_name, last_name, job_title, company, location, "
            "how_met, met_on, notes, looking_for, tier, tracked_since, paused_until, "
            "awaiting_inbound_since, archived_at, reviewed_at, job_changed_at, created_at, "
            "updated_at, search_text, previous_names, cadence_days) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'',NULL)",
            params,
        )
        cur.executemany(
            'INSERT INTO contact_method (contact_id, kind, value, label, "primary") VALUES (?,?,?,?,?)',
            self.methods,
        )
        cat_ids = {}
        for name in dict.fromkeys([n for _, n in self.links] + list(CATEGORIES)):
            cat_ids[name] = Category.create(name=name).id
        cur.executemany(
            "INSERT OR IGNORE INTO contact_category (contact_id, category_id) VALUES (?,?)",
            [(cid, cat_ids[n]) for cid, n in self.links],
        )
        cur.executemany(
            "INSERT INTO interaction (contact_id, occurred_at, occurred_on, kind, direction, "
            "in_person, awaiting_reply, replied_at, value, note, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            self.touches,
        )
        cur.executemany(
            "INSERT INTO job (contact_id, title, company, started_on, ended_on, source, recorded_at) "
            "VALUES (?,?,?,?,?,?,?)",
            [(*j, created) for j in self.jobs],
        )
        cur.executemany(
            "INSERT INTO follow_up (contact_id, due_on, text, created_at) VALUES (?,?,?,?)",
            [(*f, created) for f in self.follow_ups],
        )
        Audit.create(
            started_at=audit_start,
            finished_at=audit_start.add(days=2),
            plan=json.dumps([c["id"] for c in self.contacts if c["tier"]]),
        )
