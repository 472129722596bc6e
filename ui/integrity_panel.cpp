#include "ui/integrity_panel.h"

#include "model/audit_job.h"
#include "ui/count_text.h"

#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

namespace eventscope {

namespace {

const QString kGood = QStringLiteral("color: #2e7d32; font-weight: bold;");
const QString kBad = QStringLiteral("color: #c62828; font-weight: bold;");

} // namespace

IntegrityPanel::IntegrityPanel(QWidget* parent)
    : QWidget(parent)
    , m_verify(new QPushButton(tr("Verify"), this))
    , m_sealFile(new QLineEdit(this))
    , m_chooseSeal(new QPushButton(tr("Against seal file…"), this))
    , m_seal(new QPushButton(tr("Seal…"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_result(new QLabel(this))
    , m_job(new AuditJob(this))
{
    m_verify->setObjectName(QStringLiteral("auditVerify"));
    m_verify->setToolTip(tr("Walks every stream's hash chain and names the first event that does not match."));
    m_sealFile->setObjectName(QStringLiteral("auditSealFile"));
    m_sealFile->setPlaceholderText(tr("no seal: chains only"));
    m_sealFile->setClearButtonEnabled(true);
    m_chooseSeal->setObjectName(QStringLiteral("auditChooseSeal"));
    m_chooseSeal->setToolTip(tr("Also check that the store still holds everything a seal file recorded."));
    m_seal->setObjectName(QStringLiteral("auditSeal"));
    m_seal->setToolTip(tr("Writes a seal of the store (its head and a digest of every stream) to a file to keep "
                          "outside the store, and records the seal in %1.")
                           .arg(QStringLiteral("$eventscope-audit")));
    m_cancel->setObjectName(QStringLiteral("auditIntegrityCancel"));
    m_cancel->hide();
    m_result->setObjectName(QStringLiteral("auditIntegrityResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sealFile, 0, 0, 1, 2);
    layout->addWidget(m_chooseSeal, 0, 2);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_verify);
    buttons->addWidget(m_seal);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    layout->addLayout(buttons, 1, 0, 1, 3);
    layout->addWidget(m_result, 2, 0, 1, 3);
    layout->setRowStretch(3, 1);
    layout->setColumnStretch(0, 1);

    connect(m_verify, &QPushButton::clicked, this, [this] { verify(m_sealFile->text().trimmed()); });
    connect(m_chooseSeal, &QPushButton::clicked, this, &IntegrityPanel::chooseSealFile);
    connect(m_seal, &QPushButton::clicked, this, &IntegrityPanel::askSealFile);
    connect(m_cancel, &QPushButton::clicked, m_job, &AuditJob::cancel);
    connect(m_job, &AuditJob::finished, this, &IntegrityPanel::takeResult);
    connect(m_job, &AuditJob::failed, this, [this](const QString& sentence) {
        setBusy(false);
        m_lastOk = false;
        showResult(tr("Could not finish: %1").arg(sentence), false);
        Q_EMIT finished();
    });
    connect(m_job, &AuditJob::cancelled, this, [this] {
        setBusy(false);
        m_lastOk = false;
        showResult(tr("Cancelled."), false);
        m_result->setStyleSheet({});
        Q_EMIT finished();
    });
    updateEnabled();
}

IntegrityPanel::~IntegrityPanel() = default;

void IntegrityPanel::setStore(const QString& uri, bool readOnly)
{
    m_job->cancel();
    m_uri = uri;
    m_readOnly = readOnly;
    m_lastOk = false;
    m_result->clear();
    m_result->setStyleSheet({});
    setBusy(false);
}

bool IntegrityPanel::isBusy() const
{
    return m_job->isRunning();
}

QString IntegrityPanel::resultText() const
{
    return m_result->text();
}

void IntegrityPanel::updateEnabled()
{
    const bool busy = m_job->isRunning();
    const bool usable = !m_uri.isEmpty() && !m_readOnly && !busy;
    for (QWidget* widget :
        { static_cast<QWidget*>(m_verify), static_cast<QWidget*>(m_chooseSeal), static_cast<QWidget*>(m_sealFile) })
        widget->setEnabled(usable);
    m_seal->setEnabled(usable && m_writable);
    const QString why = m_readOnly ? tr("This store was written by another system: it has no Eventscope hash chains "
                                        "to verify or seal.")
                                   : QString();
    if (m_readOnly) {
        m_verify->setToolTip(why);
        m_seal->setToolTip(why);
        m_chooseSeal->setToolTip(why);
    } else {
        m_verify->setToolTip(tr("Walks every stream's hash chain and names the first event that does not match."));
        m_seal->setToolTip(m_writable ? tr("Writes a seal of the store (its head and a digest of every stream) to a "
                                           "file to keep outside the store, and records the seal in %1.")
                                            .arg(QStringLiteral("$eventscope-audit"))
                                      : tr("Sealing records itself in the store: turn on admin mode (Store ▸ Admin "
                                           "mode) first."));
        m_chooseSeal->setToolTip(tr("Also check that the store still holds everything a seal file recorded."));
    }
    m_cancel->setVisible(busy);
}

void IntegrityPanel::setBusy(bool busy, const QString& text)
{
    Q_UNUSED(busy)
    if (!text.isEmpty()) {
        m_result->setStyleSheet({});
        m_result->setText(text);
    }
    updateEnabled();
}

void IntegrityPanel::verify(const QString& sealPath)
{
    if (m_uri.isEmpty() || m_readOnly)
        return;
    m_job->startVerify(m_uri, sealPath);
    setBusy(
        true, sealPath.isEmpty() ? tr("Verifying every hash chain…") : tr("Verifying the hash chains and the seal…"));
}

void IntegrityPanel::setWritable(bool writable, bool production)
{
    m_writable = writable;
    m_production = production;
    updateEnabled();
}

void IntegrityPanel::sealTo(const QString& path)
{
    if (m_uri.isEmpty() || m_readOnly || !m_writable || path.isEmpty())
        return;
    m_job->startSeal(m_uri, path);
    setBusy(true, tr("Sealing…"));
}

void IntegrityPanel::chooseSealFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Verify against a seal"), m_sealFile->text(), tr("Seal files (*.seal *.json);;All files (*)"));
    if (!path.isEmpty())
        m_sealFile->setText(path);
}

void IntegrityPanel::askSealFile()
{
    if (m_production
        && QMessageBox::question(this, tr("Seal a production store"),
               tr("This store is marked as production. Sealing appends a record to %1. Seal it?")
                   .arg(QStringLiteral("$eventscope-audit")))
            != QMessageBox::Yes)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Seal the store"), QStringLiteral("store.seal"), tr("Seal files (*.seal);;All files (*)"));
    if (!path.isEmpty())
        sealTo(path);
}

void IntegrityPanel::showResult(const QString& text, bool good)
{
    m_result->setText(text);
    m_result->setStyleSheet(good ? kGood : kBad);
}

void IntegrityPanel::takeResult(const std::shared_ptr<const AuditJobResult>& result)
{
    setBusy(false);
    if (result->kind == AuditJobResult::Kind::Seal) {
        m_lastOk = true;
        const QString text = tr("Sealed at position %1 (%2 in %3). Seal written to %4; digest %5.")
                                 .arg(result->seal.headPosition)
                                 .arg(countText(result->seal.eventCount, tr("event"), tr("events")),
                                     countText(result->seal.streamCount, tr("stream"), tr("streams")), result->sealPath,
                                     QString::fromStdString(result->seal.digest));
        showResult(text, true);
        m_sealFile->setText(result->sealPath); // the next Verify checks against it
        Q_EMIT sealed(result->sealPath);
        Q_EMIT message(text);
        Q_EMIT finished();
        return;
    }
    const VerifyReport& report = result->report;
    m_lastOk = report.ok;
    if (report.ok) {
        QString text = tr("Verified: %1 in %2, all hash chains intact")
                           .arg(countText(report.eventsChecked, tr("event"), tr("events")),
                               countText(report.streamsChecked, tr("stream"), tr("streams")));
        if (result->againstSeal)
            text += tr("; the store still holds everything sealed at position %1").arg(result->seal.headPosition);
        showResult(text + u'.', true);
    } else if (!report.failedStream.empty()) {
        QString text = tr("Integrity failure: stream %1 fails verification at version %2")
                           .arg(QString::fromStdString(report.failedStream))
                           .arg(report.failedVersion);
        if (!report.message.empty())
            text += QStringLiteral(" (") + QString::fromStdString(report.message) + u')';
        showResult(text + u'.', false);
    } else {
        showResult(tr("Integrity failure: %1.").arg(QString::fromStdString(report.message)), false);
    }
    Q_EMIT finished();
}

} // namespace eventscope
