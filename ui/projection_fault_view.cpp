#include "ui/projection_fault_view.h"

#include "model/projection_admin.h"
#include "storage/time_format.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

QString eventText(const ProjectionFaultInfo& fault)
{
    return QObject::tr("Position %1 · %2 · version %3 of %4 · ID %5")
        .arg(fault.position)
        .arg(QString::fromStdString(fault.type))
        .arg(fault.version)
        .arg(QString::fromStdString(fault.stream), QString::fromStdString(fault.eventId));
}

} // namespace

ProjectionFaultView::ProjectionFaultView(QWidget* parent)
    : QWidget(parent)
    , m_event(new QLabel(this))
    , m_showEvent(new QLabel(this))
    , m_message(new QLabel(this))
    , m_stack(new QPlainTextEdit(this))
    , m_skipped(new QTreeWidget(this))
{
    m_event->setObjectName(QStringLiteral("faultEvent"));
    m_event->setWordWrap(true);
    m_event->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showEvent->setObjectName(QStringLiteral("faultShowEvent"));
    m_showEvent->setTextFormat(Qt::RichText);
    m_showEvent->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_showEvent->setToolTip(tr("Show this event in the inspector"));
    m_showEvent->setText(u"<a href=\"#show-event\">%1</a>"_s.arg(tr("Show event")));
    connect(m_showEvent, &QLabel::linkActivated, this, [this] { emit showEventRequested(m_eventId); });
    m_message->setObjectName(QStringLiteral("faultMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(209, 36, 47, 40); border: 1px solid rgba(209, 36, 47, 140); border-radius: 4px; "
        "padding: 6px; }"));
    m_stack->setObjectName(QStringLiteral("faultStack"));
    m_stack->setReadOnly(true);
    m_stack->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_stack->setPlaceholderText(tr("No JavaScript stack"));
    m_skipped->setObjectName(QStringLiteral("skippedList"));
    m_skipped->setRootIsDecorated(false);
    m_skipped->setHeaderLabels({ tr("Position"), tr("Type"), tr("Stream"), tr("Error"), tr("Faulted at") });
    m_skipped->header()->setStretchLastSection(false);
    m_skipped->header()->setSectionResizeMode(3, QHeaderView::Stretch);

    auto* skippedTitle = new QLabel(tr("Skipped events"), this);
    QFont bold = skippedTitle->font();
    bold.setBold(true);
    skippedTitle->setFont(bold);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto* eventLine = new QHBoxLayout;
    eventLine->addWidget(m_event, 1);
    eventLine->addWidget(m_showEvent, 0, Qt::AlignTop);
    layout->addLayout(eventLine);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 2);
    layout->addWidget(skippedTitle);
    layout->addWidget(m_skipped, 1);
    showSummary(nullptr);
}

void ProjectionFaultView::showSummary(const ProjectionSummary* summary)
{
    const ProjectionFaultInfo* fault = summary && summary->details.fault ? &*summary->details.fault : nullptr;
    m_hasFault = fault != nullptr;
    m_eventId = fault ? QString::fromStdString(fault->eventId) : QString();
    if (fault) {
        m_event->setText(tr("Faulted on: %1").arg(eventText(*fault)));
        m_message->setText(QString::fromStdString(fault->message));
        m_stack->setPlainText(QString::fromStdString(fault->stack));
    } else {
        m_event->setText(summary
                ? tr("The projection %1 has no fault.").arg(QString::fromStdString(summary->record.name))
                : tr("Choose a projection to see its fault, if it has one."));
        m_message->clear();
        m_stack->clear();
    }
    m_message->setVisible(fault != nullptr);
    m_showEvent->setVisible(!m_eventId.isEmpty());
    m_skipped->clear();
    if (!summary)
        return;
    for (const ProjectionFaultInfo& skipped : summary->details.skipped) {
        auto* item = new QTreeWidgetItem(m_skipped,
            { QString::number(skipped.position), QString::fromStdString(skipped.type),
                QString::fromStdString(skipped.stream), QString::fromStdString(skipped.message),
                skipped.time ? QString::fromStdString(formatTime(skipped.time)) : QString() });
        item->setToolTip(3, QString::fromStdString(skipped.stack));
    }
}

} // namespace eventscope
