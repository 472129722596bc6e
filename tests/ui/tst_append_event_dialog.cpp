// "Append event": OK stays disabled, with a sentence, until the stream, the type, the data and the metadata
// are all usable; the request carries exactly what was typed; every expected-version choice maps to its
// ExpectedVersion; a production store needs an explicit tick.

#include "model/store_catalog.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "tests/test_stores.h"
#include "ui/append_event_dialog.h"

#include "tests/ui/widget_test_support.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

#include <QTest>

using namespace eventscope;
using namespace eventscope::test;

namespace {

QPushButton* okButton(const AppendEventDialog& dialog)
{
    return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

QString problemText(const AppendEventDialog& dialog)
{
    const auto* label = child<QLabel>(dialog, "problemLabel");
    return label->isVisibleTo(&dialog) ? label->text() : QString();
}

// Replaces a text editor's content by typing, as a person does after selecting all.
void retype(QPlainTextEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    for (const QChar c : text) {
        if (c == QLatin1Char('\n'))
            QTest::keyClick(edit, Qt::Key_Return);
        else
            QTest::sendKeyEvent(QTest::Click, edit, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
}

// On the box or its words, as a person does: a wide check box is not clickable right of its text.
void fillValid(AppendEventDialog& dialog)
{
    dialog.setStream(QStringLiteral("order-7"));
    QTest::keyClicks(child<QComboBox>(dialog, "typeCombo"), QStringLiteral("OrderPlaced"));
}

} // namespace

class TestAppendEventDialog : public QObject
{
    Q_OBJECT

private slots:
    void emptyDialogSaysWhatIsMissing()
    {
        AppendEventDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Append event"));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY2(problemText(dialog).contains(QStringLiteral("stream is missing")), qPrintable(problemText(dialog)));
        QVERIFY(problemText(dialog).contains(QStringLiteral("type is missing")));
        QVERIFY(!child<QWidget>(dialog, "productionBanner")->isVisible());

        QTest::keyClicks(child<QLineEdit>(dialog, "streamEdit"), QStringLiteral("order-7"));
        QVERIFY(!problemText(dialog).contains(QStringLiteral("stream is missing")));
        QVERIFY(!okButton(dialog)->isEnabled());
        QTest::keyClicks(child<QComboBox>(dialog, "typeCombo"), QStringLiteral("OrderPlaced"));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(problemText(dialog).isEmpty());

        // Spaces alone are no name.
        child<QLineEdit>(dialog, "streamEdit")->setText(QStringLiteral("   "));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(problemText(dialog).contains(QStringLiteral("stream is missing")));
    }

    void invalidJsonDisablesOk_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("sentence");
        QTest::addRow("data unquoted key") << QStringLiteral("dataEdit") << QStringLiteral("{amount: 5}")
                                           << QStringLiteral("The data is not valid JSON: invalid literal");
        QTest::addRow("data trailing comma on line 3")
            << QStringLiteral("dataEdit") << QStringLiteral("{\n  \"amount\": 5,\n}")
            << QStringLiteral("The data is not valid JSON: unexpected '}', expected string literal at line 3.");
        QTest::addRow("data unclosed") << QStringLiteral("dataEdit") << QStringLiteral("[1, 2")
                                       << QStringLiteral("The data is not valid JSON: unexpected end of input, "
                                                         "expected ']' at line 1.");
        QTest::addRow("data empty") << QStringLiteral("dataEdit") << QString()
                                    << QStringLiteral("The data is empty: write {} for none.");
        QTest::addRow("data two documents")
            << QStringLiteral("dataEdit") << QStringLiteral("{} {}") << QStringLiteral("The data is not valid JSON:");
        QTest::addRow("metadata broken on line 2")
            << QStringLiteral("metadataEdit") << QStringLiteral("{\"userId\": \"u-1\",\n \"x\": tru}")
            << QStringLiteral("The metadata is not valid JSON: invalid literal at line 2.");
        QTest::addRow("metadata not an object") << QStringLiteral("metadataEdit") << QStringLiteral("[1]")
                                                << QStringLiteral("The metadata is not a JSON object");
        QTest::addRow("metadata a string") << QStringLiteral("metadataEdit") << QStringLiteral("\"u-1\"")
                                           << QStringLiteral("The metadata is not a JSON object");
    }
    void invalidJsonDisablesOk()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QString, sentence);
        AppendEventDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        fillValid(dialog);
        QVERIFY(okButton(dialog)->isEnabled());
        auto* edit = child<QPlainTextEdit>(dialog, field.toLatin1().constData());
        retype(edit, text);
        QCOMPARE(edit->toPlainText(), text);
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY2(problemText(dialog).contains(sentence), qPrintable(problemText(dialog)));
        QCOMPARE(dialog.problems().size(), 1);
        // Enter on the OK button's behalf does not accept either.
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QMetaObject::invokeMethod(dialog.findChild<QDialogButtonBox*>(), "accepted");
        QCOMPARE(accepted.count(), 0);

        retype(edit, QStringLiteral("{\"fixed\": true}"));
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(problemText(dialog).isEmpty());
    }

    void validInputBuildsTheRequest()
    {
        AppendEventDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setStream(QStringLiteral("order-7"));
        QCOMPARE(child<QLineEdit>(dialog, "streamEdit")->text(), QStringLiteral("order-7"));
        QTest::keyClicks(child<QComboBox>(dialog, "typeCombo"), QStringLiteral("  OrderPlaced "));
        const QString data = QStringLiteral("{\n  \"amount\": 12.5,\n  \"note\": \"für Jürgen\"\n}");
        retype(child<QPlainTextEdit>(dialog, "dataEdit"), data);
        retype(child<QPlainTextEdit>(dialog, "metadataEdit"), QStringLiteral("{\"userId\": \"u-17\"}"));
        QVERIFY2(okButton(dialog)->isEnabled(), qPrintable(problemText(dialog)));

        const AppendRequest request = dialog.request();
        QCOMPARE(request.stream, std::string("order-7"));
        QCOMPARE(request.expected.kind, ExpectedVersion::Kind::Any);
        QCOMPARE(request.events.size(), std::size_t(1));
        const NewEvent& event = request.events.front();
        QCOMPARE(event.type, std::string("OrderPlaced"));
        QCOMPARE(QString::fromStdString(event.data), data); // kept as typed, UTF-8
        QCOMPARE(event.metadata, std::string("{\"userId\": \"u-17\"}"));
        QVERIFY(event.id.empty()); // the store makes one
        QVERIFY(!event.time);

        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QCOMPARE(accepted.count(), 1);
    }

    // What the dialog builds, the store accepts: the whole path once, on a real store.
    void requestAppendsToAStore()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        AppendEventDialog dialog;
        fillValid(dialog);
        dialog.setExpectedVersion(ExpectedVersion::noStream());
        retype(child<QPlainTextEdit>(dialog, "metadataEdit"), QStringLiteral("{\"userId\": \"u-17\"}"));
        auto store = openStore(location.uri(), true);
        const AppendRequest request = dialog.request();
        const auto results = store->append(std::span(&request, 1));
        QCOMPARE(results.front().lastVersion, 1);
        const auto page = store->read({});
        QCOMPARE(page.events.size(), std::size_t(1));
        QCOMPARE(page.events.front().actor, std::string("u-17"));
        // The same dialog again now contradicts the stream: the store says so.
        try {
            store->append(std::span(&request, 1));
            QFAIL("a second no-stream append was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::WrongExpectedVersion);
        }
    }

    void expectedVersion_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("expected");
        QTest::addRow("any") << 0 << 0 << QStringLiteral("any");
        QTest::addRow("no stream") << 1 << 0 << QStringLiteral("no-stream");
        QTest::addRow("exists") << 2 << 0 << QStringLiteral("exists");
        QTest::addRow("exact 0") << 3 << 0 << QStringLiteral("0");
        QTest::addRow("exact 41") << 3 << 41 << QStringLiteral("41");
        QTest::addRow("number ignored unless exact") << 2 << 41 << QStringLiteral("exists");
    }
    void expectedVersion()
    {
        QFETCH(int, choice);
        QFETCH(int, number);
        QFETCH(QString, expected);
        AppendEventDialog dialog;
        fillValid(dialog);
        auto* combo = child<QComboBox>(dialog, "expectedCombo");
        auto* spin = child<QSpinBox>(dialog, "expectedSpin");
        QCOMPARE(combo->count(), 4);
        QVERIFY(!spin->isEnabled());
        combo->setCurrentIndex(3);
        QVERIFY(spin->isEnabled());
        spin->setValue(number);
        combo->setCurrentIndex(choice);
        QCOMPARE(spin->isEnabled(), choice == 3);
        QCOMPARE(QString::fromStdString(dialog.request().expected.toString()), expected);
        QVERIFY(okButton(dialog)->isEnabled());

        // setExpectedVersion() shows the same choice.
        AppendEventDialog other;
        other.setExpectedVersion(ExpectedVersion::parse(expected.toStdString()));
        QCOMPARE(other.request().expected.toString(), expected.toStdString());
    }

    void spinRejectsNegativeVersions()
    {
        AppendEventDialog dialog;
        auto* spin = child<QSpinBox>(dialog, "expectedSpin");
        spin->setValue(-5);
        QCOMPARE(spin->value(), 0);
    }

    void productionStoreRequiresTheTick()
    {
        AppendEventDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        fillValid(dialog);
        QVERIFY(okButton(dialog)->isEnabled());
        dialog.setProductionStore(true);
        auto* banner = child<QWidget>(dialog, "productionBanner");
        QVERIFY(banner->isVisible());
        bool said = false;
        for (const QLabel* label : banner->findChildren<QLabel*>())
            said |= label->text().contains(QStringLiteral("This is a production store."));
        QVERIFY(said);
        auto* tick = child<QCheckBox>(dialog, "productionCheck");
        QCOMPARE(tick->text(), QStringLiteral("I understand this writes to production"));
        QVERIFY(!tick->isChecked());
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(problemText(dialog).contains(QStringLiteral("production")));

        clickTick(tick);
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(problemText(dialog).isEmpty());
        // The tick does not excuse bad input.
        retype(child<QPlainTextEdit>(dialog, "dataEdit"), QStringLiteral("{"));
        QVERIFY(!okButton(dialog)->isEnabled());
        retype(child<QPlainTextEdit>(dialog, "dataEdit"), QStringLiteral("{}"));
        clickTick(tick);
        QVERIFY(!okButton(dialog)->isEnabled());

        // Marking the store production again asks again.
        clickTick(tick);
        dialog.setProductionStore(true);
        QVERIFY(!tick->isChecked());
        QVERIFY(!okButton(dialog)->isEnabled());

        dialog.setProductionStore(false);
        QVERIFY(!banner->isVisible());
        QVERIFY(okButton(dialog)->isEnabled());
    }

    void typesComeFromTheCatalog()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        {
            auto store = openStore(location.uri(), true);
            NewEvent placed, shipped;
            placed.type = "OrderPlaced";
            shipped.type = "OrderShipped";
            store->append("order-1", { placed, shipped });
        }
        StoreCatalog catalog;
        AppendEventDialog dialog;
        dialog.setType(QStringLiteral("Typed"));
        dialog.setCatalog(&catalog); // not loaded yet: it fills when it is
        QSignalSpy loaded(&catalog, &StoreCatalog::loaded);
        catalog.load(location.uri());
        QVERIFY(loaded.wait(10000));
        auto* combo = child<QComboBox>(dialog, "typeCombo");
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->itemText(1), QStringLiteral("OrderShipped"));
        QCOMPARE(combo->currentText(), QStringLiteral("Typed")); // what was typed stays
        combo->setCurrentIndex(1);
        dialog.setStream(QStringLiteral("order-1"));
        QCOMPARE(dialog.request().events.front().type, std::string("OrderShipped"));
    }
};

QTEST_MAIN(TestAppendEventDialog)
#include "tst_append_event_dialog.moc"
