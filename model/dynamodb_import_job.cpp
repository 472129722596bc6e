#include "model/dynamodb_import_job.h"

#include "storage/error.h"
#include "storage/event_store.h"
#include "storage/store_uri.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace eventscope {

namespace {

constexpr qint64 progressEveryMs = 200;

// Shares of the whole import, measured on a SQLite store: appending an event costs about twice as much as
// reading and staging its item; checking is one sorted pass over what is staged.
constexpr double readShare = 0.3;
constexpr double checkShare = 0.05;
constexpr double appendShare = 0.6;
constexpr double snapshotShare = 0.05;

double ratio(double part, double whole)
{
    return whole > 0 ? std::clamp(part / whole, 0.0, 1.0) : 1.0;
}

quint64 sizeOf(const QString& path)
{
    return quint64(std::max<qint64>(0, QFileInfo(path).size()));
}

} // namespace

DynamoDbImportJob::DynamoDbImportJob(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<DynamoDbImportJobProgress>();
    qRegisterMetaType<DynamoDbImportSummary>();
}

DynamoDbImportJob::~DynamoDbImportJob()
{
    if (m_cancel)
        *m_cancel = true;
    // The worker posts its end to this object: it must be gone before this object is.
    m_worker.waitForFinished();
}

double DynamoDbImportJob::overallFraction(const DynamoDbImportJobProgress& progress)
{
    using Phase = DynamoDbImportProgress::Phase;
    const double done = double(progress.done);
    const double total = double(progress.total);
    switch (progress.phase) {
    case Phase::Reading:
        return readShare * ratio(double(progress.bytes), double(progress.totalBytes));
    case Phase::Checking:
        return readShare + checkShare * ratio(done, total);
    case Phase::Appending:
        return readShare + checkShare + appendShare * ratio(done, total);
    case Phase::Snapshots:
        return readShare + checkShare + appendShare + snapshotShare * ratio(done, total);
    }
    return 0;
}

bool DynamoDbImportJob::start(const Request& request)
{
    if (m_running)
        return false;
    m_worker.waitForFinished(); // the last import has told its end already; its thread is returning
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_running = true;
    m_worker = QtConcurrent::run([this, request, cancel = m_cancel] { work(request, cancel); });
    return true;
}

void DynamoDbImportJob::cancel()
{
    if (m_running && m_cancel)
        *m_cancel = true;
}

void DynamoDbImportJob::work(const Request& request, std::shared_ptr<std::atomic<bool>> cancel)
{
    // Every report is handed to the job's own thread: the UI never sees a signal from this one.
    const auto post = [this](auto report) { QMetaObject::invokeMethod(this, std::move(report), Qt::QueuedConnection); };
    QElapsedTimer clock;
    clock.start();
    qint64 lastReport = -progressEveryMs;
    DynamoDbImportJobProgress state;
    for (const QString& file : request.files)
        state.totalBytes += sizeOf(file);
    if (!request.snapshotsFile.isEmpty())
        state.totalBytes += sizeOf(request.snapshotsFile);
    quint64 bytesBefore = 0; // of the files read to their end
    qint64 itemsBefore = 0;
    qint64 fileItems = 0;
    bool appending = false;

    DynamoDbImportOptions options;
    options.stagingDirectory = QDir::tempPath().toStdString();
    options.auditTool = AuditTool::Window;
    options.batchEvents = request.batchEvents;
    options.cancel = cancel.get();
    options.note
        = [&](const std::string& text) { post([this, note = QString::fromStdString(text)] { emit noted(note); }); };
    options.progress = [&](const DynamoDbImportProgress& reported) {
        state.phase = reported.phase;
        if (reported.phase == DynamoDbImportProgress::Phase::Reading) {
            state.file = QString::fromStdString(reported.source);
            fileItems = reported.items;
            state.items = itemsBefore + reported.items;
            state.bytes = bytesBefore + reported.bytes;
        } else {
            state.done = reported.done;
            state.total = reported.total;
        }
        appending = appending || reported.phase == DynamoDbImportProgress::Phase::Appending;
        const qint64 now = clock.elapsed();
        if (now - lastReport < progressEveryMs)
            return;
        lastReport = now;
        state.fraction = overallFraction(state);
        state.secondsLeft = state.fraction >= 0.02 && now >= 1000
            ? double(now) / 1000.0 * (1.0 - state.fraction) / state.fraction
            : -1.0;
        post([this, report = state] {
            if (m_running)
                emit progress(report);
        });
    };
    const auto read = [&](const QString& file, bool snapshots, DynamoDbImport& import) {
        if (cancel->load())
            fail(ErrorKind::Cancelled, "the import was cancelled");
        fileItems = 0;
        snapshots ? import.addSnapshotsFile(file.toStdString()) : import.addEventsFile(file.toStdString());
        bytesBefore += sizeOf(file);
        itemsBefore += fileItems;
    };

    std::unique_ptr<DynamoDbImport> import;
    try {
        if (!request.mappingFile.isEmpty())
            options.mapping = DynamoDbMapping::fromFile(request.mappingFile.toStdString());
        const std::string uri = request.storeUri.toStdString();
        const StoreUri parsed = StoreUri::parse(uri);
        // A missing SQLite file is made only once the input has been found good.
        const bool makeFile = parsed.kind == StoreUri::Kind::Sqlite && parsed.foreign.empty()
            && !QFileInfo::exists(QString::fromStdString(parsed.path));
        std::unique_ptr<EventStore> store;
        if (!makeFile) {
            store = openStore(uri);
            if (store->describe().readOnly)
                fail(ErrorKind::BadInput,
                    parsed.display + " is a read-only store; import writes to native SQLite and PostgreSQL stores");
        }
        import = std::make_unique<DynamoDbImport>(std::move(options));
        for (const QString& file : request.files)
            read(file, false, *import);
        if (!request.snapshotsFile.isEmpty())
            read(request.snapshotsFile, true, *import);
        import->check();
        if (!store)
            store = openStore(uri, true);
        const DynamoDbImportSummary summary = import->writeTo(*store, parsed.display);
        post([this, summary] {
            m_running = false;
            emit finished(summary);
        });
    } catch (const std::exception& e) {
        const auto* error = dynamic_cast<const Error*>(&e);
        QString sentence = QString::fromStdString(e.what());
        if (error && error->kind == ErrorKind::Cancelled) {
            sentence = !appending
                ? tr("The import was cancelled before anything was written.")
                : tr("The import was cancelled after appending %1 of %2 events. Each stream holds "
                     "all of its imported events, none, or its first ones up to a batch boundary, "
                     "and no import record was written: run the same import again to complete it.")
                      .arg(QLocale().toString(import->summary().written), QLocale().toString(import->summary().events));
        } else if (sentence.isEmpty()) {
            sentence = tr("The import stopped on an unexpected error.");
        }
        post([this, sentence] {
            m_running = false;
            emit failed(sentence);
        });
    }
}

} // namespace eventscope
