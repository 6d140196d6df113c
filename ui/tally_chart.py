"""A small bar chart of a tally's timeline, painted with QPainter (QtCharts is not needed).

Three bars per hour of a day (or per day, per month): dossiers received,
results released, results handed over; the same figures as the printed
report's chart. The widget draws what it is given and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from counter_app.tallies import TimelinePoint

SERIES_COLOURS = (QColor("#1f4e79"), QColor("#5b9bd5"), QColor("#a5a5a5"))
GRID = QColor("#e4e7ec")
AXIS_TEXT = QColor("#475467")


def _nice_ceiling(value: int) -> int:
    """The top of the value axis: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 4:
        return 4
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step * 4 >= value:
                return factor * step * 4
        step *= 10


class TallyChart(QWidget):
    """Grouped bars of ``TimelinePoint``s with a legend. Signals: none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: tuple[TimelinePoint, ...] = ()
        self.series_names = (self.tr("Tiếp nhận"), self.tr("Có kết quả"), self.tr("Đã trả kết quả"))
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def set_points(self, points: Sequence[TimelinePoint]) -> None:
        self.points = tuple(points)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        font.setPixelSize(11)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        left, right, top, bottom = 40.0, 10.0, 28.0, 22.0
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        self._legend(painter, plot)
        if not self.points or plot.width() < 20 or plot.height() < 20:
            painter.setPen(AXIS_TEXT)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("Chưa có số liệu"))
            painter.end()
            return
        highest = max(max(p.received, p.resolved, p.returned) for p in self.points)
        ceiling = _nice_ceiling(highest)
        for tick in range(5):
            y = plot.bottom() - plot.height() * tick / 4
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(AXIS_TEXT)
            label = f"{ceiling * tick // 4:,}".replace(",", ".")
            box = QRectF(0, y - 8, left - 6, 16)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
        slot = plot.width() / len(self.points)
        bar = max(1.0, slot * 0.8 / 3)
        every = max(1, int(metrics.horizontalAdvance("00/00") * 1.3 // slot) + 1)
        for index, point in enumerate(self.points):
            x = plot.left() + slot * index + slot * 0.1
            for series, amount in enumerate((point.received, point.resolved, point.returned)):
                height = plot.height() * amount / ceiling
                painter.fillRect(
                    QRectF(x + bar * series, plot.bottom() - height, bar - 0.5, height),
                    SERIES_COLOURS[series],
                )
            if index % every == 0:
                painter.setPen(AXIS_TEXT)
                box = QRectF(plot.left() + slot * index - 10, plot.bottom() + 3, slot + 20, 16)
                painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, point.label)
        painter.setPen(QPen(AXIS_TEXT, 1))
        painter.drawLine(
            int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom())
        )
        painter.end()

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        x = plot.left()
        for name, colour in zip(self.series_names, SERIES_COLOURS, strict=True):
            painter.fillRect(QRectF(x, 8, 10, 10), colour)
            painter.setPen(AXIS_TEXT)
            painter.drawText(QRectF(x + 14, 4, 140, 18), Qt.AlignmentFlag.AlignVCenter, name)
            x += 18 + painter.fontMetrics().horizontalAdvance(name) + 16
