"""Server-rendered pages. Views fetch and render; the work happens in analysis, legal, charts and queries."""

from lokalkompas.front.views.areas import area, area_indicators
from lokalkompas.front.views.compare import compare, map_view
from lokalkompas.front.views.dashboard import home
from lokalkompas.front.views.goals import goals
from lokalkompas.front.views.indicators import indicator, indicator_csv, indicator_xlsx
from lokalkompas.front.views.legal import legal
from lokalkompas.front.views.site import LoginView, about, accessibility, calendar, choose_municipality, health

__all__ = [
    "LoginView",
    "about",
    "accessibility",
    "area",
    "area_indicators",
    "calendar",
    "choose_municipality",
    "compare",
    "goals",
    "health",
    "home",
    "indicator",
    "indicator_csv",
    "indicator_xlsx",
    "legal",
    "map_view",
]
