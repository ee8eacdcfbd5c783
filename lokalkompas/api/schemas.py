"""Response shapes of API v1: English field names, Danish descriptions (they become the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

StatusCode = Literal["ok", "missing", "confidential", "provisional", "estimated", "demo"]


class ErrorOut(Schema):
    kode: str = Field(description="Stabil fejlkode til programmer, fx `ukendt_indikator`.")
    besked: str = Field(description="Forklaring på dansk.")


class QuestionOut(Schema):
    id: str
    text: str = Field(description="Spørgsmålet, kommunalbestyrelsen kan stille.")


class ThemeOut(Schema):
    id: str
    number: int
    title: str
    summary: str
    questions: list[QuestionOut]


class AreaOut(Schema):
    id: str = Field(description="Områdets id, fx `dagtilbud`.")
    name: str
    formal_task: str = Field(description="Kommunens formelle opgave på området.")
    themes: list[ThemeOut]
    source: str = Field(description="Kilden, området bygger på.")


class MunicipalityOut(Schema):
    code: str = Field(description="Danmarks Statistiks kommunekode, fx `101`.")
    name: str
    official_name: str
    region_code: str
    region_name: str
    group: int = Field(description="Kommunegruppe (DST's KOMGRP, 1–5).")
    group_name: str
    latitude: float
    longitude: float


class IndicatorOut(Schema):
    id: str
    area: str = Field(description="Området, indikatoren hører til.")
    name: str
    short_name: str | None
    definition: str
    unit: str
    decimals: int
    polarity: Literal["higher_better", "lower_better", "neutral"] = Field(
        description="Om højere er bedre (`higher_better`), lavere er bedre, eller ingen af delene (`neutral`)."
    )
    frequency: Literal["year", "quarter", "month"]
    caveats: list[str] = Field(description="Forbehold, der skal følge tallet.")
    questions: list[str] = Field(description="Id'er på de spørgsmål i kataloget, indikatoren besvarer.")
    legal_rule: str | None = Field(description="Lovkravet, indikatoren måles mod, hvis der er et.")


class DataRow(Schema):
    indicator: str
    geo: str = Field(description="Område-kode: kommune (fx `101`), region (`081`–`085`) eller hele landet (`000`).")
    geo_name: str
    period: str = Field(description="Danmarks Statistiks periodekode: `2024`, `2024K1` eller `2024M01`.")
    breakdown: str = Field(description="Opdeling (fx alder); tom for hele området.")
    value: float | None = Field(description="Værdien; `null` når den mangler eller er fortrolig, aldrig 0.")
    status: StatusCode = Field(description="`demo` betyder syntetiske demodata, der ikke må bruges som rigtige tal.")
    source: str = Field(description="Kilden til indlæsningen: statbank, upload, manual, demo eller derived.")
    vintage_id: int = Field(description="Nummeret på den indlæsning (udgave), værdien kommer fra.")
    vintage_label: str
    vintage_loaded_at: dt.datetime


class DataPage(Schema):
    rows: list[DataRow]
    next_cursor: str | None = Field(description="Giv den som `cursor` for at få næste side; `null` på sidste side.")


class BenchmarkRow(Schema):
    geo: str
    geo_name: str
    value: float | None
    status: StatusCode
    rank: int | None = Field(description="Placering blandt kommunerne med en værdi (1 er bedst); `null` for neutrale.")
    percentile: float | None = Field(description="100 for den bedste, 0 for den dårligste.")
    quartile: int | None = Field(description="1 er den bedste fjerdedel.")
    distance_to_best_quartile: float | None = Field(description="Afstand til bedste kvartil i indikatorens enhed.")


class BenchmarkOut(Schema):
    indicator: str
    period: str
    unit: str
    polarity: str
    caveats: list[str] = Field(description="Forbehold ved sammenligningen, som skal følge en rangering.")
    rows: list[BenchmarkRow]


class ContributionOut(Schema):
    variable: str
    share: float = Field(description="Variablens andel (0–1) af den kvadrerede afstand.")


class NeighbourOut(Schema):
    geo: str
    geo_name: str
    distance: float
    contributions: list[ContributionOut]
    explanation: str = Field(description="Hvorfor kommunen ligner, på dansk.")


class PeersOut(Schema):
    geo: str
    method: str = Field(description="Metoden forklaret på dansk.")
    variables: list[str]
    demo: bool = Field(description="Sand, når de strukturelle tal er demodata.")
    neighbours: list[NeighbourOut]


class RuleResultOut(Schema):
    rule: str
    title: str
    legal_reference: str
    outcome: Literal["opfyldt", "ikke opfyldt", "kan ikke afgøres"]
    margin: float | None
    margin_unit: str
    period: str | None
    lag_months: int | None = Field(description="Måneder fra dataperiodens slutning til i dag.")
    explanation: str
    caveats: list[str]
    due: dt.date | None
    overdue: bool
    demo: bool = Field(description="Sand, når resultatet er beregnet af demodata.")


class LegalOut(Schema):
    geo: str
    evaluated_on: dt.date
    results: list[RuleResultOut]


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    deadline: dt.date | None
    status: str


class GoalOut(Schema):
    id: int
    geo: str
    area: str
    theme: str | None
    question: str | None
    text: str
    indicator: str
    baseline_value: float | None
    baseline_period: str
    target_value: float | None
    target_period: str
    tolerance_percent: float = Field(
        description="Hvor langt efter den lige vej målet må være og stadig være på sporet."
    )
    owner: str
    published: bool = Field(description="Kun udgivne mål vises uden en nøgle fra kommunen.")
    demo: bool
    status: str = Field(description="på sporet, i risiko, ikke på sporet eller mangler data.")
    status_explanation: str
    actions: list[ActionOut]


class ChangeOut(Schema):
    kind: str = Field(description="ny periode, revideret, lovkrav, mål eller andet.")
    series: str
    geo: str
    period: str
    old_value: float | None
    new_value: float | None
    when: dt.datetime
    source: str
    description: str


class ChangesOut(Schema):
    since: dt.date
    changes: list[ChangeOut]
    next_cursor: str | None


# Writes (lokalkompas.api.writes). Field names as in the answers; the same forms as the web app check them.

ActionStatus = Literal["ikke-startet", "i-gang", "faerdig"]


class GoalIn(Schema):
    geo: str | None = Field(None, max_length=3, description="Kommunekoden; skal være nøglens kommune. Tom: nøglens.")
    area: str = Field(max_length=120, description="Områdets id, fx `dagtilbud`.")
    theme: str | None = Field(None, max_length=120, description="Temaets id; det skal høre til området.")
    question: str | None = Field(None, max_length=120, description="Spørgsmålets id; det skal høre til temaet.")
    text: str = Field(max_length=2000, description="Målet i ord.")
    indicator: str | None = Field(None, max_length=80, description="Indikatoren, målet følges med (valgfri).")
    baseline_value: float | None = Field(None, description="Udgangspunktet; tomt: kommunens seneste tal.")
    baseline_period: str | None = Field(None, max_length=10, description="Fx `2024`; tomt: det seneste tals periode.")
    target_value: float | None = Field(None, description="Målværdien (kræves med en indikator).")
    target_period: str | None = Field(None, max_length=10, description="Fx `2029`; efter udgangspunktet.")
    tolerance_percent: float = Field(
        10, description="Hvor langt efter den lige vej målet må være og stadig være på sporet (1–100 %)."
    )
    owner: str = Field("", max_length=200, description="Det ansvarlige udvalg.")
    published: bool = Field(False, description="`true`: alle kan se målet; `false`: en kladde for kommunen.")


class GoalPatch(Schema):
    """Only the fields given are changed; the rest keep their values."""

    area: str | None = Field(None, max_length=120)
    theme: str | None = Field(None, max_length=120)
    question: str | None = Field(None, max_length=120)
    text: str | None = Field(None, max_length=2000)
    indicator: str | None = Field(None, max_length=80)
    baseline_value: float | None = None
    baseline_period: str | None = Field(None, max_length=10)
    target_value: float | None = None
    target_period: str | None = Field(None, max_length=10)
    tolerance_percent: float | None = None
    owner: str | None = Field(None, max_length=200)
    published: bool | None = None


class ActionIn(Schema):
    title: str = Field(max_length=300, description="Handlingen.")
    owner: str = Field("", max_length=200, description="Fx en forvaltning, et center eller en leder.")
    deadline: dt.date | None = Field(None, description="Fristen, fx `2027-06-30`.")
    status: ActionStatus = Field("ikke-startet", description="`ikke-startet`, `i-gang` eller `faerdig`.")


class ActionPatch(Schema):
    title: str | None = Field(None, max_length=300)
    owner: str | None = Field(None, max_length=200)
    deadline: dt.date | None = None
    status: ActionStatus | None = None


class FieldErrorOut(Schema):
    field: str = Field(description="Feltet, fx `target_value`; `__all__` for fejl, der gælder hele målet.")
    message: str = Field(description="Problemet på dansk.")


class FormErrorOut(ErrorOut):
    fejl: list[FieldErrorOut] = Field([], description="Hvert problem med feltets navn (ved `ugyldige_felter`).")


class ProblemOut(Schema):
    row: int | None = Field(description="Rækkenummeret, som regnearket viser det (overskriften er række 1).")
    column: str = Field(description="Kolonnens overskrift, eller bogstavet, når den ikke har en.")
    value: str = Field(description="Værdien i cellen, som den stod.")
    message: str = Field(description="Problemet på dansk.")
    text: str = Field(description="Det hele i én sætning: fil, række, kolonne, problem og værdi.")


class UploadErrorOut(ErrorOut):
    # Given with `fejl_i_filen`; a missing or invalid parameter (`ugyldig_parameter`) has kode and besked only.
    fejl: list[ProblemOut] = Field([], description="Fejlene, der forhindrer indlæsningen (højst 200).")
    antal_fejl: int = Field(0, description="Hvor mange fejl filen har i alt.")
    advarsler: list[ProblemOut] = Field([], description="Advarsler (fx usandsynlige værdier); de forhindrer intet.")


class ValueLineOut(Schema):
    series: str
    series_name: str
    geo: str
    geo_name: str
    period: str
    old: float | None = Field(description="Den gemte værdi; `null` for en ny værdi.")
    new: float


class UploadOut(Schema):
    file_name: str
    template: str = Field(description="Skabelonens id.")
    dry_run: bool = Field(description="Sand: kun kontrolleret og sammenlignet; intet er gemt.")
    imported: bool = Field(description="Sand, når værdierne er indlæst og indikatorerne beregnet igen.")
    upload_id: int | None = Field(description="Uploadens nummer i kommunens historik (siden Data).")
    vintage_id: int | None = Field(description="Udgaven (indlæsningen), værdierne fik; `null` når intet var nyt.")
    municipalities: list[str]
    rows: int = Field(description="Rækker med data i filen.")
    new_values: int
    changed_values: int
    unchanged_values: int
    warnings: list[ProblemOut]
    new: list[ValueLineOut] = Field(description="Nye værdier (højst 200).")
    changed: list[ValueLineOut] = Field(description="Ændrede værdier med gammel og ny værdi (højst 200).")
