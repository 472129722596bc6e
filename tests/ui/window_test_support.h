#pragma once
// What the window tests do as a person would: a small shop store, a file dropped on a widget, a row clicked,
// a link clicked, and measures of a rendered image.

#include "storage/event_store.h"
#include "tests/ui/widget_test_support.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QDropEvent>
#include <QImage>
#include <QLabel>
#include <QMainWindow>
#include <QMimeData>
#include <QSet>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QUrl>

namespace eventscope::test {

// Seven events: order-1 (2), order-2 (3), payment-2 (1), shipment-1 (1); correlation c-1 or c-2.
inline void fillShop(const std::string& uri)
{
    auto store = openStore(uri, true);
    auto event = [](const char* type, const char* correlation, const char* user) {
        NewEvent e;
        e.type = type;
        e.data = std::string("{\"note\":\"") + type + "\",\"amount\":12.5}";
        e.metadata = std::string("{\"correlationId\":\"") + correlation + "\",\"userId\":\"" + user + "\"}";
        return e;
    };
    const std::vector<AppendRequest> requests {
        { "order-1", ExpectedVersion::any(),
            { event("OrderPlaced", "c-1", "u-1"), event("OrderCancelled", "c-1", "u-1") } },
        { "order-2", ExpectedVersion::any(),
            { event("OrderPlaced", "c-2", "u-2"), event("ItemAdded", "c-2", "u-2"),
                event("OrderPaid", "c-2", "u-2") } },
        { "payment-2", ExpectedVersion::any(), { event("PaymentCaptured", "c-2", "u-9") } },
        { "shipment-1", ExpectedVersion::any(), { event("ShipmentSent", "c-1", "u-3") } },
    };
    store->append(requests);
}

// A file dragged from a file manager and dropped in the middle of the widget.
inline void dropFile(QWidget* target, const QString& path)
{
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(path) });
    const QPoint at(target->width() / 2, target->height() / 2);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
}

inline QString cellText(QTableView* view, int row, int column)
{
    return view->model() ? view->model()->index(row, column).data().toString() : QString();
}

inline void clickRow(QTableView* view, int row)
{
    const QRect cell = view->visualRect(view->model()->index(row, 1));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
}

inline QString statusText(QMainWindow& window)
{
    QStringList parts;
    for (const QLabel* label : window.statusBar()->findChildren<QLabel*>())
        if (label->isVisible())
            parts.append(label->text());
    return parts.join(QLatin1String(" | "));
}

struct RenderStats
{
    int colours = 0;
    double inkShare = 0; // pixels that differ clearly from the most common colour
    double meanLightness = 0;
};

inline RenderStats renderStats(const QImage& image)
{
    QHash<QRgb, int> histogram;
    double lightness = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb pixel = image.pixel(x, y);
            ++histogram[pixel];
            lightness += QColor(pixel).lightness();
        }
    QRgb background = 0;
    int most = 0;
    int total = 0;
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it) {
        total += it.value();
        if (it.value() > most) {
            most = it.value();
            background = it.key();
        }
    }
    int ink = 0;
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it)
        if (std::abs(QColor(it.key()).lightness() - QColor(background).lightness()) > 60)
            ink += it.value();
    return { static_cast<int>(histogram.size()), total ? double(ink) / total : 0, total ? lightness / total : 0 };
}

} // namespace eventscope::test
