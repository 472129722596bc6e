// The Flow tab's table (DESIGN §6, §9): a flow's events in time order, each with its cause and the gap, orphans,
// causes outside the flow, a loop, a clock that runs behind, and the critical path, over a graph drawn by hand.

#include "model/flow_exports.h"
#include "model/flow_table_model.h"
#include "storage/time_format.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace eventscope;
using namespace Qt::Literals::StringLiterals;

namespace {

const Micros t0 = parseTime("2024-03-01T10:00:00Z");

Event ev(const std::string& id, const std::string& type, const std::string& stream, std::int64_t version, Micros offset,
    const std::string& causation = {}, const std::string& metadata = "{}")
{
    Event event;
    event.id = id;
    event.type = type;
    event.stream = stream;
    event.version = version;
    event.time = t0 + offset;
    event.causation = causation;
    event.metadata = metadata;
    event.data = "{}";
    event.correlation = "corr";
    static std::int64_t position = 0;
    event.position = ++position;
    return event;
}

// In time order (the rows): a, i, b, d, c, e, f, g, j.
// a → b → c → i (i's clock is behind c's); d and j are orphans; e's cause is in another correlation;
// f and g cause each other, and the loop is cut at f, the earlier. Roots: a, e, f. The longest chain from a root
// is a → b → c (2500 µs).
std::shared_ptr<const FlowResult> handDrawn()
{
    std::vector<Event> events {
        ev("g", "LoopB", "loop-1", 2, 5000, "f"),
        ev("a", "OrderPlaced", "order-1", 1, 0),
        ev("b", "PaymentTaken", "pay-1", 1, 150, "a"),
        ev("c", "Shipped", "ship-1", 1, 2500, "b"),
        ev("d", "OrderAmended", "order-1", 2, 1000, "missing-x"),
        ev("e", "Audited", "audit-1", 1, 3000, "elsewhere-y"),
        ev("f", "LoopA", "loop-1", 1, 4000, "g"),
        ev("i", "Skewed", "skew-1", 1, 100, "c"),
        ev("j", "Replied", "reply-1", 1, 6000, {}, "{\"causationMessageGlobalPosition\": 999}"),
    };
    FlowOptions options;
    options.causeExistsElsewhere = [](const CauseReference& cause) {
        return cause.kind == CauseReference::Kind::Id && cause.id == "elsewhere-y";
    };
    auto result = std::make_shared<FlowResult>();
    result->graph = buildFlowGraph("corr", std::move(events), options);
    return result;
}

QString gap(Micros micros)
{
    return QString::fromStdString(formatFlowGap(micros));
}

} // namespace

class TestFlowTableModel : public QObject
{
    Q_OBJECT

private slots:
    void rows()
    {
        FlowTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(FlowTableModel::ColumnCount));
        model.setResult(handDrawn());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 9);

        struct Expected
        {
            const char* id;
            Micros offset;
            QString stream;
            int version;
            QString type;
            QString causedBy;
            int causeRow;
            QString gap; // empty: no edge
            bool orphan;
            bool critical;
        };
        const Expected expected[] = {
            { "a", 0, u"order-1"_s, 1, u"OrderPlaced"_s, {}, -1, {}, false, true },
            { "i", 100, u"skew-1"_s, 1, u"Skewed"_s, u"Shipped \u00b7 ship-1 v1"_s, 4, gap(-2400), false, false },
            { "b", 150, u"pay-1"_s, 1, u"PaymentTaken"_s, u"OrderPlaced \u00b7 order-1 v1"_s, 0, gap(150), false,
                true },
            { "d", 1000, u"order-1"_s, 2, u"OrderAmended"_s, u"missing: event missing-x"_s, -1, {}, true, false },
            { "c", 2500, u"ship-1"_s, 1, u"Shipped"_s, u"PaymentTaken \u00b7 pay-1 v1"_s, 2, gap(2350), false, true },
            { "e", 3000, u"audit-1"_s, 1, u"Audited"_s, u"outside this flow"_s, -1, {}, false, false },
            { "f", 4000, u"loop-1"_s, 1, u"LoopA"_s, u"closes a loop: event g"_s, -1, {}, false, false },
            { "g", 5000, u"loop-1"_s, 2, u"LoopB"_s, u"LoopA \u00b7 loop-1 v1"_s, 6, gap(1000), false, false },
            { "j", 6000, u"reply-1"_s, 1, u"Replied"_s, u"missing: position 999"_s, -1, {}, true, false },
        };
        const auto cell
            = [&](int row, int column, int role = Qt::DisplayRole) { return model.index(row, column).data(role); };
        for (int row = 0; row < 9; ++row) {
            const Expected& want = expected[row];
            const QString id = QString::fromLatin1(want.id);
            QCOMPARE(model.eventIndexAt(row), row);
            QCOMPARE(model.rowOfEvent(row), row);
            QCOMPARE(QString::fromStdString(model.result()->graph.events[std::size_t(row)].id), id);
            QCOMPARE(cell(row, FlowTableModel::Time).toString(), QString::fromStdString(formatTime(t0 + want.offset)));
            QCOMPARE(cell(row, FlowTableModel::Time, Qt::EditRole).toLongLong(), t0 + want.offset);
            QCOMPARE(cell(row, FlowTableModel::SinceStart).toString(), gap(want.offset));
            QCOMPARE(cell(row, FlowTableModel::Stream).toString(), want.stream);
            QCOMPARE(cell(row, FlowTableModel::Version).toString(), QString::number(want.version));
            QCOMPARE(cell(row, FlowTableModel::Type).toString(), want.type);
            QCOMPARE(cell(row, FlowTableModel::CausedBy).toString(), want.causedBy);
            QCOMPARE(cell(row, FlowTableModel::Gap).toString(), want.gap);
            QCOMPARE(cell(row, FlowTableModel::CriticalPath).toString(), want.critical ? u"\u25cf"_s : QString());
            QCOMPARE(cell(row, FlowTableModel::EventId).toString(), id);
            QCOMPARE(cell(row, FlowTableModel::Type, FlowTableModel::EventIndexRole).toInt(), row);
            QCOMPARE(cell(row, FlowTableModel::Type, FlowTableModel::EventIdRole).toString(), id);
            QCOMPARE(cell(row, FlowTableModel::Stream, FlowTableModel::IsOrphanRole).toBool(), want.orphan);
            QCOMPARE(cell(row, FlowTableModel::Stream, FlowTableModel::OnCriticalPathRole).toBool(), want.critical);
            QCOMPARE(cell(row, FlowTableModel::Stream, FlowTableModel::CauseRowRole).toInt(), want.causeRow);
            // An orphan explains itself on every column; other rows say nothing there.
            for (int column = 0; column < FlowTableModel::ColumnCount; ++column) {
                const QString tip = cell(row, column, Qt::ToolTipRole).toString();
                if (want.orphan)
                    QVERIFY2(
                        tip.contains(want.causedBy.mid(9)) && tip.contains(u"not in the store"_s), qPrintable(tip));
                else if (column == FlowTableModel::Time)
                    QVERIFY2(tip.isEmpty(), qPrintable(tip));
            }
            QVERIFY(!cell(row, FlowTableModel::Stream, Qt::ForegroundRole).isValid());
        }
        QCOMPARE(cell(0, FlowTableModel::SinceStart).toString(), gap(0));
        QVERIFY(cell(1, FlowTableModel::Gap).toString().startsWith(u'-'));
        QCOMPARE(cell(1, FlowTableModel::Gap, Qt::EditRole).toLongLong(), -2400);
        QVERIFY(!cell(0, FlowTableModel::Gap, Qt::EditRole).isValid());
        QCOMPARE(model.headerData(FlowTableModel::CausedBy, Qt::Horizontal).toString(), u"Caused by"_s);
        QCOMPARE(model.headerData(FlowTableModel::EventId, Qt::Horizontal).toString(), u"Event ID"_s);
    }

    void outOfRangeAndReset()
    {
        FlowTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QCOMPARE(model.eventIndexAt(0), -1);
        QCOMPARE(model.rowOfEvent(0), -1);
        QVERIFY(!model.result());

        model.setResult(handDrawn());
        QCOMPARE(model.eventIndexAt(-1), -1);
        QCOMPARE(model.eventIndexAt(9), -1);
        QCOMPARE(model.rowOfEvent(9), -1);
        QVERIFY(!model.index(9, 0).data().isValid());

        // An empty flow (an unknown correlation) has no rows.
        auto empty = std::make_shared<FlowResult>();
        empty->graph = buildFlowGraph("nothing", {});
        model.setResult(empty);
        QCOMPARE(model.rowCount(), 0);

        // One event alone: the start of its flow, the root and the whole critical path.
        auto single = std::make_shared<FlowResult>();
        single->graph = buildFlowGraph("one", { ev("z", "Alone", "solo-1", 1, 42) });
        model.setResult(single);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, FlowTableModel::SinceStart).data().toString(), gap(0));
        QCOMPARE(model.index(0, FlowTableModel::CausedBy).data().toString(), QString());
        QCOMPARE(model.index(0, FlowTableModel::CriticalPath).data(FlowTableModel::OnCriticalPathRole).toBool(), true);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(reset.count(), 4);
    }
};

QTEST_GUILESS_MAIN(TestFlowTableModel)
#include "tst_flow_table_model.moc"
