// What the Projections tab is made of, below its widgets: the list of projections read by a worker and swapped in
// as a snapshot, two versions compared page by page, and a run on its own thread that ends in exactly one way,
// cancelled from its own progress report. The states browser has tst_projection_states_model.

#include "model/projection_admin.h"
#include "model/projection_job.h"
#include "model/projection_list_model.h"
#include "storage/event_store.h"
#include "tests/model/projection_model_fixtures.h"
#include "tests/test_stores.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <map>
#include <tuple>

using namespace eventscope;
using namespace eventscope::test;
using namespace Qt::Literals::StringLiterals;

namespace {

ProjectionJob::Request request(const std::string& uri, const QString& name, const char* script,
    ProjectionJob::Mode mode = ProjectionJob::Mode::Run)
{
    ProjectionJob::Request r;
    r.sourceUri = QString::fromStdString(uri);
    r.targetUri = r.sourceUri;
    r.name = name;
    r.script = QString::fromUtf8(script);
    r.mode = mode;
    return r;
}

// Runs a job to its end; the end signal's argument, or an empty optional after a failure.
std::optional<ProjectionRunResult> runJob(const ProjectionJob::Request& r, QString* failure = nullptr)
{
    ProjectionJob job;
    QSignalSpy finished(&job, &ProjectionJob::finished);
    QSignalSpy failed(&job, &ProjectionJob::failed);
    if (!job.start(r))
        return std::nullopt;
    if (!QTest::qWaitFor([&] { return finished.count() + failed.count() > 0; }, 60000))
        return std::nullopt;
    QTest::qWait(20); // nothing else may follow the end
    if (finished.count() + failed.count() != 1)
        return std::nullopt;
    if (!failed.isEmpty()) {
        if (failure)
            *failure = failed.front().front().toString();
        return std::nullopt;
    }
    return finished.front().front().value<ProjectionRunResult>();
}

// Makes `locale` the default for as long as it lives, so that a test sees the separators a user of it would.
class DefaultLocale
{
public:
    explicit DefaultLocale(const QLocale& locale) { QLocale::setDefault(locale); }
    ~DefaultLocale() { QLocale::setDefault(m_saved); }
    DefaultLocale(const DefaultLocale&) = delete;
    DefaultLocale& operator=(const DefaultLocale&) = delete;

private:
    QLocale m_saved;
};

// 1234567 as "1,234,567": what an English reader expects, written out without QLocale.
QString grouped(qint64 value)
{
    QString digits = QString::number(value);
    for (qsizetype at = digits.size() - 3; at > 0; at -= 3)
        digits.insert(at, u',');
    return digits;
}

} // namespace

class TestProjectionModels : public QObject
{
    Q_OBJECT

private slots:
    void listShowsProjectionsAndRefreshes_data() { test::addBackendRows(); }
    void listShowsProjectionsAndRefreshes()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 5, written);
        // A caught-up run's checkpoint is the head it saw last, its own audit record included.
        std::map<QString, qint64> caughtUpAt;
        QCOMPARE(runNow(location.uri(), "beta", kCountScript).end, ProjectionRunResult::End::CaughtUp);
        caughtUpAt[u"beta"_s] = openStore(location.uri())->headPosition();
        QCOMPARE(runNow(location.uri(), "alpha", kCountScript).end, ProjectionRunResult::End::CaughtUp);
        caughtUpAt[u"alpha"_s] = openStore(location.uri())->headPosition();
        QCOMPARE(runNow(location.uri(), shadowName("alpha"), kCountScript).end, ProjectionRunResult::End::CaughtUp);

        // Digits without separators here, whatever the machine's locale: listGroupsTheDigitsOfBigNumbers has those.
        const DefaultLocale plain(QLocale::c());
        ProjectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionListModel::loaded);
        const QString uri = QString::fromStdString(location.uri());
        model.setStores(uri, uri);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.error(), QString());
        // The shadow is a version of alpha, not a projection of its own.
        QCOMPARE(model.rowCount(), 2);
        const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
        const qint64 head = openStore(location.uri())->headPosition();
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(cell(row, ProjectionListModel::Name), row == 0 ? u"alpha"_s : u"beta"_s);
            QCOMPARE(cell(row, ProjectionListModel::Status), u"stopped"_s);
            QCOMPARE(model.index(row, 0).data(ProjectionListModel::StatusRole).toString(), u"stopped"_s);
            QCOMPARE(cell(row, ProjectionListModel::Source), u"fromAll()"_s);
            const qint64 checkpoint = caughtUpAt[cell(row, ProjectionListModel::Name)];
            QCOMPARE(cell(row, ProjectionListModel::Position), QString::number(checkpoint));
            // Lag counts positions: the audit records of the later runs sit above the checkpoint.
            QCOMPARE(cell(row, ProjectionListModel::Lag), QString::number(head - checkpoint));
            QCOMPARE(cell(row, ProjectionListModel::Partitions), QString::number(written.streams.size()));
            QCOMPARE(cell(row, ProjectionListModel::Rate), QString());
        }
        QVERIFY(model.summary(QStringLiteral("alpha"))->hasShadow);
        QVERIFY(!model.summary(QStringLiteral("beta"))->hasShadow);
        QCOMPARE(model.summary(0)->details.script, std::string(kCountScript));

        // A running job's rate, then none.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setRate(QStringLiteral("beta"), 1234.4);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(1, ProjectionListModel::Rate), u"1234"_s);
        QCOMPARE(model.index(1, ProjectionListModel::Rate).data(Qt::EditRole).toDouble(), 1234.4);
        model.clearRate(QStringLiteral("beta"));
        QCOMPARE(cell(1, ProjectionListModel::Rate), QString());
        QVERIFY(!model.index(1, ProjectionListModel::Rate).data(Qt::EditRole).isValid());
        model.setStatusForeground(QStringLiteral("stopped"), QStringLiteral("grey"));
        QCOMPARE(model.index(0, ProjectionListModel::Status).data(Qt::ForegroundRole).toString(), u"grey"_s);
        QVERIFY(!model.index(0, ProjectionListModel::Name).data(Qt::ForegroundRole).isValid());

        // New events: the checkpoint stays and the lag grows, until a run catches up again.
        fill(location.uri(), 7, written);
        model.refresh();
        QVERIFY(loaded.wait(10000));
        const qint64 newHead = openStore(location.uri())->headPosition();
        QCOMPARE(cell(0, ProjectionListModel::Lag),
            QString::number(newHead - cell(0, ProjectionListModel::Position).toLongLong()));
        QCOMPARE(cell(0, ProjectionListModel::Position), QString::number(caughtUpAt[u"alpha"_s]));
        QVERIFY(caughtUpAt[u"alpha"_s] < written.lastPosition);

        const auto result = runJob(request(location.uri(), QStringLiteral("alpha"), kCountScript));
        QVERIFY(result);
        QCOMPARE(result->end, ProjectionRunResult::End::CaughtUp);
        const qint64 headAfter = openStore(location.uri())->headPosition();
        QCOMPARE(result->position, headAfter);
        model.refresh();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(cell(0, ProjectionListModel::Position), QString::number(headAfter));
        QCOMPARE(cell(0, ProjectionListModel::Lag), u"0"_s);
        QCOMPARE(cell(0, ProjectionListModel::Partitions), QString::number(written.streams.size()));
        QCOMPARE(cell(1, ProjectionListModel::Position).toLongLong() < written.lastPosition, true);

        // A deleted projection leaves the list.
        deleteProjectionVersions(*openStore(location.uri()), "beta", AuditTool::Window);
        model.refresh();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf(QStringLiteral("beta")), -1);

        model.setStores({}, {});
        QCOMPARE(model.rowCount(), 0);
    }

    void listGroupsTheDigitsOfBigNumbers_data() { test::addBackendRows(); }
    void listGroupsTheDigitsOfBigNumbers()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 404, written); // 1,010 events
        auto store = openStore(location.uri());
        const qint64 head = store->headPosition();
        QVERIFY(head >= 1010);
        // Records as a run leaves them, with the numbers that need separators.
        const std::string definition = "{\"source\":\"fromAll()\",\"partitioned\":true}";
        std::vector<PartitionState> states;
        for (int i = 0; i < 1234; ++i)
            states.push_back({ "order-" + std::to_string(i), "{}" });
        store->commitProjection({ "big", 1, "stopped", definition, 0 }, states);
        store->commitProjection({ "far", 1234567, "stopped", definition, 0 }, {});

        const DefaultLocale english(QLocale(QLocale::English, QLocale::UnitedStates));
        ProjectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionListModel::loaded);
        const QString uri = QString::fromStdString(location.uri());
        model.setStores(uri, uri);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 2);
        const auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        const auto raw = [&](int row, int column) { return model.index(row, column).data(Qt::EditRole); };
        QCOMPARE(text(0, ProjectionListModel::Name), u"big"_s);
        QCOMPARE(text(0, ProjectionListModel::Position), u"1"_s);
        QCOMPARE(text(0, ProjectionListModel::Lag), grouped(head - 1));
        QVERIFY(text(0, ProjectionListModel::Lag).contains(u','));
        QCOMPARE(text(0, ProjectionListModel::Partitions), u"1,234"_s);
        QCOMPARE(text(1, ProjectionListModel::Position), u"1,234,567"_s);
        QCOMPARE(text(1, ProjectionListModel::Lag), u"0"_s); // a checkpoint past the head lags by nothing
        QCOMPARE(text(1, ProjectionListModel::Partitions), u"0"_s);
        // The numbers themselves stay in Qt::EditRole, as numbers, for sorting.
        QCOMPARE(raw(0, ProjectionListModel::Position).typeId(), int(QMetaType::LongLong));
        QCOMPARE(raw(0, ProjectionListModel::Position).toLongLong(), qint64(1));
        QCOMPARE(raw(0, ProjectionListModel::Lag).toLongLong(), head - 1);
        QCOMPARE(raw(0, ProjectionListModel::Partitions).toLongLong(), qint64(1234));
        QCOMPARE(raw(1, ProjectionListModel::Position).toLongLong(), qint64(1234567));
        QCOMPARE(raw(1, ProjectionListModel::Name).toString(), u"far"_s);
        QVERIFY(raw(1, ProjectionListModel::Lag).toLongLong() < raw(0, ProjectionListModel::Lag).toLongLong());
        model.setRate(QStringLiteral("big"), 1234567.4);
        QCOMPARE(text(0, ProjectionListModel::Rate), u"1,234,567"_s);
        QCOMPARE(raw(0, ProjectionListModel::Rate).toDouble(), 1234567.4);
        // The tooltip's head is grouped the same way.
        QVERIFY(model.index(0, ProjectionListModel::Lag).data(Qt::ToolTipRole).toString().contains(grouped(head)));
    }

    // Two versions of thousands of partitions, compared a page at a time: every kind of difference falls on and
    // around the page boundaries, and one side runs out while the other still has pages.
    void comparisonPagesThroughBothVersions_data() { test::addBackendRows(); }
    void comparisonPagesThroughBothVersions()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        auto store = openStore(location.uri(), true);
        std::map<std::string, std::string> live, shadow; // the oracle's input, in byte order as std::map keeps it
        live[""] = "{\"root\":1}";
        shadow[""] = "{\"root\":2}";
        live["\xC3\xA9t\xC3\xA9"] = "{}";
        shadow["$shared"] = "{}";
        for (int i = 0; i < 3000; ++i) {
            const std::string partition = "p-" + std::to_string(i); // p-1, p-10, p-100: prefixes of each other
            const std::string state = "{\"a\":" + std::to_string(i) + ",\"b\":[1,2]}";
            if (i < 1998)
                live[partition] = state; // with the two above, exactly two full pages
            if (i % 7 == 3 || i >= 1990)
                shadow[partition] = i % 5 == 0 ? "{\"a\":-1}" : "{\"b\":[1,2],\"a\":" + std::to_string(i) + "}";
        }
        const auto commit = [&](const std::string& name, const std::map<std::string, std::string>& states) {
            std::vector<PartitionState> list;
            for (const auto& [partition, state] : states)
                list.push_back({ partition, state });
            store->commitProjection({ name, 1, "stopped", "{}", 0 }, list);
        };
        commit("p", live);
        commit(shadowName("p"), shadow);
        QCOMPARE(store->projectionStateCount("p"), std::int64_t(2000));

        // The oracle: the union of the names in order, each classified on its own.
        std::vector<std::tuple<PartitionDifference::Kind, std::string, std::string, std::string>> expected;
        std::int64_t unchanged = 0;
        std::map<std::string, int> names;
        for (const auto& [partition, state] : live)
            names[partition] |= 1;
        for (const auto& [partition, state] : shadow)
            names[partition] |= 2;
        for (const auto& [partition, sides] : names) {
            if (sides == 1)
                expected.emplace_back(PartitionDifference::Kind::Removed, partition, live[partition], "");
            else if (sides == 2)
                expected.emplace_back(PartitionDifference::Kind::Added, partition, "", shadow[partition]);
            else if (nlohmann::json::parse(live[partition]) == nlohmann::json::parse(shadow[partition]))
                ++unchanged;
            else
                expected.emplace_back(
                    PartitionDifference::Kind::Changed, partition, live[partition], shadow[partition]);
        }
        QVERIFY(unchanged > 100 && expected.size() > 2000);

        const ProjectionComparison comparison = compareProjections(*store, "p", shadowName("p"));
        QCOMPARE(comparison.unchanged, unchanged);
        QCOMPARE(comparison.differences.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const PartitionDifference& d = comparison.differences[i];
            const auto& [kind, partition, before, after] = expected[i];
            const std::string where = "difference " + std::to_string(i) + ", expected partition '" + partition
                + "', got '" + d.partition + "'";
            QVERIFY2(
                d.kind == kind && d.partition == partition && d.before == before && d.after == after, where.c_str());
            QCOMPARE(d.changes.empty(), d.kind != PartitionDifference::Kind::Changed);
        }
        // Against a version with no states, everything is added; against itself, nothing differs.
        QCOMPARE(compareProjections(*store, "none", shadowName("p")).differences.size(), shadow.size());
        const ProjectionComparison same = compareProjections(*store, "p", "p");
        QVERIFY(same.differences.empty());
        QCOMPARE(same.unchanged, std::int64_t(live.size()));
    }

    void listOfAWorkspaceNotYetMadeIsEmpty()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        Written written;
        fill(location.uri(), 2, written);
        ProjectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ProjectionListModel::loaded);
        const QString workspace = location.dir() + QStringLiteral("/workspace.db");
        model.setStores(QString::fromStdString(location.uri()), workspace);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.error(), QString());
        QVERIFY(!QFile::exists(workspace)); // reading makes no file
    }

    void listOfAStoreThatCannotBeOpenedSaysSo()
    {
        ProjectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &ProjectionListModel::loadFailed);
        const QString missing = QStringLiteral("/nonexistent/folder/store.db");
        model.setStores(missing, missing);
        QVERIFY(failed.wait(10000));
        QVERIFY(!model.error().isEmpty());
        QCOMPARE(model.rowCount(), 0);
    }

    void jobRunsFaultsSkipsAndShadows_data() { test::addBackendRows(); }
    void jobRunsFaultsSkipsAndShadows()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 6, written);
        // One bad event in order-9, then more events after it.
        const auto bad
            = openStore(location.uri())->append("order-9", { NewEvent { {}, "Broken", "{\"bad\":true}", "{}", {} } });
        fill(location.uri(), 6, written);

        ProjectionJob job;
        QSignalSpy progress(&job, &ProjectionJob::progress);
        QSignalSpy finished(&job, &ProjectionJob::finished);
        QVERIFY(job.start(request(location.uri(), QStringLiteral("p"), kFaultScript)));
        QVERIFY(job.isRunning());
        QVERIFY(!job.start(request(location.uri(), QStringLiteral("p"), kFaultScript))); // one run at a time
        QVERIFY(finished.wait(30000));
        QVERIFY(!job.isRunning());
        QVERIFY(progress.count() >= 1);
        auto result = finished.front().front().value<ProjectionRunResult>();
        QCOMPARE(result.end, ProjectionRunResult::End::Faulted);
        QVERIFY(result.fault);
        QCOMPARE(result.fault->position, bad.lastPosition);
        QCOMPARE(result.fault->message, "bad event " + std::to_string(bad.lastPosition));
        QCOMPARE(result.position, bad.lastPosition - 1);
        QVERIFY(ProjectionJob::endSentence(QStringLiteral("p"), result)
                    .startsWith(u"Projection p faulted at position "_s + QString::number(bad.lastPosition)));

        // A retry faults on the same event again; a skip steps over it.
        result = *runJob(request(location.uri(), QStringLiteral("p"), kFaultScript, ProjectionJob::Mode::Retry));
        QCOMPARE(result.end, ProjectionRunResult::End::Faulted);
        QCOMPARE(result.eventsDone, 0);
        result = *runJob(request(location.uri(), QStringLiteral("p"), kFaultScript, ProjectionJob::Mode::SkipFault));
        QCOMPARE(result.end, ProjectionRunResult::End::CaughtUp);
        const qint64 skippedTo = openStore(location.uri())->headPosition();
        QCOMPARE(result.position, skippedTo);
        QVERIFY(ProjectionJob::endSentence(QStringLiteral("p"), result)
                    .startsWith(u"Projection p caught up at position "_s + QString::number(skippedTo) + u" ("_s));
        auto target = openStore(location.uri());
        const ProjectionSummary summary = projectionSummary(*target, *target, "p");
        QCOMPARE(summary.details.skipped.size(), std::size_t(1));
        QCOMPARE(summary.details.skipped.front().position, bad.lastPosition);
        QVERIFY(!summary.details.fault);
        for (const PartitionState& state : target->projectionStates("p")) {
            const auto json = nlohmann::json::parse(state.state);
            QCOMPARE(json["count"].get<int>(), written.streams.at(state.partition).count);
        }

        // Skipping when there is no fault is refused in a sentence.
        QString failure;
        QVERIFY(!runJob(
            request(location.uri(), QStringLiteral("p"), kFaultScript, ProjectionJob::Mode::SkipFault), &failure));
        QVERIFY2(failure.contains(u"no fault to skip"_s), qPrintable(failure));
        // So is a script that does not compile, and a store that cannot be opened.
        QVERIFY(!runJob(request(location.uri(), QStringLiteral("q"), "fromAll().when({"), &failure));
        QVERIFY2(failure.contains(u"line"_s), qPrintable(failure));
        auto unreachable = request("/nonexistent/folder/store.db", QStringLiteral("q"), kCountScript);
        QVERIFY(!runJob(unreachable, &failure));
        QVERIFY(!failure.isEmpty());

        // A shadow rebuild writes beside the live version and leaves the live one alone.
        result
            = *runJob(request(location.uri(), QStringLiteral("p"), kCountScript, ProjectionJob::Mode::ShadowRebuild));
        QCOMPARE(result.end, ProjectionRunResult::End::CaughtUp);
        const auto shadow = target->projection(shadowName("p"));
        QVERIFY(shadow);
        QCOMPARE(shadow->status, std::string("stopped"));
        const ProjectionComparison comparison = compareProjections(*target, "p", shadowName("p"));
        // The new script keeps a note in every state, and order-9 counts its bad event in the shadow.
        QCOMPARE(comparison.differences.size(), written.streams.size() + 1);
        for (const PartitionDifference& difference : comparison.differences) {
            if (difference.partition == "order-9") {
                QCOMPARE(difference.kind, PartitionDifference::Kind::Added);
                continue;
            }
            QCOMPARE(difference.kind, PartitionDifference::Kind::Changed);
            QCOMPARE(difference.changes.size(), std::size_t(1));
            QCOMPARE(difference.changes.front().path, std::string("note"));
        }
        // A rebuild of the live version starts from nothing.
        result = *runJob(request(location.uri(), QStringLiteral("p"), kCountScript, ProjectionJob::Mode::Rebuild));
        QCOMPARE(result.end, ProjectionRunResult::End::CaughtUp);
        QCOMPARE(result.eventsDone, written.events + 1);
        QVERIFY(projectionSummary(*target, *target, "p").details.skipped.empty());
    }

    void cancelFromProgress_data() { test::addBackendRows(); }
    void cancelFromProgress()
    {
        QFETCH(QString, backend);
        EVENTSCOPE_STORE_OR_SKIP(location, backend);
        Written written;
        fill(location.uri(), 400, written, 12); // 12 × 1000 events
        ProjectionJob job;
        QSignalSpy finished(&job, &ProjectionJob::finished);
        QSignalSpy failed(&job, &ProjectionJob::failed);
        qint64 seenDone = 0;
        int reportsAfterCancel = 0;
        bool cancelled = false;
        connect(&job, &ProjectionJob::progress, this, [&](const ProjectionProgress& progress) {
            if (cancelled)
                ++reportsAfterCancel;
            seenDone = progress.eventsDone;
            if (progress.eventsDone > 0 && !cancelled) {
                cancelled = true;
                job.cancel();
                QVERIFY(job.isCancelling());
            }
        });
        auto r = request(location.uri(), QStringLiteral("big"), kCountScript);
        r.batchEvents = 100;
        r.progressEvery = std::chrono::milliseconds(0);
        QVERIFY(job.start(r));
        QVERIFY(finished.wait(60000));
        QCOMPARE(failed.count(), 0);
        const auto result = finished.front().front().value<ProjectionRunResult>();
        QCOMPARE(result.end, ProjectionRunResult::End::Cancelled);
        QVERIFY2(result.position < written.lastPosition, qPrintable(QString::number(result.position)));
        QVERIFY(result.eventsDone < written.events);
        QVERIFY(ProjectionJob::endSentence(QStringLiteral("big"), result).contains(u"cancelled"_s));
        // The checkpoint is where the run stopped, and the record says stopped.
        auto store = openStore(location.uri());
        QCOMPARE(store->projection("big")->position, result.position);
        QCOMPARE(store->projection("big")->status, std::string("stopped"));

        // The next run picks up from there and ends with every event counted once.
        const auto rest = runJob(request(location.uri(), QStringLiteral("big"), kCountScript));
        QVERIFY(rest);
        QCOMPARE(rest->end, ProjectionRunResult::End::CaughtUp);
        QCOMPARE(result.eventsDone + rest->eventsDone, written.events);
        for (const PartitionState& state : store->projectionStates("big"))
            QCOMPARE(nlohmann::json::parse(state.state)["count"].get<int>(), written.streams.at(state.partition).count);
    }

    void pauseHoldsTheRun()
    {
        test::StoreLocation location(QStringLiteral("sqlite"));
        Written written;
        fill(location.uri(), 400, written, 6);
        ProjectionJob job;
        QSignalSpy finished(&job, &ProjectionJob::finished);
        QSignalSpy paused(&job, &ProjectionJob::pausedChanged);
        connect(&job, &ProjectionJob::progress, this, [&](const ProjectionProgress& progress) {
            if (progress.eventsDone > 0 && paused.isEmpty())
                job.pause();
        });
        auto r = request(location.uri(), QStringLiteral("slow"), kCountScript);
        r.batchEvents = 100;
        r.progressEvery = std::chrono::milliseconds(0);
        QVERIFY(job.start(r));
        QTRY_COMPARE(paused.count(), 1);
        QVERIFY(job.isPaused());
        QTest::qWait(300);
        const auto held = openStore(location.uri())->projection("slow")->position;
        QTest::qWait(300);
        QCOMPARE(openStore(location.uri())->projection("slow")->position, held);
        QVERIFY(finished.isEmpty());
        QVERIFY(held < written.lastPosition);
        job.resume();
        QVERIFY(!job.isPaused());
        QVERIFY(finished.wait(60000));
        QCOMPARE(
            finished.front().front().value<ProjectionRunResult>().position, openStore(location.uri())->headPosition());
    }
};

QTEST_GUILESS_MAIN(TestProjectionModels)
#include "tst_projection_models.moc"
