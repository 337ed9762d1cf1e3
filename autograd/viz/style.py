"""The looks of every drawing, in one place: fonts, sizes, colours, outlines, boxes.

A change here changes how a picture looks, never what it says; the drawing
tests run once more with every look changed (``tests/restyle.py``) to be sure
they pin meaning, not style.
"""

FONT = {"fontname": "Helvetica"}
FONT_SIZE = {"node": "11", "edge": "9", "constant": "9"}
FILL = {"input": "#dbeafe", "parameter": "#fde68a", "output": "#bbf7d0",
        "intermediate": "white", "constant": "#e5e7eb"}
# color="grad": white for 0, a shade of blue (> 0) or red (< 0), yellow for nan or inf
GRAD_FILL = {"zero": "white", "positive": (96, 165, 250), "negative": (248, 113, 113),
             "not finite": "#facc15"}
HIGHLIGHT = {"color": "#dc2626", "penwidth": "3"}
BOX = {"color": "#9ca3af", "style": "rounded"}
# In a notebook, a picture wider than this many points fills its cell's width (see fit_to_width)
FIT = {"wider than": 600}
