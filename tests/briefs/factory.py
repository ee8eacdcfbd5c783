"""Hand-built briefs for the renderer tests and the bench: realistic size and shape, charts drawn by the
project's own chart code, every number formatted the Danish way. Deterministic: the same call gives the
same brief (and so the same cached chart SVGs)."""

from __future__ import annotations

import random

from lokalkompas.briefs.model import Area, Brief, Chart, DateItem, GoalLine, Question, Sentence, Table, Theme
from lokalkompas.charts.figures import series_figure
from lokalkompas.lib.formatting import format_number

AREAS = (
    ("dagtilbud", "Dagtilbud"),
    ("skole", "Skole"),
    ("social", "Social"),
    ("aeldre", "Ældre"),
    ("sundhed", "Sundhed"),
    ("beskaeftigelse", "Beskæftigelse"),
    ("beredskab", "Beredskab"),
    ("plan-klima-miljoe", "Plan, klima og miljø"),
)
THEME_TITLES = ("Kvalitet og tilsyn", "Personale og rekruttering", "Tidlig indsats", "Økonomi og kapacitet")
PERIODS = tuple(str(year) for year in range(2015, 2025))
SOURCE = "Danmarks Statistik (BOERN8), 2024"
# A figure every test can look for: "1.234,5" in the first theme's first sentence.
KEY_FIGURE = 1234.5
MISSING_SENTENCE = "Antallet af klager over tilsynet mangler for 2024."


def sample_brief(areas: int = 1, *, demo: bool = False) -> Brief:
    """A brief for Aarhus with `areas` of the eight areas (1 or 8), ~4 themes each, 2 charts per theme."""
    rng = random.Random(areas * 10 + demo)
    chosen = tuple(_area(area_id, name, index, rng, demo) for index, (area_id, name) in enumerate(AREAS[:areas]))
    title = f"Drøftelsesoplæg: {chosen[0].name}" if areas == 1 else "Drøftelsesoplæg for kommunalbestyrelsen"
    return Brief(
        municipality_code="751",
        municipality_name="Aarhus Kommune",
        title=title,
        date="2026-11-27",
        areas=chosen,
        demo=demo,
        since="2026-05-04",
        sources=(
            "Danmarks Statistik (BOERN8, BOERN11, RES88), 2015–2024",
            "Kommunens eget budget og regnskab (upload 3. november 2026)",
            "Undervisningsministeriet, Dagtilbudsloven (LBK nr. 1061 af 2024)",
        ),
        notes=(
            "Sammenlignelige kommuner er de ti kommuner, der ligner Aarhus mest på befolkning og økonomi.",
            "Skønnede tal er beregnet ud fra seneste kendte år og er markeret (skønnet).",
        ),
    )


def _area(area_id: str, name: str, index: int, rng: random.Random, demo: bool) -> Area:
    themes = tuple(_theme(area_id, number, title, rng, demo) for number, title in enumerate(THEME_TITLES, start=1))
    return Area(
        id=area_id,
        name=name,
        themes=themes,
        budget=(
            Sentence(
                f"Forbruget på {name.lower()} ventes at ende på {format_number(812.4 + index * 37.1, 1)} mio. kr. "
                "i 2026, 2,1 % over det korrigerede budget.",
                ("Kommunens regnskab (upload), 2026M10",),
                estimated=True,
                demo=demo,
            ),
            Sentence(
                "Demografien trækker udgifterne op med 14,2 mio. kr. frem mod 2030.",
                ("Danmarks Statistik (FRKM126), 2026–2030",),
                demo=demo,
            ),
        ),
        budget_table=Table(
            caption=f"Budget og forventet regnskab, {name.lower()} (mio. kr.)",
            headers=("År", "Korrigeret budget", "Forventet regnskab", "Afvigelse"),
            rows=(
                ("2026", format_number(795.7 + index, 1), format_number(812.4 + index, 1), "16,7"),
                ("2025", format_number(770.2 + index, 1), format_number(768.9 + index, 1), "-1,3"),
                ("2024", format_number(751.0 + index, 1), "mangler", "mangler"),
            ),
        ),
        dates=(
            DateItem("2027-01-01", "Nye regler for tilsyn træder i kraft."),
            DateItem("2027-08-01", "Minimumsnormeringerne gælder fuldt ud."),
        ),
        caveats=("Regnskabstallene for 2026 er foreløbige.",),
    )


def _theme(area_id: str, number: int, title: str, rng: random.Random, demo: bool) -> Theme:
    first = KEY_FIGURE if number == 1 else rng.uniform(200, 5000)
    says = [
        Sentence(
            f"I 2024 gik {format_number(first, 1)} børn pr. 1.000 indbyggere i kommunale tilbud, "
            f"mod {format_number(first * 0.96, 1)} i sammenlignelige kommuner.",
            (SOURCE,),
            demo=demo,
        ),
        Sentence(
            f"Andelen af uddannet personale er {format_number(rng.uniform(55, 70), 1)} % og er steget "
            f"med {format_number(rng.uniform(0.5, 4), 1)} procentpoint siden 2019.",
            ("Danmarks Statistik (RES88), 2019–2024",),
            demo=demo,
        ),
        Sentence(
            f"Udgiften pr. barn skønnes at blive {format_number(rng.uniform(90, 140), 1)} tusind kr. i 2025.",
            ("Kommunens regnskab (upload), 2025",),
            estimated=True,
            demo=demo,
        ),
    ]
    if number == 1:
        says.append(Sentence(MISSING_SENTENCE, ("Tilsynsrapporter (upload), 2024",), demo=demo))
    theme_id = f"{area_id}.tema-{number}"
    return Theme(
        id=theme_id,
        number=number,
        title=title,
        says=tuple(says),
        questions=(
            Question(
                "Hvordan sikrer vi, at flere pædagoger bliver i faget?",
                (Sentence(f"Personaleomsætningen var {format_number(rng.uniform(10, 25), 1)} % i 2024.", (SOURCE,)),),
            ),
            Question("Skal tilsynet prioritere de tilbud, der har flest nye medarbejdere?"),
        ),
        goals=(
            GoalLine(
                "Mindst 65 % af personalet er uddannet i 2027.",
                "bagud",
                Sentence("Udgangspunkt 58,1 % (2021), seneste 61,3 % (2024), mål 65,0 % (2027).", (SOURCE,)),
                ("Rekrutteringsplan (Børn og Unge), frist 1. marts 2026",),
            ),
            GoalLine("Alle tilbud har tilsyn hvert andet år.", "på sporet"),
        ),
        charts=(
            _chart(f"{theme_id}.figur-1", "Børn pr. 1.000 indbyggere", "børn", (300, 900), rng, demo),
            _chart(f"{theme_id}.figur-2", "Andel uddannet personale", "pct.", (45, 65), rng, demo),
        ),
        caveats=("Tallene for 2024 kan blive revideret.",) if number == 1 else (),
    )


def _chart(chart_id: str, title: str, unit: str, levels: tuple[float, float], rng: random.Random, demo: bool) -> Chart:
    level = rng.uniform(*levels)
    lines: dict[str, dict[str, float | None]] = {
        name: {p: level * factor * (1 + 0.02 * i) + rng.uniform(-3, 3) for i, p in enumerate(PERIODS)}
        for name, factor in (("Aarhus", 1.0), ("Sammenlignelige kommuner", 0.95), ("Hele landet", 0.9))
    }
    lines["Aarhus"]["2018"] = None  # a gap, shown as "mangler" in the table
    figure = series_figure(chart_id, title, unit, 1, lines, PERIODS)
    return Chart(
        id=chart_id,
        title=title,
        summary=figure.summary,
        svg=figure.svg,
        table=Table(title, tuple(figure.headers), tuple(tuple(row) for row in figure.rows)),
        source="Danmarks Statistik (BOERN8), 2015–2024",
        demo=demo,
    )
