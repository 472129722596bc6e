#include "ui/projection_shadow_view.h"

#include "storage/event_store.h"
#include "ui/changes_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
namespace {

QString kindText(PartitionDifference::Kind kind)
{
    switch (kind) {
    case PartitionDifference::Kind::Added:
        return QObject::tr("added");
    case PartitionDifference::Kind::Removed:
        return QObject::tr("removed");
    case PartitionDifference::Kind::Changed:
        break;
    }
    return QObject::tr("changed");
}

} // namespace

ProjectionShadowView::ProjectionShadowView(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_list(new QTreeWidget(this))
    , m_changes(new ChangesView(this))
    , m_swap(new QPushButton(tr("Swap"), this))
    , m_rollback(new QPushButton(tr("Roll back"), this))
{
    m_summary->setObjectName(QStringLiteral("shadowSummary"));
    m_summary->setWordWrap(true);
    m_list->setObjectName(QStringLiteral("shadowDifferences"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setHeaderLabels({ tr("Partition"), tr("Change"), tr("Changes") });
    m_list->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_changes->setObjectName(QStringLiteral("shadowChanges"));
    m_swap->setObjectName(QStringLiteral("swapButton"));
    m_rollback->setObjectName(QStringLiteral("rollbackButton"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_swap);
    buttons->addWidget(m_rollback);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_changes);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &ProjectionShadowView::takeResult);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &ProjectionShadowView::showSelected);
    connect(m_swap, &QPushButton::clicked, this, &ProjectionShadowView::swapRequested);
    connect(m_rollback, &QPushButton::clicked, this, &ProjectionShadowView::rollbackRequested);
    showProjection({}, nullptr);
}

ProjectionShadowView::~ProjectionShadowView()
{
    m_watcher.waitForFinished();
}

void ProjectionShadowView::showProjection(const QString& targetUri, const ProjectionSummary* summary)
{
    m_uri = targetUri;
    m_name = summary ? QString::fromStdString(summary->record.name) : QString();
    m_hasShadow = summary && summary->hasShadow;
    m_hasPrevious = summary && summary->hasPrevious;
    ++m_generation;
    m_comparison.reset();
    m_list->clear();
    m_changes->clear();
    if (!summary)
        m_summary->setText(tr("Choose a projection."));
    else if (!m_hasShadow)
        m_summary->setText(m_hasPrevious
                ? tr("No shadow rebuild of %1. Roll back returns to the version the last swap put aside.").arg(m_name)
                : tr("No shadow rebuild of %1. Shadow rebuild… writes one beside the live version to compare.")
                      .arg(m_name));
    else {
        m_summary->setText(tr("Comparing %1 with its shadow rebuild…").arg(m_name));
        start();
    }
    updateButtons();
}

void ProjectionShadowView::setActionsAllowed(bool allowed, const QString& why)
{
    m_allowed = allowed;
    m_why = why;
    updateButtons();
}

void ProjectionShadowView::updateButtons()
{
    m_swap->setEnabled(m_allowed && m_hasShadow);
    m_rollback->setEnabled(m_allowed && m_hasPrevious);
    m_swap->setToolTip(m_allowed ? tr("Make the shadow rebuild live; the live version is kept for a rollback") : m_why);
    m_rollback->setToolTip(m_allowed ? tr("Make the version the last swap put aside live again") : m_why);
}

void ProjectionShadowView::start()
{
    if (m_watcher.isRunning())
        return; // takeResult() compares again for the newest projection
    m_watcher.setFuture(
        QtConcurrent::run([uri = m_uri.toStdString(), name = m_name.toStdString(), generation = m_generation] {
            Result result;
            result.generation = generation;
            try {
                result.comparison = std::make_shared<const ProjectionComparison>(
                    compareProjections(*openStore(uri), name, shadowName(name)));
            } catch (const std::exception& e) {
                result.error = QString::fromStdString(e.what());
            }
            return result;
        }));
}

void ProjectionShadowView::takeResult()
{
    Result result = m_watcher.result();
    if (result.generation != m_generation) {
        if (m_hasShadow)
            start();
        return;
    }
    if (!result.error.isEmpty()) {
        m_summary->setText(result.error);
        return;
    }
    m_comparison = std::move(result.comparison);
    const QLocale locale;
    const auto& differences = m_comparison->differences;
    QString text = tr("%1 partitions differ, %2 are the same")
                       .arg(locale.toString(qint64(differences.size())), locale.toString(m_comparison->unchanged));
    if (differences.size() > std::size_t(maxListed))
        text += tr(" (the first %1 are listed)").arg(locale.toString(maxListed));
    m_summary->setText(text);
    const std::size_t listed = std::min(differences.size(), std::size_t(maxListed));
    QList<QTreeWidgetItem*> items;
    items.reserve(qsizetype(listed));
    for (std::size_t i = 0; i < listed; ++i) {
        const PartitionDifference& difference = differences[i];
        auto* item = new QTreeWidgetItem({ QString::fromStdString(difference.partition), kindText(difference.kind),
            difference.kind == PartitionDifference::Kind::Changed ? QString::number(difference.changes.size())
                                                                  : QString() });
        item->setData(0, Qt::UserRole, qulonglong(i));
        items.append(item);
    }
    m_list->addTopLevelItems(items);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.front());
    else
        m_changes->setChanges({}, tr("The shadow rebuild has the same states as the live version"));
    emit compared();
}

void ProjectionShadowView::showSelected()
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item || !m_comparison)
        return;
    const PartitionDifference& difference = m_comparison->differences[item->data(0, Qt::UserRole).toULongLong()];
    // A whole partition added or removed is one change of the whole state.
    switch (difference.kind) {
    case PartitionDifference::Kind::Added:
        m_changes->setChanges({ { JsonChange::Kind::Added, {}, {}, parseJsonOrText(difference.after) } }, {});
        break;
    case PartitionDifference::Kind::Removed:
        m_changes->setChanges({ { JsonChange::Kind::Removed, {}, parseJsonOrText(difference.before), {} } }, {});
        break;
    case PartitionDifference::Kind::Changed:
        m_changes->setChanges(difference.changes, tr("No difference"));
        break;
    }
}

} // namespace eventscope
