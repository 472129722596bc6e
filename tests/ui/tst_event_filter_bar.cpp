// The filter row of the Events tab, used as a person would: typing and Enter, ticking types in the popup,
// picking times in UTC and in local time (Berlin, so that local and UTC differ by one or two hours). query()
// must carry exactly what the widgets show, an empty time range must not be applied, and Clear and setQuery()
// must leave the widgets and the query in step.

#include "model/store_catalog.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "ui/event_filter_bar.h"

#include "tests/ui/widget_test_support.h"
#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLineEdit>
#include <QListWidget>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>

#include <QTest>
#include <QToolButton>

#include <ctime>

using namespace eventscope;
using namespace eventscope::test;

namespace {

QLineEdit* textField(const EventFilterBar& bar, const QString& name)
{
    if (name == QLatin1String("categoryCombo"))
        return child<QComboBox>(bar, "categoryCombo")->lineEdit();
    return bar.findChild<QLineEdit*>(name);
}

std::optional<std::string> fieldOf(const EventQuery& query, const QString& name)
{
    if (name == QLatin1String("streamEdit"))
        return query.stream;
    if (name == QLatin1String("categoryCombo"))
        return query.category;
    if (name == QLatin1String("actorEdit"))
        return query.actor;
    return query.correlation;
}

// QTest::keyClicks() takes Latin-1 only; a person's keyboard sends any character.
void typeText(QWidget* widget, const QString& text)
{
    for (const QChar c : text)
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(c), Qt::NoModifier);
}

// Types into a date-time editor the way a person does: the digits from the year on, each full section moving to
// the next (a typed separator would skip one more).
void typeTime(QDateTimeEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->setSelectedSection(QDateTimeEdit::YearSection); // as a click on the year does
    QString digits = text;
    digits.remove(QRegularExpression(QStringLiteral("[^0-9]")));
    QTest::keyClicks(edit, digits);
    QTest::keyClick(edit, Qt::Key_Return);
}

const QStringList storeTypes = { QStringLiteral("OrderCancelled"), QStringLiteral("OrderPlaced"),
    QStringLiteral("OrderShipped"), QStringLiteral("PaymentTaken") };

} // namespace

class TestEventFilterBar : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("TZ", "Europe/Berlin");
        tzset();
        const QDateTime winter(QDate(2024, 1, 15), QTime(12, 0), Qt::LocalTime);
        QVERIFY2(winter.offsetFromUtc() == 3600, "the Europe/Berlin zone is not available");

        m_location = std::make_unique<test::StoreLocation>(QStringLiteral("sqlite"));
        auto store = openStore(m_location->uri(), true);
        int n = 0;
        for (const QString& type : storeTypes) {
            NewEvent event;
            event.type = type.toStdString();
            ++n;
            store->append((n % 2 ? "order-" : "payment-") + std::to_string(n), { event });
        }
        QSignalSpy loaded(&m_catalog, &StoreCatalog::loaded);
        m_catalog.load(m_location->uri());
        QVERIFY(loaded.wait(10000));
    }

    void textFieldAppliesOnEnter_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("expected"); // empty: no filter
        QTest::addRow("stream") << QStringLiteral("streamEdit") << QStringLiteral("order-123")
                                << QStringLiteral("order-123");
        QTest::addRow("stream trimmed") << QStringLiteral("streamEdit") << QStringLiteral("  order-7 ")
                                        << QStringLiteral("order-7");
        QTest::addRow("stream only spaces") << QStringLiteral("streamEdit") << QStringLiteral("   ") << QString();
        QTest::addRow("category typed") << QStringLiteral("categoryCombo") << QStringLiteral("order")
                                        << QStringLiteral("order");
        QTest::addRow("category unknown to the store")
            << QStringLiteral("categoryCombo") << QStringLiteral("refund") << QStringLiteral("refund");
        QTest::addRow("actor") << QStringLiteral("actorEdit") << QStringLiteral("u-17") << QStringLiteral("u-17");
        QTest::addRow("actor with unicode")
            << QStringLiteral("actorEdit") << QStringLiteral("jürgen") << QStringLiteral("jürgen");
        QTest::addRow("correlation") << QStringLiteral("correlationEdit")
                                     << QStringLiteral("0190b3a4-7c1e-7d2a-9f00-000000000001")
                                     << QStringLiteral("0190b3a4-7c1e-7d2a-9f00-000000000001");
    }
    void textFieldAppliesOnEnter()
    {
        QFETCH(QString, field);
        QFETCH(QString, typed);
        QFETCH(QString, expected);
        EventFilterBar bar;
        bar.setCatalog(&m_catalog);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        QLineEdit* edit = textField(bar, field);
        QVERIFY(edit);
        QVERIFY2(!edit->placeholderText().isEmpty(), "every field says what it filters");
        // An editable combo keeps the focus and hands keys to its line edit, so keys go where a keyboard sends them.
        QWidget* keys = field == QLatin1String("categoryCombo") ? edit->parentWidget() : edit;
        typeText(keys, typed);
        QCOMPARE(edit->text(), typed);
        QCOMPARE(changed.count(), 0); // typing alone does not reload the table
        QTest::keyClick(keys, Qt::Key_Return);
        QCOMPARE(changed.count(), 1);
        const EventQuery query = bar.query();
        QCOMPARE(fieldOf(query, field), expected.isEmpty() ? std::nullopt : std::optional(expected.toStdString()));
        for (const QString& other : { QStringLiteral("streamEdit"), QStringLiteral("categoryCombo"),
                 QStringLiteral("actorEdit"), QStringLiteral("correlationEdit") }) {
            if (other != field)
                QVERIFY2(!fieldOf(query, other), qPrintable(other));
        }
        QVERIFY(query.types.empty() && !query.since && !query.until && !query.causation);
        QCOMPARE(query.limit, EventQuery().limit);

        // Emptying the field drops its filter at once, as its clear button does.
        edit->selectAll();
        QTest::keyClick(keys, Qt::Key_Backspace);
        if (!expected.isEmpty()) {
            QCOMPARE(changed.count(), 2);
            QVERIFY(!fieldOf(bar.query(), field));
        }
    }

    void categoryComboOffersTheStoreCategories()
    {
        EventFilterBar bar;
        bar.setCatalog(&m_catalog);
        auto* combo = child<QComboBox>(bar, "categoryCombo");
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->itemText(0), QStringLiteral("order"));
        QVERIFY(combo->currentText().isEmpty()); // filled, but nothing chosen
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        combo->setCurrentIndex(1);
        emit combo->activated(1); // what a choice in the drop-down sends
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bar.query().category, std::optional<std::string>("payment"));
    }

    void typesArePickedInThePopup()
    {
        EventFilterBar bar;
        bar.setCatalog(&m_catalog);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        auto* button = child<QToolButton>(bar, "typesButton");
        QCOMPARE(button->text(), QStringLiteral("All types"));

        QTest::mouseClick(button, Qt::LeftButton);
        QWidget* popup = bar.typesPopup();
        QTRY_VERIFY(popup->isVisible());
        auto* list = child<QListWidget>(*popup, "typesList");
        QCOMPARE(list->count(), storeTypes.size());
        // Space ticks the current item, as in any checkable list.
        list->setFocus();
        list->setCurrentRow(0);
        QTest::keyClick(list, Qt::Key_Space);
        list->setCurrentRow(2);
        QTest::keyClick(list, Qt::Key_Space);
        QCOMPARE(changed.count(), 0); // nothing is applied while the popup is open
        QTest::keyClick(list, Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bar.query().types, (std::vector<std::string> { "OrderCancelled", "OrderShipped" }));
        QCOMPARE(button->text(), QStringLiteral("2 types"));

        // The search field narrows the list; Enter ticks the one type left and closes.
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY(popup->isVisible());
        auto* search = child<QLineEdit>(*popup, "typeSearch");
        QTest::keyClicks(search, QStringLiteral("paym"));
        int visible = 0;
        for (int i = 0; i < list->count(); ++i)
            visible += !list->item(i)->isHidden();
        QCOMPARE(visible, 1);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(changed.count(), 2);
        QCOMPARE(bar.query().types, (std::vector<std::string> { "OrderCancelled", "OrderShipped", "PaymentTaken" }));
        QCOMPARE(button->text(), QStringLiteral("3 types"));

        // Escape forgets this visit's ticks.
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY(popup->isVisible());
        QTest::mouseClick(child<QWidget>(*popup, "allTypesButton"), Qt::LeftButton);
        QTest::keyClick(list, Qt::Key_Escape);
        QTRY_VERIFY(!popup->isVisible());
        QCOMPARE(changed.count(), 2);
        QCOMPARE(bar.query().types.size(), std::size_t(3));

        // "All types" in the popup drops the type filter.
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY(popup->isVisible());
        QTest::mouseClick(child<QWidget>(*popup, "allTypesButton"), Qt::LeftButton);
        popup->close();
        QCOMPARE(changed.count(), 3);
        QVERIFY(bar.query().types.empty());
        QCOMPARE(button->text(), QStringLiteral("All types"));

        // Closing without a change applies nothing.
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY(popup->isVisible());
        popup->close();
        QCOMPARE(changed.count(), 3);
    }

    void oneTypeIsNamedOnTheButton()
    {
        EventFilterBar bar;
        EventQuery query;
        query.types = { "OrderPlaced" };
        bar.setQuery(query);
        QCOMPARE(child<QToolButton>(bar, "typesButton")->text(), QStringLiteral("OrderPlaced"));
        // A type the catalog does not list (not loaded yet, or beyond its cap) is kept and offered ticked.
        bar.setCatalog(&m_catalog);
        query.types = { "Unlisted" };
        bar.setQuery(query);
        QTest::mouseClick(child<QToolButton>(bar, "typesButton"), Qt::LeftButton);
        auto* list = child<QListWidget>(*bar.typesPopup(), "typesList");
        QCOMPARE(list->count(), storeTypes.size() + 1);
        const auto found = list->findItems(QStringLiteral("Unlisted"), Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.front()->checkState(), Qt::Checked);
        bar.typesPopup()->close();
        QCOMPARE(bar.query().types, std::vector<std::string> { "Unlisted" });
    }

    void timeRange_data()
    {
        QTest::addColumn<bool>("utc");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<qint64>("since");
        QTest::addColumn<qint64>("until");
        // "To" is inclusive to the end of the second it shows.
        QTest::addRow("utc") << true << QStringLiteral("2024-01-15 14:00:00") << QStringLiteral("2024-01-15 15:30:05")
                             << Q_INT64_C(1705327200000000) << Q_INT64_C(1705332605999999);
        QTest::addRow("berlin winter") << false << QStringLiteral("2024-01-15 14:00:00")
                                       << QStringLiteral("2024-01-15 15:30:05") << Q_INT64_C(1705323600000000)
                                       << Q_INT64_C(1705329005999999);
        QTest::addRow("berlin summer") << false << QStringLiteral("2024-07-01 12:00:00")
                                       << QStringLiteral("2024-07-01 12:00:00") << Q_INT64_C(1719828000000000)
                                       << Q_INT64_C(1719828000999999);
        QTest::addRow("utc one day") << true << QStringLiteral("2023-12-31 00:00:00")
                                     << QStringLiteral("2023-12-31 23:59:59") << Q_INT64_C(1703980800000000)
                                     << Q_INT64_C(1704067199999999);
    }
    void timeRange()
    {
        QFETCH(bool, utc);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(qint64, since);
        QFETCH(qint64, until);
        EventFilterBar bar;
        bar.setUtc(utc);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        auto* sinceEdit = child<QDateTimeEdit>(bar, "sinceEdit");
        auto* untilEdit = child<QDateTimeEdit>(bar, "untilEdit");
        QCOMPARE(sinceEdit->displayFormat(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        QVERIFY(sinceEdit->calendarPopup());
        QVERIFY(!sinceEdit->isEnabled()); // any time until ticked

        QTest::mouseClick(child<QCheckBox>(bar, "sinceCheck"), Qt::LeftButton);
        QVERIFY(sinceEdit->isEnabled());
        QCOMPARE(changed.count(), 1);
        typeTime(sinceEdit, from);
        QCOMPARE(sinceEdit->text(), from);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(bar.query().since, std::optional<Micros>(since));
        QVERIFY(!bar.query().until);

        QTest::mouseClick(child<QCheckBox>(bar, "untilCheck"), Qt::LeftButton);
        typeTime(untilEdit, to);
        QCOMPARE(untilEdit->text(), to);
        const EventQuery query = bar.query();
        QCOMPARE(query.since, std::optional<Micros>(since));
        QCOMPARE(query.until, std::optional<Micros>(until));
        QVERIFY(changed.count() >= 3);
        const int before = changed.count();

        // Enter again without a change does not reload.
        QTest::keyClick(untilEdit, Qt::Key_Return);
        QCOMPARE(changed.count(), before);

        // Unticking drops the bound.
        QTest::mouseClick(child<QCheckBox>(bar, "sinceCheck"), Qt::LeftButton);
        QCOMPARE(changed.count(), before + 1);
        QVERIFY(!bar.query().since);
        QCOMPARE(bar.query().until, std::optional<Micros>(until));
    }

    // A day picked in the calendar applies when the calendar closes, keeping the time of day shown.
    void dayPickedInTheCalendar()
    {
        EventFilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        auto* sinceEdit = child<QDateTimeEdit>(bar, "sinceEdit");
        QTest::mouseClick(child<QCheckBox>(bar, "sinceCheck"), Qt::LeftButton);
        typeTime(sinceEdit, QStringLiteral("2024-01-15 14:00:00"));
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        QCalendarWidget* calendar = sinceEdit->calendarWidget();
        QVERIFY(calendar->window() != bar.window());
        // A click on the editor's arrow opens the calendar.
        QTest::mouseClick(sinceEdit, Qt::LeftButton, {}, QPoint(sinceEdit->width() - 6, sinceEdit->height() / 2));
        QTRY_VERIFY(calendar->isVisible());
        QCOMPARE(changed.count(), 0);
        // Click the 16th: the calendar's cells are a table whose text is the day of the month.
        auto* days = calendar->findChild<QTableView*>();
        QVERIFY(days);
        QModelIndex sixteenth;
        for (int row = 0; row < days->model()->rowCount() && !sixteenth.isValid(); ++row) {
            for (int column = 0; column < days->model()->columnCount(); ++column) {
                const QModelIndex cell = days->model()->index(row, column);
                if (row > 0 && cell.data().toString() == QLatin1String("16") && !sixteenth.isValid())
                    sixteenth = cell;
            }
        }
        QVERIFY(sixteenth.isValid());
        QTest::mouseClick(days->viewport(), Qt::LeftButton, {}, days->visualRect(sixteenth).center());
        QTRY_VERIFY(!calendar->isVisible());
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(sinceEdit->text(), QStringLiteral("2024-01-16 14:00:00"));
        QCOMPARE(bar.query().since, std::optional<Micros>(1705413600000000));
        // Hiding the bar is not a choice of time.
        bar.hide();
        QTest::qWait(20);
        QCOMPARE(changed.count(), 1);
    }

    void emptyRangeIsNotApplied()
    {
        EventFilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        auto* sinceEdit = child<QDateTimeEdit>(bar, "sinceEdit");
        auto* untilEdit = child<QDateTimeEdit>(bar, "untilEdit");
        QTest::mouseClick(child<QCheckBox>(bar, "sinceCheck"), Qt::LeftButton);
        typeTime(sinceEdit, QStringLiteral("2024-01-15 09:00:00"));
        QTest::mouseClick(child<QCheckBox>(bar, "untilCheck"), Qt::LeftButton);
        typeTime(untilEdit, QStringLiteral("2024-01-15 10:00:00"));
        QVERIFY(bar.isRangeValid());
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        const QString normalTip = sinceEdit->toolTip();
        QVERIFY(!sinceEdit->property("invalid").toBool());

        typeTime(sinceEdit, QStringLiteral("2024-01-15 10:00:01"));
        QCOMPARE(changed.count(), 0);
        QVERIFY(!bar.isRangeValid());
        QVERIFY(sinceEdit->property("invalid").toBool());
        QVERIFY(untilEdit->property("invalid").toBool());
        QVERIFY2(sinceEdit->toolTip().contains(QStringLiteral("after")), qPrintable(sinceEdit->toolTip()));
        QVERIFY(sinceEdit->palette().color(QPalette::Base) != bar.palette().color(QPalette::Base));
        // Enter in another field does not apply it either.
        QTest::keyClicks(child<QLineEdit>(bar, "streamEdit"), QStringLiteral("order-1"));
        QTest::keyClick(child<QLineEdit>(bar, "streamEdit"), Qt::Key_Return);
        QCOMPARE(changed.count(), 0);

        // One second earlier, the range holds exactly one second and is applied.
        typeTime(sinceEdit, QStringLiteral("2024-01-15 10:00:00"));
        QCOMPARE(changed.count(), 1);
        QVERIFY(bar.isRangeValid());
        QVERIFY(!sinceEdit->property("invalid").toBool());
        QCOMPARE(sinceEdit->toolTip(), normalTip);
        QCOMPARE(*bar.query().until - *bar.query().since, Micros(999999));
        QCOMPARE(bar.query().stream, std::optional<std::string>("order-1"));
    }

    void clearResetsEverything()
    {
        EventFilterBar bar;
        bar.setCatalog(&m_catalog);
        EventQuery query;
        query.types = { "OrderPlaced", "PaymentTaken" };
        query.category = "order";
        query.stream = "order-1";
        query.actor = "u-1";
        query.correlation = "c-1";
        query.causation = "e-1";
        query.since = 1705327200000000;
        query.until = 1705332600000000;
        query.includeSystem = true;
        bar.setQuery(query);
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        QTest::mouseClick(child<QToolButton>(bar, "clearButton"), Qt::LeftButton);
        QCOMPARE(changed.count(), 1);
        const EventQuery cleared = bar.query();
        QVERIFY(cleared.isUnfiltered());
        QVERIFY(cleared.includeSystem); // the window's system switch is not a filter of the bar
        QCOMPARE(child<QToolButton>(bar, "typesButton")->text(), QStringLiteral("All types"));
        QVERIFY(child<QComboBox>(bar, "categoryCombo")->currentText().isEmpty());
        QCOMPARE(child<QComboBox>(bar, "categoryCombo")->count(), 2); // the store's categories stay offered
        for (const char* name : { "streamEdit", "actorEdit", "correlationEdit" })
            QVERIFY2(child<QLineEdit>(bar, name)->text().isEmpty(), name);
        QVERIFY(!child<QCheckBox>(bar, "sinceCheck")->isChecked());
        QVERIFY(!child<QCheckBox>(bar, "untilCheck")->isChecked());
        QVERIFY(!child<QDateTimeEdit>(bar, "sinceEdit")->isEnabled());
        QVERIFY(!child<QToolButton>(bar, "causationChip")->isVisibleTo(&bar));
    }

    void setQueryFillsTheWidgets_data()
    {
        QTest::addColumn<bool>("utc");
        QTest::addColumn<QString>("sinceText");
        QTest::addColumn<QString>("untilText");
        QTest::addRow("utc") << true << QStringLiteral("2024-01-15 14:00:00") << QStringLiteral("2024-01-15 15:30:00");
        QTest::addRow("berlin") << false << QStringLiteral("2024-01-15 15:00:00")
                                << QStringLiteral("2024-01-15 16:30:00");
    }
    void setQueryFillsTheWidgets()
    {
        QFETCH(bool, utc);
        QFETCH(QString, sinceText);
        QFETCH(QString, untilText);
        EventFilterBar bar;
        bar.setUtc(utc);
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        EventQuery query;
        query.types = { "PaymentTaken", "OrderPlaced" };
        query.category = "order";
        query.stream = "order-1";
        query.actor = "u-1";
        query.correlation = "c-1";
        query.since = 1705327200123456; // finer than the editors show: kept while they show it
        query.until = 1705332600000000;
        bar.setQuery(query);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(child<QToolButton>(bar, "typesButton")->text(), QStringLiteral("2 types"));
        QCOMPARE(child<QComboBox>(bar, "categoryCombo")->currentText(), QStringLiteral("order"));
        QCOMPARE(child<QLineEdit>(bar, "streamEdit")->text(), QStringLiteral("order-1"));
        QCOMPARE(child<QLineEdit>(bar, "actorEdit")->text(), QStringLiteral("u-1"));
        QCOMPARE(child<QLineEdit>(bar, "correlationEdit")->text(), QStringLiteral("c-1"));
        QVERIFY(child<QCheckBox>(bar, "sinceCheck")->isChecked());
        QVERIFY(child<QCheckBox>(bar, "untilCheck")->isChecked());
        QCOMPARE(child<QDateTimeEdit>(bar, "sinceEdit")->text(), sinceText);
        QCOMPARE(child<QDateTimeEdit>(bar, "untilEdit")->text(), untilText);

        const EventQuery back = bar.query();
        QCOMPARE(back.types, (std::vector<std::string> { "OrderPlaced", "PaymentTaken" }));
        QCOMPARE(back.category, query.category);
        QCOMPARE(back.stream, query.stream);
        QCOMPARE(back.actor, query.actor);
        QCOMPARE(back.correlation, query.correlation);
        QCOMPARE(back.since, query.since);
        QCOMPARE(back.until, query.until);

        // The other clock shows the same instants: the query does not move and nothing reloads.
        bar.setUtc(!utc);
        QVERIFY(child<QDateTimeEdit>(bar, "sinceEdit")->text() != sinceText);
        QCOMPARE(bar.query().since, query.since);
        QCOMPARE(bar.query().until, query.until);
        QCOMPARE(changed.count(), 1);

        // A correlation asked for from elsewhere replaces the previous filters in one reload.
        EventQuery follow;
        follow.correlation = "c-2";
        bar.setQuery(follow);
        QCOMPARE(changed.count(), 2);
        QVERIFY(child<QLineEdit>(bar, "streamEdit")->text().isEmpty());
        QVERIFY(!child<QCheckBox>(bar, "sinceCheck")->isChecked());
        QCOMPARE(bar.query().correlation, std::optional<std::string>("c-2"));
        QVERIFY(bar.query().types.empty() && !bar.query().since);
    }

    void setQueryWithAnEmptyRangeIsNotApplied()
    {
        EventFilterBar bar;
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        EventQuery query;
        query.since = 1705332600000000;
        query.until = 1705327200000000;
        bar.setQuery(query);
        QCOMPARE(changed.count(), 0);
        QVERIFY(!bar.isRangeValid());
        QVERIFY(child<QDateTimeEdit>(bar, "untilEdit")->property("invalid").toBool());
    }

    void causationIsShownAndCanBeDropped()
    {
        EventFilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        EventQuery query;
        query.causation = "0190b3a4-cause";
        bar.setQuery(query);
        auto* chip = child<QToolButton>(bar, "causationChip");
        QVERIFY(chip->isVisible());
        QVERIFY(chip->toolTip().contains(QStringLiteral("0190b3a4-cause")));
        QCOMPARE(bar.query().causation, query.causation);
        QSignalSpy changed(&bar, &EventFilterBar::queryChanged);
        QTest::mouseClick(chip, Qt::LeftButton);
        QCOMPARE(changed.count(), 1);
        QVERIFY(!bar.query().causation);
        QVERIFY(!chip->isVisible());
    }

    void focusFirstFieldForCtrlF()
    {
        EventFilterBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowActive(&bar));
        child<QLineEdit>(bar, "streamEdit")->setText(QStringLiteral("order-9"));
        child<QLineEdit>(bar, "actorEdit")->setFocus();
        bar.focusFirstField();
        QTRY_VERIFY(child<QLineEdit>(bar, "streamEdit")->hasFocus());
        QCOMPARE(child<QLineEdit>(bar, "streamEdit")->selectedText(), QStringLiteral("order-9"));
    }

    // At 640 px, the Events tab between both docks on a laptop screen, every field keeps the room it asks for:
    // the fields on the first row, the time range on the second.
    void fitsTwoRowsAt640()
    {
        EventFilterBar bar;
        bar.setCatalog(&m_catalog);
        EventQuery everything; // every widget shown, the causation chip too
        everything.types = { "OrderPlaced", "PaymentTaken" };
        everything.category = "order";
        everything.stream = "order-123";
        everything.actor = "u-17";
        everything.correlation = "0190b3a4-7c1e-7d2a-9f00-000000000001";
        everything.causation = "0190b3a4-7c1e-7d2a-9f00-0000000000ff";
        everything.since = 1705327200000000;
        everything.until = 1705332600000000;
        bar.setQuery(everything);
        bar.resize(640, bar.sizeHint().height());
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QVERIFY2(bar.minimumSizeHint().width() <= 640, qPrintable(QString::number(bar.minimumSizeHint().width())));
        const int firstRow = child<QLineEdit>(bar, "streamEdit")->geometry().center().y();
        const int secondRow = child<QDateTimeEdit>(bar, "sinceEdit")->geometry().center().y();
        QVERIFY(secondRow > firstRow + 10);
        for (QWidget* widget : bar.findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
            if (!widget->isVisible())
                continue;
            QVERIFY2(widget->width() >= widget->minimumSizeHint().width(), qPrintable(widget->objectName()));
            const int y = widget->geometry().center().y();
            QVERIFY2(std::abs(y - firstRow) <= 2 || std::abs(y - secondRow) <= 2, qPrintable(widget->objectName()));
            QVERIFY2(widget->geometry().right() < 640, qPrintable(widget->objectName()));
        }
        QVERIFY(child<QDateTimeEdit>(bar, "sinceEdit")->width()
            >= child<QDateTimeEdit>(bar, "sinceEdit")->sizeHint().width());
        QVERIFY(child<QLineEdit>(bar, "correlationEdit")->width() >= 100);
    }

private:
    std::unique_ptr<test::StoreLocation> m_location;
    StoreCatalog m_catalog;
};

QTEST_MAIN(TestEventFilterBar)
#include "tst_event_filter_bar.moc"
