// The default reducer of DESIGN §4: RFC 7386 merge patch plus $version, $type and $time, to a time or a
// version, with and without a stored snapshot.

#include "model/replay.h"
#include "storage/error.h"
#include "storage/time_format.h"
#include "tests/test_stores.h"

#include <QTest>

using namespace eventscope;
using Json = nlohmann::ordered_json;

namespace {

NewEvent at(const std::string& type, const std::string& data, const char* time)
{
    NewEvent e;
    e.type = type;
    e.data = data;
    e.time = parseTime(time);
    return e;
}

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT

private slots:
    void mergePatch_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        // The examples of RFC 7386, appendix A.
        QTest::addRow("replace") << R"({"a":"b"})"
                                 << R"({"a":"c"})"
                                 << R"({"a":"c"})";
        QTest::addRow("add") << R"({"a":"b"})"
                             << R"({"b":"c"})"
                             << R"({"a":"b","b":"c"})";
        QTest::addRow("delete") << R"({"a":"b"})"
                                << R"({"a":null})"
                                << R"({})";
        QTest::addRow("delete one") << R"({"a":"b","b":"c"})"
                                    << R"({"a":null})"
                                    << R"({"b":"c"})";
        QTest::addRow("array replaces") << R"({"a":["b"]})"
                                        << R"({"a":"c"})"
                                        << R"({"a":"c"})";
        QTest::addRow("nested") << R"({"a":{"b":"c"}})"
                                << R"({"a":{"b":"d","c":null}})"
                                << R"({"a":{"b":"d"}})";
        QTest::addRow("array whole") << R"({"a":[{"b":"c"}]})"
                                     << R"({"a":[1]})"
                                     << R"({"a":[1]})";
        QTest::addRow("nested null kept out") << R"({})"
                                              << R"({"a":{"bb":{"ccc":null}}})"
                                              << R"({"a":{"bb":{}}})";
        QTest::addRow("non-object") << R"({"a":"b"})"
                                    << R"(["c"])"
                                    << R"({"$value":["c"]})";
    }
    void mergePatch()
    {
        QFETCH(QString, state);
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        Json current = Json::parse(state.toStdString());
        Event e;
        e.version = 7;
        e.type = "T";
        e.time = parseTime("2024-01-01T00:00:00Z");
        e.data = patch.toStdString();
        MergePatchReducer::apply(current, e);
        QCOMPARE(current["$version"].get<int>(), 7);
        QCOMPARE(current["$type"].get<std::string>(), std::string("T"));
        QCOMPARE(current["$time"].get<std::string>(), std::string("2024-01-01T00:00:00.000000Z"));
        current.erase("$version");
        current.erase("$type");
        current.erase("$time");
        const Json want = Json::parse(expected.toStdString());
        QVERIFY2(current == want, (current.dump() + " != " + want.dump()).c_str());
    }

    void toTimeAndVersion_data() { test::addBackendRows(); }
    void toTimeAndVersion()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        store->append("account-1",
            { at("AccountOpened", R"({"owner":"Ada","balance":0})", "2024-01-15T09:00:00Z"),
                at("MoneyDeposited", R"({"balance":100})", "2024-01-15T14:00:00Z"),
                at("MoneyDeposited", R"({"balance":150,"note":"x"})", "2024-01-15T14:00:00Z"), // same instant
                at("MoneyWithdrawn", R"({"balance":120,"note":null})", "2024-01-16T08:00:00.5Z") });

        auto replay = [&](ReplayTarget target) { return replayStream(*store, "account-1", target); };
        auto state = replay({}).state;
        QCOMPARE(state["balance"].get<int>(), 120);
        QVERIFY(!state.contains("note"));
        QCOMPARE(state["$version"].get<int>(), 4);
        QCOMPARE(state["$type"].get<std::string>(), std::string("MoneyWithdrawn"));
        QCOMPARE(state["$time"].get<std::string>(), std::string("2024-01-16T08:00:00.500000Z"));

        // --at is inclusive, whatever offset it is written in, and takes both events of the same instant.
        state = replay({ parseTime("2024-01-15T15:00:00+01:00"), std::nullopt }).state;
        QCOMPARE(state["balance"].get<int>(), 150);
        QCOMPARE(state["$version"].get<int>(), 3);
        state = replay({ parseTime("2024-01-15T13:59:59.999999Z"), std::nullopt }).state;
        QCOMPARE(state["$version"].get<int>(), 1);
        QCOMPARE(replay({ parseTime("2024-01-01T00:00:00Z"), std::nullopt }).version, 0);
        state = replay({ std::nullopt, 2 }).state;
        QCOMPARE(state["balance"].get<int>(), 100);
        QCOMPARE(replay({ std::nullopt, 99 }).version, 4);

        // A stored snapshot is where the fold starts; the answer is the same.
        store->saveSnapshot({ "account-1", 3, MergePatchReducer::kName, replay({ std::nullopt, 3 }).state.dump(),
            parseTime("2024-01-15T14:00:00Z") });
        const auto fromSnapshot = replay({});
        QCOMPARE(fromSnapshot.snapshotVersion.value_or(-1), 3);
        QCOMPARE(fromSnapshot.eventsFolded, 1);
        QCOMPARE(fromSnapshot.state["balance"].get<int>(), 120);
        // A snapshot newer than the target time is not used.
        const auto early = replay({ parseTime("2024-01-15T10:00:00Z"), std::nullopt });
        QVERIFY(!early.snapshotVersion);
        QCOMPARE(early.version, 1);

        try {
            replayStream(*store, "account-404", {});
            QFAIL("replayed a stream that does not exist");
        } catch (const Error& e) {
            QCOMPARE(e.kind, ErrorKind::BadInput);
        }
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
