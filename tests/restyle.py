"""A pytest plugin that changes every look of the drawings: fonts, sizes, colours, boxes.

``tests/test_project.py`` runs the drawing tests with it (``-p tests.restyle``):
they pin what a picture says, so a cosmetic change must break none of them.
"""

import autograd.viz.style as picture

picture.FONT.update(fontname="Courier")
picture.FONT_SIZE.update(node="14", edge="12", constant="10")
picture.FILL.update(input="#e0f2fe", parameter="#fef3c7", output="#dcfce7",
                    intermediate="#fafafa", constant="#d1d5db")
picture.GRAD_FILL.update({"zero": "#ffffff", "positive": (37, 99, 235),
                          "negative": (220, 38, 38), "not finite": "#f59e0b"})
picture.HIGHLIGHT.update(color="#7c3aed", penwidth="4")
picture.BOX.update(color="#6b7280", style="dashed")
