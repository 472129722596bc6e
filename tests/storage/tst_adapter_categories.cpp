// The category lists of the Message DB and Emmett adapters (what the stream navigator shows first), on stores
// written by those systems' own code: the stream counts, byte order, and pages keyed by the previous page's last
// name. Needs EVENTSCOPE_TEST_MESSAGEDB and EVENTSCOPE_TEST_EMMETT (skipped when unset, failed under CI=true).

#include "storage/event_store.h"
#include "tests/foreign_writer.h"
#include "tests/messagedb_sql.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace eventscope;

namespace {

// Categories as the test writes them: three of them, prefixed by a tag that no other run uses, with 2, 1 and 3
// streams. "zz" keeps them after any other test's categories, so that pages can start at the tag.
struct Seed
{
    QString tag;
    std::map<std::string, std::int64_t> streamsPerCategory;
    QStringList streams;
};

Seed makeSeed()
{
    Seed seed;
    seed.tag = QStringLiteral("zz%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const std::map<QString, int> plan { { QStringLiteral("a"), 2 }, { QStringLiteral("B"), 1 },
        { QStringLiteral("c"), 3 } };
    for (const auto& [suffix, count] : plan) {
        const QString category = seed.tag + suffix;
        seed.streamsPerCategory[category.toStdString()] = count;
        for (int i = 1; i <= count; ++i)
            seed.streams << category + QStringLiteral("-") + QString::number(i);
    }
    return seed;
}

bool serverOrSkip(const QString& server, const char* variable)
{
    if (!server.isEmpty())
        return true;
    if (qEnvironmentVariableIsSet("CI"))
        QTest::qFail(
            qPrintable(QStringLiteral("%1 is not set under CI=true").arg(QLatin1String(variable))), __FILE__, __LINE__);
    else
        QTest::qSkip(qPrintable(QStringLiteral("%1 is not set").arg(QLatin1String(variable))), __FILE__, __LINE__);
    return false;
}

// Every page of two categories from just before the tag, until the tag's categories are behind.
void checkCategories(EventStore& store, const Seed& seed)
{
    std::map<std::string, std::int64_t> seen;
    std::vector<std::string> order;
    CategoryQuery query;
    query.limit = 2;
    query.after = seed.tag.toStdString();
    for (int page = 0; page < 10; ++page) {
        const std::vector<CategoryInfo> categories = store.categories(query);
        for (const CategoryInfo& category : categories) {
            if (category.name.rfind(seed.tag.toStdString(), 0) != 0)
                continue;
            seen[category.name] = category.streams;
            order.push_back(category.name);
        }
        if (categories.size() < query.limit)
            break;
        query.after = categories.back().name;
    }
    QCOMPARE(seen, seed.streamsPerCategory);
    // Byte order: "B" (0x42) before "a" and "c", which a locale's order would not give.
    const std::string tag = seed.tag.toStdString();
    const std::vector<std::string> expected { tag + "B", tag + "a", tag + "c" };
    QCOMPARE(order, expected);
}

} // namespace

class TestAdapterCategories : public QObject
{
    Q_OBJECT

private slots:
    void messageDb()
    {
        const QString server = test::messageDbServer();
        if (!serverOrSkip(server, "EVENTSCOPE_TEST_MESSAGEDB"))
            return;
        const Seed seed = makeSeed();
        QStringList statements;
        for (const QString& stream : seed.streams)
            statements << QStringLiteral("SELECT write_message(gen_random_uuid()::text, %1, 'Opened', '{}'::jsonb)")
                              .arg(test::sqlText(stream));
        QString output;
        QVERIFY2(test::runMessageDbSql(statements, &output), qPrintable(output));
        auto store = openStore("messagedb+" + server.toStdString());
        checkCategories(*store, seed);
        QVERIFY2(test::runMessageDbSql({ QStringLiteral("DELETE FROM messages WHERE stream_name LIKE %1")
                                               .arg(test::sqlText(seed.tag + QStringLiteral("%"))) },
                     &output),
            qPrintable(output));
    }

    void emmett()
    {
        const QString server = qEnvironmentVariable("EVENTSCOPE_TEST_EMMETT");
        if (!serverOrSkip(server, "EVENTSCOPE_TEST_EMMETT"))
            return;
        const Seed seed = makeSeed();
        QByteArray lines;
        for (const QString& stream : seed.streams)
            lines += "{\"stream\":\"" + stream.toUtf8() + "\",\"type\":\"Opened\",\"data\":{}}\n";
        QString error;
        QVERIFY2(test::writeWithForeignSystem(
                     QStringLiteral("write_emmett_pg.mjs"), { QStringLiteral("--uri"), server }, lines, &error)
                     .size()
                == seed.streams.size(),
            qPrintable(error));
        auto store = openStore("emmett+" + server.toStdString());
        checkCategories(*store, seed);
    }
};

QTEST_GUILESS_MAIN(TestAdapterCategories)
#include "tst_adapter_categories.moc"
