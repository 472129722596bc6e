#include "ui/projection_states_view.h"

#include "model/projection_states_model.h"
#include "ui/json_highlighter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace eventscope {

ProjectionStatesView::ProjectionStatesView(QWidget* parent)
    : QWidget(parent)
    , m_model(new ProjectionStatesModel(this))
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
    , m_state(new QPlainTextEdit(this))
    , m_searchDelay(new QTimer(this))
{
    m_search->setObjectName(QStringLiteral("statesSearch"));
    m_search->setPlaceholderText(tr("Search partitions and states"));
    m_search->setClearButtonEnabled(true);
    m_count->setObjectName(QStringLiteral("statesCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);

    m_table->setObjectName(QStringLiteral("statesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ProjectionStatesModel::Partition, 200);

    m_state->setObjectName(QStringLiteral("stateText"));
    m_state->setReadOnly(true);
    m_state->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_state->setPlaceholderText(tr("Select a partition to see its state"));
    auto* highlighter = new JsonHighlighter(m_state->document());
    highlighter->setPalette(m_state->palette());

    auto* top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_count);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_state);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    // A search a moment after typing stops: each one walks every partition in a worker.
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, [this] { m_model->setSearch(m_search->text()); });
    connect(m_model, &ProjectionStatesModel::statusChanged, this, &ProjectionStatesView::updateCount);
    // The first row is chosen as soon as there is one: a search shows its first match while it goes on.
    const auto selectFirst = [this] {
        if (m_model->rowCount() > 0 && !m_table->currentIndex().isValid())
            m_table->selectRow(0);
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, [this, selectFirst] {
        selectFirst();
        showSelected(); // a reset drops the current row without a signal
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, selectFirst);
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProjectionStatesView::showSelected);
}

void ProjectionStatesView::showProjection(const QString& targetUri, const QString& name)
{
    if (name != m_model->projection())
        m_state->clear();
    m_model->load(targetUri, name);
}

void ProjectionStatesView::reload()
{
    m_model->reload();
}

void ProjectionStatesView::updateCount()
{
    const QLocale locale;
    const qint64 total = m_model->totalCount();
    if (!m_model->error().isEmpty())
        m_count->setText(m_model->error());
    else if (m_model->isSearching())
        m_count->setText(tr("%1 found, searching… (scanned %2)")
                             .arg(locale.toString(m_model->matchCount()), locale.toString(m_model->scannedCount())));
    else if (total < 0)
        m_count->clear(); // not read yet
    else if (m_model->search().isEmpty())
        m_count->setText(tr("%1 partitions").arg(locale.toString(total)));
    else if (m_model->matchLimitReached())
        m_count->setText(tr("The first %1 matches of %2 partitions")
                             .arg(locale.toString(m_model->matchCount()), locale.toString(total)));
    else
        m_count->setText(tr("%1 of %2 partitions").arg(locale.toString(m_model->matchCount()), locale.toString(total)));
}

void ProjectionStatesView::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_state->clear();
        return;
    }
    const QString text = current.siblingAtColumn(0).data(ProjectionStatesModel::StateRole).toString();
    // Indented in the script's member order; a state that is not JSON is shown as stored.
    const auto json = nlohmann::ordered_json::parse(text.toStdString(), nullptr, false);
    m_state->setPlainText(json.is_discarded()
            ? text
            : QString::fromStdString(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
}

} // namespace eventscope
