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
# Thicker lines for roads and railways, thinner for cables and pipelines.
SECTOR_LINE_WEIGHTS = {"transport": 5, "energy": 3, "digital": 2, "water": 3, "industry": 3, "port": 3, "social": 3}

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
        "lineWeights": SECTOR_LINE_WEIGHTS,
        "order": {"sector": list(SECTORS), "status": list(STATUSES)},
        "labels": {
            "sector": {s: label(s) for s in SECTORS},
            "status": {s: label(s) for s in STATUSES},
            "subtype": {s: label(s) for s in vocabulary("subtype")},
            "location_precision": {p: PRECISION_LABELS[p] for p in PRECISIONS},
        },
        "popupFields": POPUP_FIELDS,
    }
