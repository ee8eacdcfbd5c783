"""API v1 writes: uploads of local data, and goals with their actions, for the token's municipality.

Each write goes through the same steps as the web app, so the two cannot disagree: an upload through
`sources.uploads.service` (the same checks, the same refusal while demo data are loaded, one transaction
for the values, the recomputed indicators and the upload's record), a goal through `front.forms.GoalForm`
and `goals.service.save_goal` (the same validation, status and history, with the token's user as the
author). Only a bearer token may write (docs/decisions/0014-api-writes.md).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest
from ninja import File, Form, Path, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from lokalkompas.api.access import request_token, visible_goals, writing_token
from lokalkompas.api.api import api
from lokalkompas.api.errors import ApiError
from lokalkompas.api.goals import action_answer, goal_answer
from lokalkompas.api.models import ApiToken
from lokalkompas.api.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    ErrorOut,
    FormErrorOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    UploadErrorOut,
    UploadOut,
)
from lokalkompas.front.forms import ActionForm, GoalForm
from lokalkompas.goals.models import Action, Goal
from lokalkompas.goals.service import save_action, save_goal
from lokalkompas.lib.formatting import format_number
from lokalkompas.registry.models import Geography
from lokalkompas.sources.uploads.reading import Problem, UploadError, megabytes
from lokalkompas.sources.uploads.service import (
    ImportRefused,
    Line,
    check_file,
    import_checked,
    preview,
    receive,
    refuse_while_demo,
)
from lokalkompas.sources.uploads.validation import Checked

SHOWN_PROBLEMS = 200  # as the Data page
MAX_ID = 2_147_483_647  # a larger number is no row, and PostgreSQL's integer would refuse it


class BearerToken(HttpBearer):
    """The token the middleware found (it has already answered 401 for an unknown or revoked one)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return request_token(request)


BEARER = BearerToken()
# 400: a body that cannot be parsed at all (ugyldigt_indhold); 401 and 403: no token, or not allowed.
DENIED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


# Uploads ------------------------------------------------------------------------------------------------


@api.post(
    "/data/upload",
    response={200: UploadOut, 201: UploadOut, **DENIED, 409: ErrorOut, 413: ErrorOut, 422: UploadErrorOut},
    summary="Indlæs en udfyldt skabelon (xlsx eller csv) for nøglens kommune",
    description=(
        "Samme kontrol og indlæsning som siden Data: hele filen kontrolleres, før noget gemmes; værdier, "
        "indikatorer, målstatus og lovkrav skrives i én transaktion. Fejl i filen giver 422 med hver fejl "
        "(række, kolonne, værdi og problem), og intet gemmes. `dry_run=true` kontrollerer og viser nye og "
        "ændrede værdier uden at gemme noget. Kræver en nøgle med rollen analytiker eller administrator."
    ),
    tags=["skrivning"],
    auth=BEARER,
)
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    template: Annotated[
        str | None, Form(max_length=120, description="Skabelonens id; tom: findes ud fra kolonnerne.")
    ] = None,
    dry_run: Annotated[bool, Form(description="Kun kontrol og forhåndsvisning; intet gemmes.")] = False,
) -> Status[dict[str, Any]]:
    token = writing_token(request)
    name = (file.name or "upload.csv")[-255:]
    limit = int(settings.UPLOAD_MAX_MB * 1_000_000)
    if file.size is not None and file.size > limit:
        message = f"{name}: filen fylder {megabytes(file.size)} MB; grænsen er {megabytes(limit)} MB."
        raise ApiError(413, "for_stor_fil", message)
    try:
        refuse_while_demo(name)
    except UploadError as exc:
        raise ApiError(409, "demodata_indlaest", str(exc)) from exc
    data = file.read()
    try:
        checked = check_file(name, data, {token.geo_id}, template or None)
    except UploadError as exc:
        raise ApiError(422, "ulaeselig_fil", str(exc)) from exc
    if not checked.ok:
        raise ApiError(
            422,
            "fejl_i_filen",
            f"{name} har {format_number(len(checked.errors))} fejl. Intet er indlæst.",
            _problems(name, checked),
        )
    shown = preview(checked)
    answer = {
        "file_name": name,
        "template": checked.template.id if checked.template else "",
        "dry_run": dry_run,
        "imported": False,
        "upload_id": None,
        "vintage_id": None,
        "municipalities": checked.municipalities,
        "rows": checked.data_rows,
        "new_values": shown.new_count,
        "changed_values": shown.changed_count,
        "unchanged_values": shown.unchanged_count,
        "warnings": [_problem(name, p) for p in checked.warnings[:SHOWN_PROBLEMS]],
        "new": [_line(line) for line in shown.new],
        "changed": [_line(line) for line in shown.changed],
    }
    if dry_run:
        return Status(200, answer)
    try:
        # The upload's record and the import in one transaction: a failure leaves no trace but the log.
        with transaction.atomic():
            done = import_checked(checked, receive(name, data, token.user, checked))
    except UploadError as exc:  # demo data loaded since the check above
        raise ApiError(409, "demodata_indlaest", str(exc)) from exc
    except ImportRefused as exc:
        raise ApiError(409, "ikke_indlaest", str(exc)) from exc
    answer |= {
        "imported": done.vintage_id is not None,
        "upload_id": done.pk,
        "vintage_id": done.vintage_id,
        "new_values": done.new_values,
        "changed_values": done.changed_values,
        "unchanged_values": done.unchanged_values,
    }
    return Status(201, answer)


def _problem(file_name: str, problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "message": problem.message,
        "text": problem.describe(file_name),
    }


def _problems(file_name: str, checked: Checked) -> dict[str, Any]:
    return {
        "fejl": [_problem(file_name, p) for p in checked.errors[:SHOWN_PROBLEMS]],
        "antal_fejl": len(checked.errors),
        "advarsler": [_problem(file_name, p) for p in checked.warnings[:SHOWN_PROBLEMS]],
    }


def _line(line: Line) -> dict[str, Any]:
    return {
        "series": line.series,
        "series_name": line.series_name,
        "geo": line.geo,
        "geo_name": line.geo_name,
        "period": line.period,
        "old": line.old,
        "new": line.new,
    }


# Goals and actions --------------------------------------------------------------------------------------

FORM_ERRORS = {**DENIED, 404: ErrorOut, 422: FormErrorOut}
GOAL_TEXT = ("theme", "question", "indicator", "baseline_period", "target_period", "owner")


@api.post(
    "/maal",
    response={201: GoalOut, **FORM_ERRORS},
    summary="Opret et mål for nøglens kommune",
    description=(
        "Samme kontrol som formularen på siden Mål: temaet skal høre til området, udgangspunkt og mål kræver "
        "en indikator, og målperioden skal ligge efter udgangspunktet. Uden udgangspunkt bruges kommunens "
        "seneste tal. Status beregnes med det samme; historikken viser nøglens bruger som forfatter. "
        "`published=false` (standard) gør målet til en kladde, som kun kommunens egne kan se."
    ),
    tags=["skrivning"],
    auth=BEARER,
)
def goal_create(request: HttpRequest, payload: GoalIn) -> Status[dict[str, Any]]:
    given = payload.dict()
    token = writing_token(request, given.pop("geo") or None)
    geo = Geography.objects.get(code=token.geo_id)
    form = GoalForm(_goal_data(given), instance=Goal(geo=geo), geo=geo)
    goal = save_goal(_valid(form).save(commit=False), token.user)
    return Status(201, goal_answer(goal))


@api.patch(
    "/maal/{goal_id}",
    response={200: GoalOut, **FORM_ERRORS},
    summary="Ret et mål",
    description="Kun de felter, der sendes, ændres; resten beholder deres værdi. Samme kontrol som ved oprettelse.",
    tags=["skrivning"],
    auth=BEARER,
)
def goal_update(request: HttpRequest, goal_id: RowId, payload: GoalPatch) -> Status[dict[str, Any]]:
    goal, token = _writable_goal(request, goal_id)
    data = _current_goal(goal) | _goal_data(payload.dict(exclude_unset=True))
    form = GoalForm(data, instance=goal, geo=goal.geo)
    saved = save_goal(_valid(form).save(commit=False), token.user)
    return Status(200, goal_answer(saved))


@api.post(
    "/maal/{goal_id}/handlinger",
    response={201: ActionOut, **FORM_ERRORS},
    summary="Tilføj en handling til et mål",
    tags=["skrivning"],
    auth=BEARER,
)
def action_create(request: HttpRequest, goal_id: RowId, payload: ActionIn) -> Status[dict[str, Any]]:
    goal, token = _writable_goal(request, goal_id)
    form = ActionForm(_action_data(payload.dict()), instance=Action(goal=goal))
    action = save_action(_valid(form).save(commit=False), token.user)
    return Status(201, action_answer(action))


@api.patch(
    "/maal/{goal_id}/handlinger/{action_id}",
    response={200: ActionOut, **FORM_ERRORS},
    summary="Ret en handling",
    description="Kun de felter, der sendes, ændres.",
    tags=["skrivning"],
    auth=BEARER,
)
def action_update(
    request: HttpRequest, goal_id: RowId, action_id: RowId, payload: ActionPatch
) -> Status[dict[str, Any]]:
    goal, token = _writable_goal(request, goal_id)
    action = Action.objects.filter(pk=action_id, goal=goal).first()
    if action is None:
        raise ApiError(404, "ukendt_handling", f"Målet {goal_id} har ingen handling med nummer {action_id}.")
    current = {"title": action.title, "owner": action.owner, "deadline": action.deadline, "status": action.status}
    form = ActionForm(current | _action_data(payload.dict(exclude_unset=True)), instance=action)
    saved = save_action(_valid(form).save(commit=False), token.user)
    return Status(200, action_answer(saved))


def _writable_goal(request: HttpRequest, goal_id: int) -> tuple[Goal, ApiToken]:
    """The goal, if the token may change it. A draft it may not see is 'not found', as on the web."""
    goal = Goal.objects.filter(visible_goals(request), pk=goal_id).select_related("geo").first()
    if goal is None:
        raise ApiError(404, "ukendt_maal", f"Der er intet mål med nummer {goal_id}.")
    return goal, writing_token(request, goal.geo_id)


def _goal_data(given: dict[str, Any]) -> dict[str, Any]:
    """The API's fields as the form's data: an empty text field is "" in a form, not None."""
    return {k: ("" if v is None and k in GOAL_TEXT else v) for k, v in given.items()}


def _current_goal(goal: Goal) -> dict[str, Any]:
    """A stored goal as the form's data, so a PATCH changes only what it names."""
    return {
        "area": goal.area_id,
        "theme": goal.theme_id or "",
        "question": goal.question_id or "",
        "text": goal.text,
        "indicator": goal.indicator,
        "baseline_value": goal.baseline_value,
        "baseline_period": goal.baseline_period,
        "target_value": goal.target_value,
        "target_period": goal.target_period,
        # Rounded back, so an untouched tolerance is saved as the same number (no change in the history).
        "tolerance_percent": round(goal.tolerance * 100, 6),
        "owner": goal.owner,
        "published": goal.published,
    }


def _action_data(given: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if v is None and k in ("title", "owner") else v) for k, v in given.items()}


FormT = TypeVar("FormT", bound=BaseForm)


def _valid(form: FormT) -> FormT:
    """The form, if its data are valid; else 422 with each field's Danish message."""
    if form.is_valid():
        return form
    problems = [
        {"field": field, "message": str(message)} for field, messages in form.errors.items() for message in messages
    ]
    text = " ".join(
        f"{p['message']}" if p["field"] == "__all__" else f"Feltet '{p['field']}': {p['message']}" for p in problems
    )
    raise ApiError(422, "ugyldige_felter", text or "Oplysningerne er ugyldige.", {"fejl": problems})
