// The Stream tab's timeline, worked with mouse, wheel and keys as a person would: clicks pick the nearest event
// (the last of several sharing a time; by order when all share one), drags and keys move the cursor and report
// it, the wheel zooms around the mouse without moving the cursor, the axis reads in round steps of the right
// unit, a million events paint as a histogram in a few milliseconds, and bad input (no events, versions not in
// the stream, clocks that step back, unknown types) neither crashes nor misplaces anything.
// Set EVENTSCOPE_SCREENSHOTS to a folder to keep the rendered pictures.

#include "ui/timeline_widget.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTime>
#include <QToolTip>

#include <ctime>

using namespace eventscope;

namespace {

constexpr qint64 kSecond = 1'000'000;
constexpr qint64 kStart = 1'705'327'200 * kSecond; // 2024-01-15T14:00:00Z

std::vector<TimelineEvent> eventsAt(const QList<qint64>& offsets)
{
    std::vector<TimelineEvent> events;
    for (qsizetype i = 0; i < offsets.size(); ++i)
        events.push_back({ kStart + offsets[i], i + 1, int(i % 3) });
    return events;
}

std::vector<TimelineEvent> evenly(int n, qint64 step)
{
    std::vector<TimelineEvent> events;
    for (int i = 0; i < n; ++i)
        events.push_back({ kStart + i * step, i + 1, i % 5 });
    return events;
}

// Busy spells and quiet ones of random length, as a real stream has them; the same on every run.
std::vector<TimelineEvent> bursty(int n, qint64 span)
{
    quint32 seed = 12345;
    const auto uniform = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return double(seed >> 8) / double(1 << 24);
    };
    std::vector<double> at(static_cast<size_t>(n));
    double t = 0, pace = 1;
    for (auto& time : at) {
        if (uniform() < 100.0 / n) // about a hundred spells, from a twentieth to six times the usual pace
            pace = std::pow(10.0, 2.1 * uniform() - 1.3);
        time = t += -std::log(1 - uniform()) / pace;
    }
    std::vector<TimelineEvent> events;
    events.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        events.push_back({ kStart + qint64(at[size_t(i)] / t * double(span)), i + 1, int(uniform() * 7) });
    return events;
}

void sendMouse(QWidget& w, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = {})
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, pos, w.mapToGlobal(pos), button, buttons, mods);
    QCoreApplication::sendEvent(&w, &event);
}

void wheel(QWidget& w, QPointF pos, int angle, Qt::KeyboardModifiers mods = {})
{
    QWheelEvent event(
        pos, w.mapToGlobal(pos), QPoint(), QPoint(0, angle), Qt::NoButton, mods, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(&w, &event);
}

int xOf(const TimelineWidget& w, qint64 version)
{
    if (version == 0)
        return 0;
    if (version == -1)
        return w.width() - 1;
    const std::optional<int> x = w.xForVersion(version);
    if (!x)
        qFatal("version %lld is not in view", version);
    return *x;
}

int trackY(const TimelineWidget& w)
{
    return w.trackRect().center().y();
}

// Pixels in area close to colour: what the eye would find there.
int pixelsLike(const QImage& image, const QRect& area, const QColor& colour)
{
    int found = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            found += std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green())
                    + std::abs(c.blue() - colour.blue())
                < 40;
        }
    return found;
}

QImage render(TimelineWidget& w, const char* name)
{
    const QImage image = w.grab().toImage();
    const QByteArray folder = qgetenv("EVENTSCOPE_SCREENSHOTS");
    if (!folder.isEmpty())
        image.save(QString::fromLocal8Bit(folder) + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
    return image;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::Text, QColor(0xe3, 0xe5, 0xe8));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xfd));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8f, 0x98));
    return p;
}

} // namespace

class TestTimelineWidget : public QObject
{
    Q_OBJECT

private:
    // Shown, sized as in the Stream tab, with events; the cursor starts on the last event.
    void prepare(TimelineWidget& w, std::vector<TimelineEvent> events, int width = 800)
    {
        w.resize(width, w.sizeHint().height());
        w.setEvents(std::move(events));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }

private slots:
    void initTestCase()
    {
        // Half an hour off UTC: round local labels cannot come from rounding UTC ones.
        qputenv("TZ", "Asia/Kolkata");
        tzset();
        QVERIFY2(QDateTime::fromSecsSinceEpoch(kStart / kSecond).offsetFromUtc() == 19800, "no Asia/Kolkata zone");
    }

    void clickPicksNearestEvent_data()
    {
        QTest::addColumn<QList<qint64>>("times");
        QTest::addColumn<bool>("byIndex");
        QTest::addColumn<qint64>("from"); // a version's x; 0 is the widget's left edge, -1 its right edge
        QTest::addColumn<qint64>("to");
        QTest::addColumn<double>("along");
        QTest::addColumn<qint64>("expected");
        const QList<qint64> tenSeconds { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
        QList<qint64> even;
        for (const qint64 t : tenSeconds)
            even << t * kSecond;
        QTest::addRow("on the first") << even << false << qint64(1) << qint64(1) << 0.0 << qint64(1);
        QTest::addRow("nearer the second") << even << false << qint64(1) << qint64(2) << 0.65 << qint64(2);
        QTest::addRow("nearer the first") << even << false << qint64(1) << qint64(2) << 0.35 << qint64(1);
        QTest::addRow("on the middle") << even << false << qint64(6) << qint64(6) << 0.0 << qint64(6);
        QTest::addRow("left of the track") << even << false << qint64(0) << qint64(0) << 0.0 << qint64(1);
        QTest::addRow("right of the track") << even << false << qint64(-1) << qint64(-1) << 0.0 << qint64(11);
        const QList<qint64> shared { 0, 50 * kSecond, 50 * kSecond, 50 * kSecond, 100 * kSecond };
        QTest::addRow("shared time: the last of them") << shared << false << qint64(2) << qint64(2) << 0.0 << qint64(4);
        QTest::addRow("just before a shared time") << shared << false << qint64(1) << qint64(2) << 0.8 << qint64(4);
        QTest::addRow("just after a shared time") << shared << false << qint64(4) << qint64(5) << 0.3 << qint64(4);
        QTest::addRow("nearer the first of all") << shared << false << qint64(1) << qint64(2) << 0.3 << qint64(1);
        const QList<qint64> instant { 7, 7, 7, 7, 7 };
        QTest::addRow("one instant: by order") << instant << false << qint64(3) << qint64(3) << 0.0 << qint64(3);
        QTest::addRow("one instant: nearer 1") << instant << false << qint64(1) << qint64(2) << 0.4 << qint64(1);
        QTest::addRow("one instant: nearer 2") << instant << false << qint64(1) << qint64(2) << 0.6 << qint64(2);
        QTest::addRow("one event, left") << QList<qint64> { 0 } << false << qint64(0) << qint64(0) << 0.0 << qint64(1);
        QTest::addRow("one event, right")
            << QList<qint64> { 0 } << false << qint64(-1) << qint64(-1) << 0.0 << qint64(1);
        const QList<qint64> bunched { 0, 1, 2, 1000 * kSecond };
        QTest::addRow("by time: bunched ones at the left")
            << bunched << false << qint64(0) << qint64(-1) << 0.1 << qint64(3);
        QTest::addRow("by index: spread out") << bunched << true << qint64(2) << qint64(3) << 0.6 << qint64(3);
        QTest::addRow("by index: the last") << bunched << true << qint64(3) << qint64(4) << 0.6 << qint64(4);
    }

    void clickPicksNearestEvent()
    {
        QFETCH(QList<qint64>, times);
        QFETCH(bool, byIndex);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(double, along);
        QFETCH(qint64, expected);
        TimelineWidget w;
        if (byIndex)
            w.setAxis(TimelineWidget::Axis::Index);
        prepare(w, eventsAt(times));
        const qint64 before = w.currentVersion();
        QCOMPARE(before, qint64(times.size()));
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        const int x = int(std::lround(xOf(w, from) + along * (xOf(w, to) - xOf(w, from))));
        QCOMPARE(w.versionAt(x), std::optional<qint64>(expected));
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(x, trackY(w)));
        QCOMPARE(w.currentVersion(), expected);
        QCOMPARE(moved.count(), expected == before ? 0 : 1);
        if (!moved.isEmpty())
            QCOMPARE(moved.first().first().toLongLong(), expected);
        QVERIFY(w.hasFocus());
    }

    void zeroSpanFallsBackToIndexAxis()
    {
        TimelineWidget w;
        prepare(w, eventsAt({ 5, 5, 5, 5 }));
        QCOMPARE(w.axis(), TimelineWidget::Axis::Time);
        QCOMPARE(w.effectiveAxis(), TimelineWidget::Axis::Index);
        render(w, "one-instant");
        const int gap = xOf(w, 2) - xOf(w, 1);
        QVERIFY(gap > 100);
        QVERIFY(std::abs(xOf(w, 3) - xOf(w, 2) - gap) <= 1 && std::abs(xOf(w, 4) - xOf(w, 3) - gap) <= 1);
        QCOMPARE(w.axisLabels(),
            QStringList({ QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4") }));

        w.setEvents(eventsAt({ 0 }));
        QCOMPARE(w.effectiveAxis(), TimelineWidget::Axis::Index);
        QVERIFY(std::abs(xOf(w, 1) - w.trackRect().center().x()) <= 1);

        // Spread times become even by choice, and uneven again by time.
        w.setEvents(eventsAt({ 0, 1, 2, 3000 * kSecond }));
        QVERIFY(xOf(w, 3) - xOf(w, 1) < 3);
        w.setAxis(TimelineWidget::Axis::Index);
        QVERIFY(std::abs((xOf(w, 4) - xOf(w, 3)) - (xOf(w, 2) - xOf(w, 1))) <= 1);
        QCOMPARE(w.zoomFrom(), qint64(1));
        QCOMPARE(w.zoomTo(), qint64(4));
    }

    void dragEmitsIncreasingVersions()
    {
        TimelineWidget w;
        prepare(w, bursty(500, 3600 * kSecond));
        w.setCurrentVersion(1);
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        const int y = trackY(w);
        QTest::mousePress(&w, Qt::LeftButton, {}, QPoint(2, y));
        for (int x = 2; x <= w.width() + 30; x += 5)
            sendMouse(w, QEvent::MouseMove, QPointF(x, y), Qt::LeftButton);
        QTest::mouseRelease(&w, Qt::LeftButton, {}, QPoint(w.width() + 30, y));
        QVERIFY2(moved.count() > 50, qPrintable(QString::number(moved.count())));
        for (qsizetype i = 1; i < moved.count(); ++i)
            QVERIFY(moved.at(i).first().toLongLong() > moved.at(i - 1).first().toLongLong());
        QCOMPARE(moved.last().first().toLongLong(), qint64(500));
        QCOMPARE(w.currentVersion(), qint64(500));

        // and back past the left edge to the first
        moved.clear();
        QTest::mousePress(&w, Qt::LeftButton, {}, QPoint(w.width() / 2, y));
        sendMouse(w, QEvent::MouseMove, QPointF(-40, y), Qt::LeftButton);
        QTest::mouseRelease(&w, Qt::LeftButton, {}, QPoint(-40, y));
        QCOMPARE(moved.last().first().toLongLong(), qint64(1));

        // without a button, a move only hovers
        moved.clear();
        sendMouse(w, QEvent::MouseMove, QPointF(w.width() / 2, y), Qt::NoButton);
        QCOMPARE(moved.count(), 0);
    }

    void keysStep_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<int>("key");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("left") << qint64(50) << int(Qt::Key_Left) << qint64(49);
        QTest::addRow("right") << qint64(50) << int(Qt::Key_Right) << qint64(51);
        QTest::addRow("home") << qint64(50) << int(Qt::Key_Home) << qint64(1);
        QTest::addRow("end") << qint64(50) << int(Qt::Key_End) << qint64(100);
        QTest::addRow("page up: forward a tenth") << qint64(50) << int(Qt::Key_PageUp) << qint64(60);
        QTest::addRow("page down: back a tenth") << qint64(50) << int(Qt::Key_PageDown) << qint64(40);
        QTest::addRow("left at the first") << qint64(1) << int(Qt::Key_Left) << qint64(1);
        QTest::addRow("right at the last") << qint64(100) << int(Qt::Key_Right) << qint64(100);
        QTest::addRow("page down near the first") << qint64(3) << int(Qt::Key_PageDown) << qint64(1);
        QTest::addRow("page up near the last") << qint64(97) << int(Qt::Key_PageUp) << qint64(100);
        QTest::addRow("a letter does nothing") << qint64(50) << int(Qt::Key_X) << qint64(50);
    }

    void keysStep()
    {
        QFETCH(qint64, start);
        QFETCH(int, key);
        QFETCH(qint64, expected);
        TimelineWidget w;
        prepare(w, evenly(100, kSecond));
        w.setCurrentVersion(start);
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        QTest::keyClick(&w, Qt::Key(key));
        QCOMPARE(w.currentVersion(), expected);
        QCOMPARE(moved.count(), expected == start ? 0 : 1);
    }

    void keysFollowTheCursorWhenZoomed()
    {
        TimelineWidget w;
        prepare(w, evenly(1000, kSecond));
        w.setZoomRange(kStart, kStart + 100 * kSecond);
        w.setCurrentVersion(50);
        QTest::keyClick(&w, Qt::Key_PageUp); // a tenth of the ~100 in view
        QCOMPARE(w.currentVersion(), qint64(60));
        QTest::keyClick(&w, Qt::Key_End);
        QVERIFY(w.xForVersion(1000).has_value());
        QVERIFY(w.isZoomed());
        QVERIFY(w.zoomTo() - w.zoomFrom() < 110 * kSecond);
    }

    void wheelZoomsAroundTheMouse()
    {
        TimelineWidget w;
        prepare(w, evenly(1000, kSecond));
        w.setCurrentVersion(700);
        QSignalSpy zoomed(&w, &TimelineWidget::zoomChanged);
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        const int x = xOf(w, 300);
        const qint64 span = w.zoomTo() - w.zoomFrom();
        wheel(w, QPointF(x, trackY(w)), 120);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(w.zoomTo() - w.zoomFrom() < span * 9 / 10);
        QVERIFY(w.zoomFrom() < kStart + 299 * kSecond && w.zoomTo() > kStart + 299 * kSecond);
        QVERIFY(std::abs(xOf(w, 300) - x) <= 1);
        QCOMPARE(zoomed.last().at(0).toLongLong(), w.zoomFrom());
        QCOMPARE(zoomed.last().at(1).toLongLong(), w.zoomTo());
        for (int i = 0; i < 5; ++i)
            wheel(w, QPointF(x, trackY(w)), 120);
        QVERIFY(std::abs(xOf(w, 300) - x) <= 1);
        QVERIFY(w.zoomTo() - w.zoomFrom() < span / 3);
        QCOMPARE(w.currentVersion(), qint64(700));
        QCOMPARE(moved.count(), 0);
        QVERIFY(!w.xForVersion(700)); // out of view: kept, shown by a chevron at the edge
        render(w, "zoomed-cursor-off-view");

        wheel(w, QPointF(x, trackY(w)), -120);
        QVERIFY(std::abs(xOf(w, 300) - x) <= 1);
        for (int i = 0; i < 30; ++i) // zooming out stops at the whole stream
            wheel(w, QPointF(x, trackY(w)), -120);
        QVERIFY(!w.isZoomed());
        QCOMPARE(w.zoomFrom(), kStart);
        QCOMPARE(w.zoomTo(), kStart + 999 * kSecond);
        for (int i = 0; i < 80; ++i) // zooming in stops at a few µs
            wheel(w, QPointF(x, trackY(w)), 120);
        QVERIFY(w.zoomTo() - w.zoomFrom() >= 10);
        QCOMPARE(w.currentVersion(), qint64(700));
    }

    void zoomRangeAndReset()
    {
        TimelineWidget w;
        prepare(w, evenly(1000, kSecond));
        QSignalSpy zoomed(&w, &TimelineWidget::zoomChanged);
        w.setZoomRange(kStart + 200 * kSecond, kStart + 400 * kSecond);
        QVERIFY(w.isZoomed());
        QCOMPARE(w.zoomFrom(), kStart + 200 * kSecond);
        QCOMPARE(w.zoomTo(), kStart + 400 * kSecond);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(!w.xForVersion(100) && w.xForVersion(300));

        QTest::mouseDClick(&w, Qt::LeftButton, {}, QPoint(w.width() / 2, trackY(w)));
        QVERIFY(!w.isZoomed());
        QCOMPARE(w.zoomFrom(), kStart);

        // Backwards, beyond the stream, empty: swapped, clamped, widened.
        w.setZoomRange(kStart + 400 * kSecond, kStart + 200 * kSecond);
        QCOMPARE(w.zoomFrom(), kStart + 200 * kSecond);
        w.setZoomRange(kStart - 1000 * kSecond, kStart + 5000 * kSecond);
        QVERIFY(!w.isZoomed());
        w.setZoomRange(kStart + 5 * kSecond, kStart + 5 * kSecond);
        QVERIFY(w.isZoomed() && w.zoomTo() - w.zoomFrom() >= 10);
        w.resetZoom();
        QVERIFY(!w.isZoomed());
    }

    void dragSelectsARangeToZoom_data()
    {
        QTest::addColumn<bool>("onAxis");
        QTest::addRow("shift-drag on the track") << false;
        QTest::addRow("drag on the axis") << true;
    }

    void dragSelectsARangeToZoom()
    {
        QFETCH(bool, onAxis);
        TimelineWidget w;
        prepare(w, evenly(1000, kSecond));
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        const int y = onAxis ? w.trackRect().bottom() + 12 : trackY(w);
        const Qt::KeyboardModifiers mods = onAxis ? Qt::NoModifier : Qt::ShiftModifier;
        const int a = xOf(w, 201), b = xOf(w, 401);
        QTest::mousePress(&w, Qt::LeftButton, mods, QPoint(a, y));
        sendMouse(w, QEvent::MouseMove, QPointF((a + b) / 2, y), Qt::LeftButton, mods);
        sendMouse(w, QEvent::MouseMove, QPointF(b, y), Qt::LeftButton, mods);
        render(w, onAxis ? "selecting-on-axis" : "selecting");
        QTest::mouseRelease(&w, Qt::LeftButton, mods, QPoint(b, y));
        QVERIFY(w.isZoomed());
        const qint64 slack = 2 * kSecond; // a pixel is more than a second here
        QVERIFY2(std::abs(w.zoomFrom() - (kStart + 200 * kSecond)) < slack, qPrintable(QString::number(w.zoomFrom())));
        QVERIFY(std::abs(w.zoomTo() - (kStart + 400 * kSecond)) < slack);
        QCOMPARE(moved.count(), 0);

        // A click on the axis band, not a drag, moves the cursor.
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(xOf(w, 300), w.trackRect().bottom() + 12));
        QCOMPARE(w.currentVersion(), qint64(300));
    }

    void axisReadsInRoundSteps_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<bool>("local");
        QTest::addColumn<QString>("format");
        QTest::addRow("half a millisecond") << qint64(500) << false << QStringLiteral("HH:mm:ss.zzz###");
        QTest::addRow("a fifth of a second") << qint64(200'000) << false << QStringLiteral("HH:mm:ss.zzz");
        QTest::addRow("ninety seconds") << 90 * kSecond << false << QStringLiteral("HH:mm:ss");
        QTest::addRow("two hours") << 7200 * kSecond << false << QStringLiteral("HH:mm");
        QTest::addRow("two hours, local") << 7200 * kSecond << true << QStringLiteral("HH:mm");
        QTest::addRow("ten days") << 864'000 * kSecond << false << QStringLiteral("d MMM");
        QTest::addRow("three years") << 3 * 31'557'600 * kSecond << false << QStringLiteral("MMM yyyy");
        QTest::addRow("forty years") << 40 * 31'557'600 * kSecond << false << QStringLiteral("yyyy");
    }

    void axisReadsInRoundSteps()
    {
        QFETCH(qint64, span);
        QFETCH(bool, local);
        QFETCH(QString, format);
        TimelineWidget w;
        w.setLocalTime(local);
        prepare(w, { { kStart + 7, 1, 0 }, { kStart + 7 + span, 2, 1 } });
        render(w, QTest::currentDataTag());
        const QStringList labels = w.axisLabels();
        QVERIFY2(labels.size() >= 3 && labels.size() <= 15, qPrintable(labels.join(QLatin1Char(' '))));
        if (format.startsWith(QLatin1String("HH"))) {
            // equal steps in the viewer's clock, starting on a multiple of the step
            const QString base = format.left(12);
            QList<qint64> us;
            for (const QString& label : labels) {
                const QTime t = QTime::fromString(label.left(base.size()), base);
                QVERIFY2(t.isValid(), qPrintable(label));
                us << t.msecsSinceStartOfDay() * qint64(1000)
                        + (label.size() > base.size() ? label.mid(base.size()).toLongLong() : 0);
            }
            const qint64 step = us[1] - us[0];
            QVERIFY(step > 0);
            for (qsizetype i = 1; i < us.size(); ++i)
                QCOMPARE(us[i] - us[i - 1], step);
            QCOMPARE(us[0] % step, qint64(0));
            if (local) // Kolkata: 19:30 when UTC says 14:00
                QVERIFY2(labels.first().startsWith(QLatin1String("19:")), qPrintable(labels.first()));
            else
                QVERIFY2(labels.first().startsWith(QLatin1String("14:")), qPrintable(labels.first()));
        } else {
            const QRegularExpression shape(format == QLatin1String("d MMM") ? QStringLiteral("^\\d{1,2} [A-Z][a-z]{2}$")
                    : format == QLatin1String("yyyy")                       ? QStringLiteral("^\\d{4}$")
                                                                            : QStringLiteral("^[A-Z][a-z]{2} \\d{4}$"));
            for (const QString& label : labels)
                QVERIFY2(
                    shape.match(label).hasMatch() && QDate::fromString(label, format).isValid(), qPrintable(label));
        }
    }

    void millionEventsPaintFast()
    {
        TimelineWidget w;
        std::vector<TimelineEvent> events = bursty(1'000'000, 30 * 86'400 * kSecond);
        QElapsedTimer timer;
        timer.start();
        prepare(w, std::move(events), 1200);
        qInfo("setEvents of 1,000,000 events: %lld ms", timer.elapsed());
        w.setCurrentVersion(600'000);
        w.setPins(200'000, 400'000);
        render(w, "million");
        timer.restart();
        constexpr int paints = 20;
        for (int i = 0; i < paints; ++i) {
            w.setZoomRange(w.zoomFrom(), w.zoomTo() - 1000); // a new range each time: the columns are rebuilt
            w.repaint();
        }
        qInfo("paint with 1,000,000 events: %.3f ms", double(timer.nsecsElapsed()) / paints / 1e6);
        // A histogram, not a million ticks: the bars are in the highlight's tint, the cursor's column in it fully.
        // Bars in nearly every column: a histogram, where a million ticks would have been one smear.
        const QImage image = render(w, "million-histogram");
        const QRect track = w.trackRect();
        const QColor base = w.palette().color(QPalette::Base);
        int columns = 0, barred = 0;
        for (int x = track.left() + 14; x < track.right() - 14; ++x, ++columns)
            barred += image.pixelColor(x, track.bottom() - 6) != base;
        QVERIFY2(barred > columns / 2, qPrintable(QStringLiteral("%1 of %2").arg(barred).arg(columns)));

        w.resetZoom();
        const int y = trackY(w);
        timer.restart();
        QTest::mousePress(&w, Qt::LeftButton, {}, QPoint(0, y));
        for (int x = 0; x < w.width(); ++x)
            sendMouse(w, QEvent::MouseMove, QPointF(x, y), Qt::LeftButton);
        QTest::mouseRelease(&w, Qt::LeftButton, {}, QPoint(w.width() - 1, y));
        qInfo("drag across 1,000,000 events: %.3f ms a move", double(timer.nsecsElapsed()) / w.width() / 1e6);
        QCOMPARE(w.currentVersion(), qint64(1'000'000));

        w.setZoomRange(kStart + 86'400 * kSecond, kStart + 86'400 * kSecond + 30 * kSecond);
        render(w, "million-zoomed-to-ticks");
    }

    void pinsAndFailureRender()
    {
        TimelineWidget w;
        prepare(w, evenly(40, 60 * kSecond));
        w.setCurrentVersion(30);
        const QRect track = w.trackRect();
        const auto column
            = [&](qint64 version) { return QRect(xOf(w, version) - 1, track.top() + 8, 3, track.height() - 20); };
        QImage image = render(w, "few");
        const QColor red
            = image.pixelColor(0, 0).lightness() < 128 ? QColor(0xf0, 0x5a, 0x5a) : QColor(0xd0, 0x21, 0x21);
        QCOMPARE(pixelsLike(image, column(12), red), 0);

        w.setFailedVersion(12);
        w.setPins(5, 20);
        image = render(w, "pins-and-failure");
        QVERIFY(pixelsLike(image, column(12), red) > 10);
        const QColor pin = w.palette().color(QPalette::WindowText);
        QVERIFY(pixelsLike(image, QRect(xOf(w, 5) + 2, 2, 10, 10), pin) > 20); // the flag
        QVERIFY(pixelsLike(image, QRect(xOf(w, 30) - 5, 3, 11, 10), w.palette().color(QPalette::Highlight)) > 30);

        // Versions the stream does not hold: pins go to the state at them, a failure is not drawn.
        w.setFailedVersion(4000);
        w.setPins(-3, 4000);
        image = render(w, "pins-out-of-range");
        QCOMPARE(pixelsLike(image, column(12), red), 0);
        w.setPins(std::nullopt, std::nullopt);
        w.setFailedVersion(std::nullopt);
        render(w, "no-pins");
    }

    void darkPaletteReads()
    {
        TimelineWidget w;
        w.setPalette(darkPalette());
        prepare(w, evenly(60, 45 * kSecond));
        w.setCurrentVersion(20);
        w.setPins(10, 40);
        w.setFailedVersion(33);
        const QImage image = render(w, "dark");
        QCOMPARE(image.pixelColor(w.width() / 2, 3), darkPalette().color(QPalette::Window));
        QCOMPARE(image.pixelColor(w.trackRect().left() + 4, trackY(w)), darkPalette().color(QPalette::Base));
        QVERIFY(pixelsLike(image, w.trackRect(), QColor(0xf0, 0x5a, 0x5a)) > 10);
        w.setEvents(bursty(200'000, 86'400 * kSecond));
        render(w, "dark-histogram");
    }

    void tooltipNamesTheEvent()
    {
        TimelineWidget w;
        prepare(w, evenly(10, kSecond));
        w.setTypeNames({ QStringLiteral("Opened"), QStringLiteral("<Deposited>") });
        const QPoint at(xOf(w, 7), trackY(w)); // type index 6 % 5 = 1
        QHelpEvent help(QEvent::ToolTip, at, w.mapToGlobal(at));
        QCoreApplication::sendEvent(&w, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QLatin1String("Version 7")), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QLatin1String("&lt;Deposited&gt;")));
        QVERIFY(QToolTip::text().contains(QLatin1String("2024-01-15 14:00:06.000000 UTC")));
        // A type the names do not cover is named by its number, not left blank.
        QPoint unnamed(xOf(w, 4), trackY(w));
        QHelpEvent help2(QEvent::ToolTip, unnamed, w.mapToGlobal(unnamed));
        QCoreApplication::sendEvent(&w, &help2);
        QTRY_VERIFY(QToolTip::text().contains(QLatin1String("type 3")));
        QToolTip::hideText();
    }

    void badInput()
    {
        TimelineWidget w;
        w.setCurrentVersion(5); // before there are events: kept for them
        QCOMPARE(w.currentVersion(), qint64(5));
        prepare(w, {});
        QSignalSpy moved(&w, &TimelineWidget::currentVersionChanged);
        QSignalSpy zoomed(&w, &TimelineWidget::zoomChanged);
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(w.width() / 2, trackY(w)));
        QTest::keyClick(&w, Qt::Key_End);
        wheel(w, QPointF(w.width() / 2, trackY(w)), 120);
        w.setZoomRange(1, 2);
        QCOMPARE(moved.count(), 0);
        QCOMPARE(zoomed.count(), 0);
        QVERIFY(w.axisLabels().isEmpty() && !w.versionAt(10));
        render(w, "empty");

        // Versions out of order are put in order; a clock stepping back does not reorder the drawing.
        std::vector<TimelineEvent> events { { kStart + 40 * kSecond, 8, 0 }, { kStart, 2, 1 },
            { kStart + 30 * kSecond, 6, -7 }, { kStart + 10 * kSecond, 4, 99 } };
        events.push_back({ kStart + 5 * kSecond, 10, 2 }); // version 10 claims a time before version 8's
        w.setEvents(std::move(events));
        QCOMPARE(w.events().front().version, qint64(2));
        QCOMPARE(w.events().back().version, qint64(10));
        QCOMPARE(w.currentVersion(), qint64(4)); // 5 was wanted: the state at 5 is the one after event 4
        QVERIFY(xOf(w, 2) < xOf(w, 4) && xOf(w, 4) < xOf(w, 6) && xOf(w, 6) < xOf(w, 8) && xOf(w, 8) <= xOf(w, 10));
        w.setCurrentVersion(7);
        QCOMPARE(w.currentVersion(), qint64(6));
        w.setCurrentVersion(-100);
        QCOMPARE(w.currentVersion(), qint64(2));
        w.setCurrentVersion(1'000'000);
        QCOMPARE(w.currentVersion(), qint64(10));
        QCOMPARE(moved.count(), 0); // setting is not a user's move
        QVERIFY(!w.xForVersion(5));
        render(w, "odd-input");

        // A new stream drops a cursor that is out of its range.
        w.setEvents(evenly(3, kSecond));
        QCOMPARE(w.currentVersion(), qint64(3));
    }
};

QTEST_MAIN(TestTimelineWidget)
#include "tst_timeline_widget.moc"
