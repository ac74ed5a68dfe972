"""Geometry for the statistics page's SVG charts: plain numbers the templates draw (no chart library)."""
import datetime
import math

from server.store.times import iso


def bars(items, width=320, height=180, gap=14, top=22, bottom=26):
    """Vertical bars for [(label, value, css class)]: each bar's box and where its labels sit."""
    most = max([value for _label, value, _cls in items] + [1])
    slot = width / max(1, len(items))
    plot = height - top - bottom
    result = []
    for index, (label, value, cls) in enumerate(items):
        h = round(plot * value / most, 1)
        x = round(index * slot + gap / 2, 1)
        result.append({"label": label, "value": value, "cls": cls, "x": x, "w": round(slot - gap, 1),
                       "y": round(top + plot - h, 1), "h": h, "cx": round(x + (slot - gap) / 2, 1),
                       "base": height - bottom})
    return result


def hbars(items, width=320, row=34, label_width=96):
    """Horizontal bars for [(label, value, css class)], scaled to the largest value."""
    most = max([value for _label, value, _cls in items] + [1])
    room = width - label_width - 40
    return [{"label": label, "value": value, "cls": cls, "y": index * row,
             "x": label_width, "w": round(room * value / most, 1), "h": row - 12}
            for index, (label, value, cls) in enumerate(items)]


def donut(items, radius=70, hole=42):
    """Ring slices for [(label, value, css class)] as SVG path data around (0, 0)."""
    total = sum(value for _label, value, _cls in items)
    slices, angle = [], -math.pi / 2
    for label, value, cls in items:
        share = value / total if total else 0
        if share <= 0:
            continue
        end = angle + share * 2 * math.pi
        slices.append({"label": label, "value": value, "cls": cls, "share": share,
                       "d": _ring_path(angle, min(end, angle + 2 * math.pi - 1e-4), radius, hole)})
        angle = end
    return slices


def _ring_path(start, end, outer, inner):
    large = 1 if end - start > math.pi else 0

    def point(r, a):
        return "%.2f %.2f" % (r * math.cos(a), r * math.sin(a))
    return ("M %s A %d %d 0 %d 1 %s L %s A %d %d 0 %d 0 %s Z"
            % (point(outer, start), outer, outer, large, point(outer, end),
               point(inner, end), inner, inner, large, point(inner, start)))


TICK_HOURS = (1, 2, 3, 6, 12, 24)


def timeline(buckets, width=900, height=200, left=34, bottom=24, top=8, bucket_minutes=10):
    """Stacked ACTIVE/IDLE bars, one per bucket; heights in people (seconds / bucket length).
    About eight time labels, on whole hours."""
    hours = len(buckets) * bucket_minutes / 60
    every = next((h for h in TICK_HOURS if hours / h <= 9), 24)
    span = bucket_minutes * 60.0
    people = [(b["ACTIVE"] / span, b["IDLE"] / span) for b in buckets]
    most = max([a + i for a, i in people] + [1])
    scale = max(1, math.ceil(most))
    plot_w, plot_h = width - left - 4, height - top - bottom
    step = plot_w / max(1, len(buckets))
    bars_, ticks = [], []
    for index, (bucket, (active, idle)) in enumerate(zip(buckets, people)):
        x = left + index * step
        ha, hi = plot_h * active / scale, plot_h * idle / scale
        bars_.append({"x": round(x, 2), "w": round(max(step - 0.6, 0.6), 2),
                      "ya": round(top + plot_h - ha, 2), "ha": round(ha, 2),
                      "yi": round(top + plot_h - ha - hi, 2), "hi": round(hi, 2),
                      "start": bucket["start"], "active": round(active, 1), "idle": round(idle, 1)})
        start = datetime.datetime.fromisoformat(bucket["start"])
        if start.minute < bucket_minutes and start.hour % every == 0:
            hour = start.replace(minute=0, second=0, microsecond=0)
            tick_x = x - (start - hour).total_seconds() / (bucket_minutes * 60) * step
            room = 70 if hours > 24 else 30  # a label cut by the edge is left out
            if left + room <= tick_x <= width - room:
                label = hour.strftime("%H:%M" if hours <= 24 else "%d %b %H:%M")
                ticks.append({"x": round(tick_x, 2), "at": iso(hour), "label": label,
                              "long": hours > 24})
    grid = [{"y": round(top + plot_h - plot_h * n / scale, 2), "label": n}
            for n in range(0, scale + 1, max(1, scale // 4))]
    return {"bars": bars_, "ticks": ticks, "grid": grid, "width": width, "height": height,
            "left": left, "base": top + plot_h, "scale": scale}
