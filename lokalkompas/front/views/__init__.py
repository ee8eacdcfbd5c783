"""Server-rendered pages. Views fetch and render; the work happens in analysis, legal, charts and queries."""

from lokalkompas.front.views.areas import area, area_indicators
from lokalkompas.front.views.briefs import brief_draft, brief_issue, brief_issued, briefs
from lokalkompas.front.views.compare import compare, map_view
from lokalkompas.front.views.dashboard import home
from lokalkompas.front.views.decisions import decision_delete, decision_form, decisions
from lokalkompas.front.views.demography import demography
from lokalkompas.front.views.economy import economy, economy_area
from lokalkompas.front.views.export import tables_xlsx
from lokalkompas.front.views.goals import (
    action_delete,
    action_form,
    comment_add,
    goal_delete,
    goal_detail,
    goal_edit,
    goal_history_page,
    goal_new,
    goals,
)
from lokalkompas.front.views.indicators import indicator, indicator_csv, indicator_xlsx
from lokalkompas.front.views.jobs import brief_files_start, job_page, refresh_start
from lokalkompas.front.views.legal import legal
from lokalkompas.front.views.members import member_remove, member_role, members
from lokalkompas.front.views.site import LoginView, about, accessibility, calendar, choose_municipality, health
from lokalkompas.front.views.uploads import (
    data_page,
    template_download,
    upload_confirm,
    upload_discard,
    upload_preview,
    vintage_page,
)

__all__ = [
    "LoginView",
    "about",
    "accessibility",
    "action_delete",
    "action_form",
    "area",
    "area_indicators",
    "brief_draft",
    "brief_files_start",
    "brief_issue",
    "brief_issued",
    "briefs",
    "calendar",
    "choose_municipality",
    "comment_add",
    "compare",
    "data_page",
    "decision_delete",
    "decision_form",
    "decisions",
    "demography",
    "economy",
    "economy_area",
    "goal_delete",
    "goal_detail",
    "goal_edit",
    "goal_history_page",
    "goal_new",
    "goals",
    "health",
    "home",
    "indicator",
    "indicator_csv",
    "indicator_xlsx",
    "job_page",
    "legal",
    "map_view",
    "member_remove",
    "member_role",
    "members",
    "refresh_start",
    "tables_xlsx",
    "template_download",
    "upload_confirm",
    "upload_discard",
    "upload_preview",
    "vintage_page",
]
