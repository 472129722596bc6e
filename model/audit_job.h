#pragma once
// The Audit tab's long work (DESIGN §7, §9) on a pooled thread with a connection of its own: a query's summary, an
// export, a verify or a seal. Reports throttled progress with an ETA, and one end, always: finished() with an
// immutable result, failed() with a sentence, or cancelled(). A newer start supersedes an older run, whose end is
// never reported.

#include "model/audit_export.h"
#include "model/audit_query.h"
#include "model/audit_summary.h"
#include "storage/integrity.h"

#include <QFuture>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace eventscope {

class EventStore;

struct AuditJobResult
{
    enum class Kind { Query, Export, Verify, Seal };
    Kind kind = Kind::Query;
    AuditSummary summary; // Query
    AuditExportResult exported; // Export
    VerifyReport report; // Verify
    bool againstSeal = false; // Verify: a seal file was given
    Seal seal; // Seal: what was written; Verify: the seal checked against
    QString sealPath; // Seal and Verify
};

class AuditJob : public QObject
{
    Q_OBJECT

public:
    explicit AuditJob(QObject* parent = nullptr);
    ~AuditJob() override; // cancels a run still going and waits for it; its end is dropped

    // Counts what `query` matches, by type and day.
    void startQuery(const QString& storeUri, const AuditQuery& query);
    // Writes the export and FILE.sha256; a cancel leaves neither.
    void startExport(const QString& storeUri, const AuditExportRequest& request);
    // Walks the hash chains; with a non-empty `sealPath`, also checks the store against that seal.
    void startVerify(const QString& storeUri, const QString& sealPath = {});
    // Writes a seal to `outPath`, then records it as StoreSealed in the store's audit stream (as `eventscope seal`).
    void startSeal(const QString& storeUri, const QString& outPath);

    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // done so far; total expected (-1 when unknown); seconds left (-1 when unknown). At most ten a second.
    void progress(qint64 done, qint64 total, double secondsLeft);
    void finished(std::shared_ptr<const eventscope::AuditJobResult> result);
    void failed(const QString& sentence);
    void cancelled();

private:
    struct Run;
    using Work = std::function<void(Run&, EventStore&)>;
    void start(const QString& storeUri, AuditJobResult::Kind kind, Work work);

    std::shared_ptr<Run> m_run;
    std::vector<QFuture<void>> m_workers; // every run not known to have returned, superseded ones included
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace eventscope

Q_DECLARE_METATYPE(std::shared_ptr<const eventscope::AuditJobResult>)
