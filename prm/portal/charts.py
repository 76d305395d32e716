"""Horizontal bar charts as SVG geometry, which templates draw inline (no script, no CDN)."""

from collections.abc import Callable, Sequence

BAR_HEIGHT = 22
LABEL_WIDTH = 220
WIDTH = 640
GAP = 6


def bar_chart(rows: Sequence, *, value: Callable, min_width: int = 1) -> dict:
    """One bar per row, as long as `value(row)` against the largest value (a row whose value is None gets
    `min_width`); each bar carries its `row` for the template's labels."""
    values = [value(row) for row in rows]
    top = max((number for number in values if number is not None), default=0)
    span = WIDTH - LABEL_WIDTH - 90
    bars = []
    for index, (row, number) in enumerate(zip(rows, values, strict=True)):
        width = max(int(span * number / top) if number is not None and top > 0 else 0, min_width)
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {"row": row, "y": y, "text_y": y + BAR_HEIGHT - GAP, "width": width, "value_x": LABEL_WIDTH + width + GAP}
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": max(len(rows), 1) * (BAR_HEIGHT + GAP),
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
    }
