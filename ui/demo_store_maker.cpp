#include "ui/demo_store_maker.h"

#include "model/demo_generator.h"
#include "storage/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <climits>

namespace eventscope {
namespace {

struct Canceled
{
};

void removeSqliteFiles(const QString& path)
{
    for (const char* suffix : { "", "-wal", "-shm", "-journal" })
        QFile::remove(path + QLatin1String(suffix));
}

QString makeDemo(QPromise<QString>& promise, const QString& path, const QString& part, qint64 events)
{
    removeSqliteFiles(part); // what a crash may have left
    try {
        {
            // "sqlite:" because the temporary name does not end in .db.
            const auto store = openStore("sqlite:" + part.toStdString(), true);
            DemoOptions options;
            options.events = events;
            generateDemo(*store, options, [&promise](std::int64_t written) {
                if (promise.isCanceled())
                    throw Canceled {};
                promise.setProgressValue(int(std::min<std::int64_t>(written, INT_MAX)));
            });
        } // closed here, so SQLite has folded its write-ahead log into the file before the rename
        if (promise.isCanceled())
            throw Canceled {};
        if (!QFile::rename(part, path)) {
            const bool madeElsewhere = QFileInfo::exists(path);
            removeSqliteFiles(part);
            if (madeElsewhere)
                return {};
            return DemoStoreMaker::tr("Cannot move the new demo store to %1.").arg(QDir::toNativeSeparators(path));
        }
        return {};
    } catch (const Canceled&) {
        removeSqliteFiles(part);
        throw;
    } catch (const std::exception& e) {
        removeSqliteFiles(part);
        return DemoStoreMaker::tr("Cannot make the demo store: %1").arg(QString::fromStdString(e.what()));
    }
}

} // namespace

DemoStoreMaker::DemoStoreMaker(QWidget* dialogParent)
    : QObject(dialogParent)
    , m_dialogParent(dialogParent)
    , m_path(
          QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo.db")))
{
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &DemoStoreMaker::finished);
}

DemoStoreMaker::~DemoStoreMaker()
{
    // The worker removes its half-made file when it sees the cancel, at its next batch.
    m_watcher.disconnect(this);
    m_watcher.cancel();
    m_watcher.waitForFinished();
    delete m_progress;
}

void DemoStoreMaker::request()
{
    if (isRunning()) {
        if (m_progress)
            m_progress->raise();
        return;
    }
    if (QFileInfo::exists(m_path)) {
        emit ready(m_path);
        return;
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder)) {
        emit failed(tr("Cannot make the folder %1 for the demo store.").arg(QDir::toNativeSeparators(folder)));
        return;
    }

    m_progress = new QProgressDialog(tr("Making the demo store: %1 events of accounts, orders, payments and "
                                        "shipments…")
                                         .arg(QLocale().toString(m_events)),
        tr("Cancel"), 0, int(std::min<qint64>(m_events, INT_MAX)), m_dialogParent);
    m_progress->setWindowTitle(tr("Demo store"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumWidth(420);
    m_progress->setValue(0);
    connect(m_progress, &QProgressDialog::canceled, this, &DemoStoreMaker::cancel);
    connect(&m_watcher, &QFutureWatcher<QString>::progressValueChanged, m_progress, &QProgressDialog::setValue);

    const QString part = m_path + QLatin1String(".part");
    m_watcher.setFuture(QtConcurrent::run([path = m_path, part, events = m_events](QPromise<QString>& promise) {
        promise.setProgressRange(0, int(std::min<qint64>(events, INT_MAX)));
        try {
            promise.addResult(makeDemo(promise, path, part, events));
        } catch (const Canceled&) {
            // No result: the future reads as canceled.
        }
    }));
}

void DemoStoreMaker::cancel()
{
    if (isRunning())
        m_watcher.cancel();
}

void DemoStoreMaker::finished()
{
    if (m_progress) {
        // Not close(): a closing progress dialog reports itself canceled. Not delete: this may run inside
        // the dialog's own setValue(), which processes events while the window is modal.
        m_progress->disconnect(this);
        m_progress->hide();
        m_progress->deleteLater();
    }
    const QFuture<QString> future = m_watcher.future();
    if (future.isCanceled() || future.resultCount() == 0) {
        emit canceled();
        return;
    }
    const QString error = future.result();
    if (error.isEmpty())
        emit ready(m_path);
    else
        emit failed(error);
}

} // namespace eventscope
