// TIME on the command line and in every output (DESIGN §8): RFC 3339 in, UTC 'Z' to the microsecond out.

#include "storage/error.h"
#include "storage/time_format.h"

#include <QTest>

using namespace eventscope;

class TestTimeFormat : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("utc");
        QTest::addRow("zulu") << "2024-01-15T14:00:00Z"
                              << "2024-01-15T14:00:00.000000Z";
        QTest::addRow("fraction") << "2024-01-15T14:00:00.5Z"
                                  << "2024-01-15T14:00:00.500000Z";
        QTest::addRow("micro") << "2024-01-15T14:00:00.123456Z"
                               << "2024-01-15T14:00:00.123456Z";
        QTest::addRow("nanos truncate") << "2024-01-15T14:00:00.123456789Z"
                                        << "2024-01-15T14:00:00.123456Z";
        QTest::addRow("plus offset") << "2024-01-15T15:30:00+01:30"
                                     << "2024-01-15T14:00:00.000000Z";
        QTest::addRow("minus offset crosses day") << "2024-01-14T23:00:00-15:00"
                                                  << "2024-01-15T14:00:00.000000Z";
        QTest::addRow("lower case t z") << "2024-01-15t14:00:00z"
                                        << "2024-01-15T14:00:00.000000Z";
        QTest::addRow("space separator") << "2024-01-15 14:00:00Z"
                                         << "2024-01-15T14:00:00.000000Z";
        QTest::addRow("leap day") << "2024-02-29T00:00:00Z"
                                  << "2024-02-29T00:00:00.000000Z";
        QTest::addRow("before epoch") << "1969-12-31T23:59:59.999999Z"
                                      << "1969-12-31T23:59:59.999999Z";
        QTest::addRow("year end offset") << "2025-01-01T00:59:59.000001+01:00"
                                         << "2024-12-31T23:59:59.000001Z";
    }
    void parse()
    {
        QFETCH(QString, input);
        QFETCH(QString, utc);
        const auto parsed = tryParseTime(input.toStdString());
        QVERIFY(parsed);
        QCOMPARE(QString::fromStdString(formatTime(*parsed)), utc);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addRow("no offset") << "2024-01-15T14:00:00";
        QTest::addRow("date only") << "2024-01-15";
        QTest::addRow("month 13") << "2024-13-01T00:00:00Z";
        QTest::addRow("feb 30") << "2023-02-29T00:00:00Z";
        QTest::addRow("hour 24") << "2024-01-15T24:00:00Z";
        QTest::addRow("empty fraction") << "2024-01-15T14:00:00.Z";
        QTest::addRow("trailing") << "2024-01-15T14:00:00Zjunk";
        QTest::addRow("words") << "yesterday";
        QTest::addRow("compact offset") << "2024-01-15T14:00:00+0100";
    }
    void rejects()
    {
        QFETCH(QString, input);
        QVERIFY(!tryParseTime(input.toStdString()));
        try {
            parseTime(input.toStdString());
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
            QVERIFY(std::string(e.what()).find(input.toStdString()) != std::string::npos);
        }
    }

    void roundTripsEveryMicrosecondPattern()
    {
        for (Micros t = -86'400'000'123LL; t < 4'102'444'800'000'000LL; t += 7'777'777'777'777LL + 13)
            QCOMPARE(parseTime(formatTime(t)), t);
    }
};

QTEST_GUILESS_MAIN(TestTimeFormat)
#include "tst_time_format.moc"
