// What the Projections tab's buttons do: runs on the page's ProjectionJob, deletes, swaps, rollbacks and exports
// in workers with connections of their own.

#include "model/projection_export.h"
#include "model/projection_list_model.h"
#include "storage/error.h"
#include "storage/event_store.h"
#include "ui/projection_editor.h"
#include "ui/projection_progress_view.h"
#include "ui/projection_shadow_view.h"
#include "ui/projection_states_view.h"
#include "ui/projections_page.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

void ProjectionsPage::replaceJob()
{
    if (m_job) {
        m_job->disconnect(this);
        if (m_job->isRunning()) {
            // Its end still arrives: the job goes then, and its thread with it.
            m_job->cancel();
            connect(m_job, &ProjectionJob::finished, m_job, &QObject::deleteLater);
            connect(m_job, &ProjectionJob::failed, m_job, &QObject::deleteLater);
        } else {
            m_job->deleteLater();
        }
        m_refreshTimer->stop();
    }
    m_job = new ProjectionJob(this);
    connect(m_job, &ProjectionJob::progress, this, [this](const ProjectionProgress& progress) {
        m_progress->showProgress(progress);
        if (m_job->request().mode != ProjectionJob::Mode::ShadowRebuild)
            m_list->setRate(m_job->request().name, progress.eventsPerSecond);
    });
    connect(m_job, &ProjectionJob::logLine, m_progress, &ProjectionProgressView::appendLog);
    connect(m_job, &ProjectionJob::pausedChanged, this, &ProjectionsPage::updateActions);
    connect(m_job, &ProjectionJob::finished, this, &ProjectionsPage::jobFinished);
    connect(m_job, &ProjectionJob::failed, this, &ProjectionsPage::jobFailed);
}

bool ProjectionsPage::confirmWrite(const QString& what)
{
    const QString blocked = writeBlockedReason();
    if (!blocked.isEmpty()) {
        emit message(blocked);
        return false;
    }
    if (isBusy())
        return false;
    return !m_production
        || QMessageBox::question(this, tr("Production store"),
               tr("This store is marked as production.\n\n%1?").arg(what), QMessageBox::Yes | QMessageBox::Cancel,
               QMessageBox::Cancel)
        == QMessageBox::Yes;
}

void ProjectionsPage::startJob(ProjectionJob::Mode mode, const QString& what)
{
    const QString name = currentName();
    if (name.isEmpty() || !confirmWrite(what))
        return;
    if (m_editor->problem() && !m_editor->isChecking()) {
        emit message(tr("The script has a problem: %1").arg(QString::fromStdString(m_editor->problem()->message)));
        m_tabs->setCurrentIndex(0);
        return;
    }
    ProjectionJob::Request request;
    request.sourceUri = m_sourceUri;
    request.targetUri = m_targetUri;
    request.name = name;
    request.script = m_editor->script();
    request.mode = mode;
    request.live = m_live->isChecked() && (mode == ProjectionJob::Mode::Run || mode == ProjectionJob::Mode::Retry);
    if (!m_job->start(request))
        return;
    m_progress->start(what + QStringLiteral("…"));
    m_tabs->setCurrentWidget(m_progress);
    m_refreshTimer->start();
    // The runner marks the record running (or rebuilding) first thing: the list shows it soon after.
    QTimer::singleShot(300, m_list, &ProjectionListModel::refresh);
    updateActions();
}

void ProjectionsPage::run()
{
    startJob(ProjectionJob::Mode::Run, tr("Running %1").arg(currentName()));
}

void ProjectionsPage::rebuild()
{
    startJob(ProjectionJob::Mode::Rebuild, tr("Rebuilding %1 from the first event").arg(currentName()));
}

void ProjectionsPage::shadowRebuild()
{
    const ProjectionSummary* summary = m_list->summary(m_selected);
    if (summary && summary->hasShadow && writeBlockedReason().isEmpty() && !isBusy()
        && QMessageBox::question(this, tr("Shadow rebuild"),
               tr("%1 has a shadow rebuild already. Rebuild it again with the script in the editor?").arg(m_selected),
               QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes)
            != QMessageBox::Yes)
        return;
    startJob(
        ProjectionJob::Mode::ShadowRebuild, tr("Rebuilding %1 into a shadow beside the live version").arg(m_selected));
}

void ProjectionsPage::retry()
{
    startJob(ProjectionJob::Mode::Retry, tr("Retrying %1 from the event it faulted on").arg(currentName()));
}

void ProjectionsPage::skipFault()
{
    startJob(
        ProjectionJob::Mode::SkipFault, tr("Skipping the event %1 faulted on, then running on").arg(currentName()));
}

void ProjectionsPage::togglePause()
{
    if (!m_job->isRunning())
        return;
    if (m_job->isPaused())
        m_job->resume();
    else
        m_job->pause();
    emit message(m_job->isPaused() ? tr("Projection %1 paused").arg(m_job->runName())
                                   : tr("Projection %1 resumed").arg(m_job->runName()));
}

void ProjectionsPage::cancel()
{
    m_job->cancel();
    updateActions();
}

void ProjectionsPage::jobFinished(const ProjectionRunResult& result)
{
    const QString sentence = ProjectionJob::endSentence(m_job->runName(), result);
    const ProjectionJob::Request& request = m_job->request();
    m_refreshTimer->stop();
    m_list->clearRate(request.name);
    m_progress->finish(sentence);
    m_showFault = result.end == ProjectionRunResult::End::Faulted;
    m_showShadow
        = request.mode == ProjectionJob::Mode::ShadowRebuild && result.end != ProjectionRunResult::End::Cancelled;
    if (request.name == m_selected)
        m_states->reload();
    m_list->refresh();
    emit message(sentence);
    emit runFinished(sentence);
    updateActions();
}

void ProjectionsPage::jobFailed(const QString& sentence)
{
    const QString text = tr("Projection %1 could not run: %2").arg(m_job->runName(), sentence);
    m_refreshTimer->stop();
    m_list->clearRate(m_job->request().name);
    m_progress->finish(text);
    m_list->refresh();
    emit message(text);
    emit runFinished(text);
    updateActions();
}

void ProjectionsPage::runAdmin(const QString& done, std::function<void(EventStore&)> action)
{
    m_adminBusy = true;
    updateActions();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, done] {
        const QString error = watcher->result();
        watcher->deleteLater();
        m_adminBusy = false;
        emit message(error.isEmpty() ? done : error);
        m_list->refresh();
        m_states->reload();
        emit writeFinished(error);
        updateActions();
    });
    watcher->setFuture(QtConcurrent::run([uri = m_targetUri.toStdString(), action]() -> QString {
        try {
            action(*openStore(uri));
            return {};
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}

void ProjectionsPage::deleteProjection()
{
    const QString name = m_selected;
    if (name.isEmpty() || !confirmWrite(tr("Delete the projection %1 with its states and versions").arg(name)))
        return;
    runAdmin(tr("Projection %1 was deleted").arg(name),
        [name = name.toStdString()](EventStore& target) { deleteProjectionVersions(target, name, AuditTool::Window); });
}

void ProjectionsPage::swapShadow()
{
    const QString name = m_selected;
    if (name.isEmpty() || !confirmWrite(tr("Make the shadow rebuild of %1 live").arg(name)))
        return;
    m_showShadow = true;
    runAdmin(tr("The shadow rebuild of %1 is live; the old version is kept for a rollback").arg(name),
        [name = name.toStdString()](EventStore& target) { eventscope::swapShadow(target, name, AuditTool::Window); });
}

void ProjectionsPage::rollback()
{
    const QString name = m_selected;
    if (name.isEmpty() || !confirmWrite(tr("Roll %1 back to the version the last swap put aside").arg(name)))
        return;
    m_showShadow = true;
    runAdmin(tr("Projection %1 was rolled back").arg(name),
        [name = name.toStdString()](EventStore& target) { rollbackSwap(target, name, AuditTool::Window); });
}

void ProjectionsPage::exportStates(const QString& path)
{
    const QString name = m_selected;
    if (name.isEmpty() || m_targetUri.isEmpty() || m_exporting || path.isEmpty())
        return;
    m_exporting = true;
    updateActions();
    using Outcome = std::pair<qint64, QString>;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, name, path] {
        const auto [count, error] = watcher->result();
        watcher->deleteLater();
        m_exporting = false;
        emit message(error.isEmpty() ? tr("Exported %1 states of %2 to %3")
                                           .arg(QLocale().toString(count), name, QDir::toNativeSeparators(path))
                                     : error);
        emit writeFinished(error);
        updateActions();
    });
    watcher->setFuture(QtConcurrent::run([uri = m_targetUri.toStdString(), name = name.toStdString(), path] {
        try {
            return Outcome { exportProjectionStates(*openStore(uri), name, path, projectionExportFormatFor(path)), {} };
        } catch (const std::exception& e) {
            return Outcome { 0, QString::fromStdString(e.what()) };
        }
    }));
}

void ProjectionsPage::promptExport()
{
    if (m_selected.isEmpty())
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the states of %1").arg(m_selected),
        QDir(folder).filePath(m_selected + QStringLiteral("-states.csv")), tr("CSV (*.csv);;NDJSON (*.ndjson)"),
        &filter);
    if (path.isEmpty())
        return;
    if (!path.contains(QLatin1Char('.')))
        path += filter.contains(QLatin1String("ndjson")) ? QStringLiteral(".ndjson") : QStringLiteral(".csv");
    exportStates(path);
}

QString ProjectionsPage::newProjectionProblem(const QString& name) const
{
    const QString blocked = writeBlockedReason();
    if (!blocked.isEmpty())
        return blocked;
    try {
        checkProjectionName(name.toStdString());
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    if (m_list->rowOf(name) >= 0)
        return tr("There is a projection named %1 already").arg(name);
    return {};
}

bool ProjectionsPage::newProjection(const QString& name)
{
    const QString problem = newProjectionProblem(name);
    if (!problem.isEmpty()) {
        emit message(problem);
        return false;
    }
    m_selected.clear(); // first: the cleared selection below is then no change of projection
    m_newName = name;
    m_view->selectionModel()->clear();
    m_editor->setScript(ProjectionEditor::exampleScript());
    showDetails(false);
    m_tabs->setCurrentIndex(0);
    m_editor->textEdit()->setFocus();
    updateTitle();
    updateActions();
    return true;
}

void ProjectionsPage::promptNewProjection()
{
    QString name;
    for (;;) {
        bool ok = false;
        name = QInputDialog::getText(
            this, tr("New projection"), tr("Name of the projection:"), QLineEdit::Normal, name, &ok)
                   .trimmed();
        if (!ok)
            return;
        const QString problem = newProjectionProblem(name);
        if (problem.isEmpty()) {
            newProjection(name);
            return;
        }
        QMessageBox::warning(this, tr("New projection"), problem);
    }
}

} // namespace eventscope
