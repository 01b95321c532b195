"""How assets look on a map: one colour per status, one symbol per sector, readable labels.

The same table serves every map (and the legend), so a colour means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

from .schema import PRECISIONS, SECTORS, STATUSES, vocabulary

# Colour-blind-safe hues (Okabe-Ito family); grey for what will not be built.
STATUS_COLOURS = {
    "operational": "#009E73",
    "under_construction": "#E69F00",
    "planned": "#0072B2",
    "stalled": "#D55E00",
    "cancelled": "#7F7F7F",
}
SECTOR_SHAPES = {
    "energy": "triangle",
    "transport": "square",
    "port": "diamond",
    "industry": "hexagon",
    "water": "circle",
    "digital": "star",
    "social": "pentagon",
}
# How a line shows what it is, beside its status colour: (label, weight, dash pattern, ticks across).
LINE_STYLES = {
    "road": ("Road or motorway", 5, None, False),
    "rail": ("Railway or metro", 3, None, True),
    "transit": ("Bus rapid transit", 3, "12 4", False),
    "cable": ("Cable", 2, "5 4", False),
    "pipeline": ("Pipeline", 2.5, "10 3 2 3", False),
    "power": ("Power line", 2, "2 4", False),
    "line": ("Other line", 3, None, False),
}
LINE_STYLE_OF_SUBTYPE = {
    "motorway": "road", "highway": "road", "railway": "rail", "metro": "rail", "bus_rapid_transit": "transit",
    "fibre": "cable", "oil_pipeline": "pipeline", "transmission": "power",
}
# Planning areas (a whole master-planned city, sea included) are drawn as an outline with a trace of fill:
# filled like a site, they would tint every asset and the coast inside them.
OUTLINE_SUBTYPES = ("smart_city",)
AREA_FILL = 0.3
OUTLINE_FILL = 0.04
# CPEC assets are drawn solid; earlier and non-CPEC ones hollow or faded, so they never pass for CPEC.
PROGRAMMES: tuple[str, ...] = tuple(vocabulary("programme"))
PROGRAMME_LABELS = {"CPEC": "CPEC", "pre-CPEC": "Before CPEC", "outside-CPEC": "Outside CPEC"}
PROGRAMME_STYLES = {
    "CPEC": {"fill": None, "weight": 1, "dash": None, "lineOpacity": 0.9},
    "pre-CPEC": {"fill": "#ffffff", "weight": 2.5, "dash": None, "lineOpacity": 0.5},
    "outside-CPEC": {"fill": "#d9d9d9", "weight": 2, "dash": "3 2", "lineOpacity": 0.5},
}
# Schema words that notes and sources use, as people say them (notes must never show field names).
FIELD_WORDS = {
    "capacity_mw": "capacity", "length_km": "length", "cost_usd_m": "cost", "start_year": "start year",
    "completion_year": "completion year", "status_as_of": "status date", "location_precision": "location precision",
    "schematic_route": "schematic route", "status_history": "status history", "geometry_source": "how it was located",
    "subtype": "type", "existence": "that it exists", "province": "province", "programme": "programme",
}

POPUP_FIELDS = [
    ("sector", "Sector"),
    ("subtype", "Type"),
    ("status", "Status"),
    ("province", "Province"),
    ("capacity_mw", "Capacity (MW)"),
    ("length_km", "Length (km)"),
    ("cost_usd_m", "Cost (USD m)"),
    ("start_year", "Started"),
    ("completion_year", "Completed"),
    ("programme", "Programme"),
    ("location_precision", "Location"),
]
PRECISION_LABELS = {
    "exact": "exact site",
    "approximate": "approximate (within about 10 km)",
    "locality": "town or district only",
    "province": "province only",
}


def label(word: str) -> str:
    """A vocabulary word as people write it: ``under_construction`` -> ``Under construction``."""
    return word.replace("_", " ").capitalize()


def style_table() -> dict[str, Any]:
    """Everything the map script needs to draw and label assets."""
    return {
        "colours": STATUS_COLOURS,
        "shapes": SECTOR_SHAPES,
        "lines": {key: {"label": lbl, "weight": w, "dash": dash, "ticks": ticks}
                  for key, (lbl, w, dash, ticks) in LINE_STYLES.items()},
        "lineOfSubtype": LINE_STYLE_OF_SUBTYPE,
        "programmes": PROGRAMME_STYLES,
        "outlineOnly": list(OUTLINE_SUBTYPES),
        "areaFill": AREA_FILL,
        "outlineFill": OUTLINE_FILL,
        "fieldWords": FIELD_WORDS,
        "order": {"sector": list(SECTORS), "status": list(STATUSES), "programme": list(PROGRAMMES)},
        "labels": {
            "programme": PROGRAMME_LABELS,
            "sector": {s: label(s) for s in SECTORS},
            "status": {s: label(s) for s in STATUSES},
            "subtype": {s: label(s) for s in vocabulary("subtype")},
            "location_precision": {p: PRECISION_LABELS[p] for p in PRECISIONS},
        },
        "popupFields": POPUP_FIELDS,
    }
