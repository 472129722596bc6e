// The Audit tab's actions that write files: exports, and the saved queries kept beside the workspace.

#include "ui/audit_page.h"

#include "model/audit_job.h"
#include "model/saved_audit_queries.h"
#include "storage/error.h"
#include "ui/audit_query_form.h"
#include "ui/count_text.h"
#include "ui/redaction_list_editor.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace eventscope {

namespace {

const QString kGood = QStringLiteral("color: #2e7d32;");
const QString kBad = QStringLiteral("color: #c62828;");

} // namespace

void AuditPage::chooseExport()
{
    QString filter;
    const QString csv = tr("CSV (*.csv)");
    const QString ndjson = tr("NDJSON (*.ndjson)");
    const QString pdf = tr("PDF report (*.pdf)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export the audit"), QStringLiteral("audit.csv"),
        csv + QStringLiteral(";;") + ndjson + QStringLiteral(";;") + pdf, &filter);
    if (path.isEmpty())
        return;
    const AuditFormat format
        = filter == pdf ? AuditFormat::Pdf : (filter == ndjson ? AuditFormat::Ndjson : AuditFormat::Csv);
    const QString suffix = QString::fromStdString(auditFormatName(format));
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + suffix;
    exportTo(path, format);
}

void AuditPage::exportTo(const QString& path, AuditFormat format)
{
    if (m_uri.isEmpty() || isExporting())
        return;
    AuditExportRequest request;
    try {
        request.query = m_form->query();
    } catch (const Error& error) {
        showExportText(QString::fromStdString(error.what()), false);
        Q_EMIT exportEnded();
        return;
    }
    request.redactions = m_redactions->paths();
    request.format = format;
    request.path = path;
    m_exportPath = path;
    m_exportJob->startExport(uriFor(request.query), request);
    setExporting(true);
    m_exportText->setStyleSheet({});
    m_exportText->setText(tr("Exporting %1 to %2…").arg(QString::fromStdString(request.query.describe()), path));
}

void AuditPage::cancelExport()
{
    m_exportJob->cancel();
}

bool AuditPage::isExporting() const
{
    return m_exportJob->isRunning();
}

QString AuditPage::exportText() const
{
    return m_exportText->text();
}

void AuditPage::setExporting(bool exporting)
{
    m_export->setEnabled(!exporting);
    m_exportCancel->setEnabled(exporting);
    m_exportProgress->setVisible(exporting);
    m_exportProgress->setRange(0, 0); // busy until the first progress report
    m_exportEta->setVisible(exporting);
    m_exportEta->clear();
}

void AuditPage::showExportText(const QString& text, bool good)
{
    m_exportText->setText(text);
    m_exportText->setStyleSheet(good ? kGood : kBad);
    Q_EMIT message(text);
}

void AuditPage::takeExport(const std::shared_ptr<const AuditJobResult>& result)
{
    setExporting(false);
    const AuditExportResult& done = result->exported;
    showExportText(tr("Exported %1 to %2 (SHA-256 %3 written to %4)")
                       .arg(countText(done.events, tr("event"), tr("events")), done.path,
                           QString::fromLatin1(done.sha256), done.digestPath),
        true);
    Q_EMIT exportEnded();
}

void AuditPage::reloadSavedQueries(const QString& select)
{
    m_saved->clear();
    m_saved->addItem(tr("(none)"), QString());
    if (m_savedQueries) {
        try {
            m_savedQueries->load();
        } catch (const Error& error) {
            showStatus(QString::fromStdString(error.what()), true);
        }
        for (const SavedAuditQuery& saved : m_savedQueries->queries())
            m_saved->addItem(saved.name, saved.name);
    }
    m_saved->setCurrentIndex(std::max(0, m_saved->findData(select)));
    updateSavedButtons();
}

void AuditPage::updateSavedButtons()
{
    m_saveButton->setEnabled(m_savedQueries != nullptr);
    m_deleteButton->setEnabled(m_savedQueries && !m_saved->currentData().toString().isEmpty());
}

void AuditPage::askSaveName()
{
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Save the audit query"), tr("Name:"), QLineEdit::Normal, m_saved->currentData().toString(), &ok);
    if (ok && !name.trimmed().isEmpty())
        saveQueryAs(name.trimmed());
}

bool AuditPage::saveQueryAs(const QString& name)
{
    if (!m_savedQueries)
        return false;
    try {
        m_savedQueries->put({ name, m_form->query(), m_redactions->paths() });
        m_savedQueries->save();
    } catch (const Error& error) {
        showStatus(QString::fromStdString(error.what()), true);
        return false;
    }
    reloadSavedQueries(name);
    showStatus(tr("Saved the query as \"%1\".").arg(name));
    return true;
}

void AuditPage::loadSavedQuery(const QString& name)
{
    const auto saved = m_savedQueries ? m_savedQueries->find(name) : std::nullopt;
    if (!saved)
        return;
    m_form->setQuery(saved->query);
    m_redactions->setPaths(saved->redactions);
    m_saved->setCurrentIndex(std::max(0, m_saved->findData(name)));
    run();
}

void AuditPage::deleteSavedQuery(const QString& name)
{
    if (!m_savedQueries || name.isEmpty() || !m_savedQueries->remove(name))
        return;
    try {
        m_savedQueries->save();
    } catch (const Error& error) {
        showStatus(QString::fromStdString(error.what()), true);
    }
    reloadSavedQueries();
    showStatus(tr("Deleted the saved query \"%1\".").arg(name));
}

} // namespace eventscope
