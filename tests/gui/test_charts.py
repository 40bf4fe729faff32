"""The Charts page, the crisis banner and the report action in a real window on a real
database (SyncTaskRunner: background work runs at once)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import alerts as store_alerts
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _rows(surge: bool) -> list[dict[str, Any]]:
    """Three quiet weeks (a mention every 4 hours, a complaint every other day) and, with
    *surge*, 12 complaints in the last six hours."""
    rows = []
    start = NOW - timedelta(days=21)
    for i in range(21 * 6):
        at = start + timedelta(hours=4 * i)
        rows.append(mention_row(created_at=to_iso(at), label="positive", sentiment=0.6))
        if i % 12 == 0:
            rows.append(mention_row(created_at=to_iso(at + timedelta(minutes=5)),
                                    label="negative", complaint=True, sentiment=-0.5))  # fmt: skip
    for k in range(12 if surge else 0):
        rows.append(mention_row(created_at=to_iso(NOW - timedelta(hours=6, minutes=-20 * k)),
                                label="negative", complaint=True, sentiment=-0.7,
                                text=f"Burnt cake number {k}", source="x"))  # fmt: skip
    return rows


def open_window(qtbot: Any, db: Any, db_path: Path, settings: Settings | None = None) -> MainWindow:
    window = MainWindow(db, db_path, settings or Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot: Any, db: Any, db_path: Path) -> MainWindow:
    insert_mentions(db, _rows(surge=True))
    return open_window(qtbot, db, db_path)


def test_importing_the_window_does_not_import_matplotlib() -> None:
    code = (
        "import sys; import crisisdesk.ui.main_window, crisisdesk.app; "
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    assert out.strip() == "[]"


def test_the_charts_page_draws_the_series_when_first_shown(qtbot: Any, window: MainWindow) -> None:
    page = window.insight.page
    assert page.views == {}  # nothing drawn (nor matplotlib needed) before the page opens
    with qtbot.waitSignal(page.drawn) as drawn:
        window.show_page("charts")
    data = drawn.args[0]
    assert set(page.views) == {"sentiment", "complaints", "platforms", "responses"}
    assert page.range.currentData() == "30d"
    assert sum(p.complaints for p in data.sentiment) == 11 + 12
    assert [s.metric.value for s in data.spikes] == ["complaints", "negative_share"]
    complaints = page.views["complaints"]
    assert list(complaints.figure.axes[0].containers[0].datavalues) == [
        p.complaints for p in data.sentiment
    ]
    assert "23 complaints" in complaints.canvas.accessibleDescription()
    assert "2 alerts in this range" in page.status.text()


def test_range_picker_and_custom_range(qtbot: Any, window: MainWindow) -> None:
    page = window.insight.page
    window.show_page("charts")
    with qtbot.waitSignal(page.drawn) as drawn:
        page.range.setCurrentIndex(page.range.findData("7d"))
    assert len(drawn.args[0].sentiment) in (7, 8)  # whole local days
    first = (NOW - timedelta(days=3)).astimezone(page.tz).date()
    last = NOW.astimezone(page.tz).date()
    with qtbot.waitSignal(page.drawn) as drawn:
        page.set_range("custom", first, last)
    assert page.date_from.isVisible() and page.date_to.isVisible()
    days = drawn.args[0].sentiment
    assert days[0].start.date() == first and days[-1].start.date() == last
    page.save_settings()
    settings = page._settings
    assert settings.get("insight/range") == "custom"
    assert settings.get("insight/custom_from") == first.isoformat()


def test_hover_text_and_click_filters_the_inbox(qtbot: Any, window: MainWindow) -> None:
    from matplotlib import dates as mdates

    from crisisdesk.ui.charts.views import bucket_tooltip

    page = window.insight.page
    with qtbot.waitSignal(page.drawn) as drawn:
        window.show_page("charts")
    data = drawn.args[0]
    view = page.views["complaints"]
    last = len(data.sentiment) - 1
    middle = data.sentiment[last].start + timedelta(hours=12)
    assert view.bucket_at(mdates.date2num(middle)) == last
    text = bucket_tooltip("complaints", data, last, page.tz)
    assert f"{data.sentiment[last].complaints} complaints" in text
    assert "In an alert: Complaints" in text

    with qtbot.waitSignal(window.inbox.loaded):
        view.bucketClicked.emit(data.sentiment[last].start,
                                data.sentiment[last].start + timedelta(days=1))  # fmt: skip
    assert window.current_page() == "inbox"
    state = window.inbox.filter_bar.state()
    assert (state.period, state.date_from, state.date_to) == (
        "custom", data.sentiment[last].start.date().isoformat(),
        data.sentiment[last].start.date().isoformat(),
    )  # fmt: skip


def test_export_a_chart_as_png_and_svg(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    page = window.insight.page
    with qtbot.waitSignal(page.drawn):
        window.show_page("charts")
    view = page.views["sentiment"]
    png = view.export(tmp_path / "sentiment.png")
    svg = view.export(tmp_path / "sentiment.svg")
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")
    assert svg is not None and b"<svg" in svg.read_bytes()[:400]
    with pytest.raises(CrisisdeskError, match="neither a PNG nor an SVG"):
        view.export(tmp_path / "sentiment.jpg")
    assert view.export(ask=lambda: None) is None  # the user cancelled the file dialog


def test_charts_follow_a_dark_palette(qtbot: Any, window: MainWindow) -> None:
    page = window.insight.page
    with qtbot.waitSignal(page.drawn):
        window.show_page("charts")
    dark = QPalette(page.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    page.setPalette(dark)
    figure = page.views["sentiment"].figure
    assert figure.get_facecolor()[:3] == pytest.approx((0x20 / 255, 0x21 / 255, 0x24 / 255))


def test_a_new_alert_shows_the_banner_once(qtbot: Any, window: MainWindow, db: Any) -> None:
    insight = window.insight
    assert not insight.banner_bar.isVisible()
    with qtbot.waitSignal(insight.watcher.announced) as announced:
        window.reload()  # what an import, the demo or a sync does when it is done
    alerts = announced.args[0]
    assert [a.kind for a in alerts] == ["complaints", "negative_share"]
    assert insight.banner_bar.isVisible()
    assert insight.banner.text.textFormat() == Qt.TextFormat.PlainText  # internet text
    assert insight.banner.text.text().startswith("Possible crisis — Complaints: 12 complaints")
    assert insight.banner.plan_button.isVisible()  # the window has its Plan page

    # the next reload finds the same episode: nothing new to announce
    with qtbot.waitSignal(insight.watcher.checked) as checked:
        window.reload()
    assert checked.args[0] == []

    insight.banner.close_button.click()
    assert not insight.banner_bar.isVisible()
    stored = store_alerts.between(db, to_iso(NOW - timedelta(days=1)), to_iso(NOW + timedelta(1)))
    assert all(a.acknowledged_at for a in stored)


# a tray icon made where the platform has no tray (offscreen) warns about a missing signal
@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
@pytest.mark.parametrize("tray", [True, False], ids=["tray", "no tray"])
def test_a_new_alert_is_announced_with_or_without_a_system_tray(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tray: bool
) -> None:
    """Issue 15.13: an alert reaches a screen reader whether or not the desktop has a tray,
    and the tray icon says what the alert is (a screen reader reads its tooltip)."""
    from crisisdesk.ui import announce
    from crisisdesk.ui.charts import alerts

    monkeypatch.setattr(alerts, "tray_available", lambda: tray)  # offscreen has no tray
    watcher = window.insight.watcher
    with qtbot.waitSignal(watcher.announced):
        window.reload()
    text = window.insight.banner.text.text()
    assert announce.announced[-1] == " ".join(f"Crisis alert. {text}".split())
    if tray:
        assert watcher.tray is not None and watcher.tray.isVisible()
        assert not watcher.tray.icon().isNull()
        assert watcher.tray.toolTip() == f"crisisdesk — {text}"
        assert watcher.tray_message == (alerts.TRAY_TITLE, text)
    else:
        assert watcher.tray is None and watcher.tray_message is None
    window.close()  # the tray icon goes with the window
    assert watcher.tray is None or not watcher.tray.isVisible()


def test_show_these_mentions_selects_the_drivers(qtbot: Any, window: MainWindow) -> None:
    insight = window.insight
    with qtbot.waitSignal(insight.watcher.announced):
        window.reload()
    complaint_alert = [a for a in insight.banner.alerts if a.kind == "complaints"]
    with qtbot.waitSignal(window.inbox.loaded):
        insight.banner.mentionsRequested.emit(complaint_alert)
    assert window.current_page() == "inbox"
    assert window.inbox.filter_bar.state().complaints_only
    selected = window.inbox.selected_ids()
    assert sorted(selected) == sorted(complaint_alert[0].detail["mention_ids"])


def test_open_crisis_plan_when_a_plan_page_exists(qtbot: Any, window: MainWindow) -> None:
    insight = window.insight
    with qtbot.waitSignal(insight.watcher.announced):
        window.reload()
    assert insight.banner.plan_button.isVisible()
    insight.banner.plan_button.click()
    assert window.current_page() == "plan"


def test_alert_settings_are_remembered_and_used(qtbot: Any, window: MainWindow) -> None:
    from crisisdesk.ui.charts.thresholds import AlertSettingsDialog, thresholds_from

    settings = window.insight._settings
    dialog = AlertSettingsDialog(settings, window)
    qtbot.addWidget(dialog)
    dialog.min_count.setValue(20)
    dialog.min_ratio.setValue(400)
    dialog.tray.setChecked(False)
    dialog.accept()
    assert thresholds_from(settings).min_count == 20
    assert thresholds_from(settings).min_ratio == 4.0
    assert settings.get("insight/tray") is False
    # 12 complaints no longer reach the owner's threshold of 20
    with qtbot.waitSignal(window.insight.watcher.checked) as checked:
        window.reload()
    assert checked.args[0] == []
    assert not window.insight.banner_bar.isVisible()


def test_the_report_action_writes_a_pdf(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "incident.pdf"
    window.insight.write_report(NOW - timedelta(days=1), NOW, out)
    assert out.read_bytes().startswith(b"%PDF")
    assert "post-crisis report" in window.statusBar().currentMessage()
