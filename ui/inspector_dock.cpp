#include "ui/inspector_dock.h"

#include "model/json_tree_model.h"
#include "storage/time_format.h"
#include "ui/json_highlighter.h"
#include "ui/json_pane.h"

#include <QClipboard>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cstdlib>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

std::int64_t floorDiv(std::int64_t value, std::int64_t divisor)
{
    return value / divisor - (value % divisor < 0 ? 1 : 0);
}

// The same instant on this machine's clock, to the microsecond, with its offset from UTC.
QString localTime(Micros time)
{
    const std::int64_t seconds = floorDiv(time, 1'000'000);
    const QDateTime local = QDateTime::fromSecsSinceEpoch(seconds).toLocalTime();
    const int offset = local.offsetFromUtc();
    const int minutes = std::abs(offset) / 60;
    return local.toString(u"yyyy-MM-dd HH:mm:ss"_s) + u'.'
        + QString::number(time - seconds * 1'000'000).rightJustified(6, u'0') + u' ' + QChar(offset < 0 ? u'-' : u'+')
        + QString::number(minutes / 60).rightJustified(2, u'0') + u':'
        + QString::number(minutes % 60).rightJustified(2, u'0');
}

QFont monospace()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

// The colour is spelled out: rich text would take the application's link colour, not the dock's.
QString linkHtml(const QString& text, const QPalette& palette)
{
    return u"<a href=\"#\" style=\"text-decoration:none; color:"_s + palette.color(QPalette::Link).name() + u"\">"_s
        + text.toHtmlEscaped() + u"</a>"_s;
}

void copyText(const QString& text)
{
    QGuiApplication::clipboard()->setText(text);
}

} // namespace

InspectorDock::InspectorDock(QWidget* parent)
    : QDockWidget(tr("Inspector"), parent)
{
    setObjectName(u"inspectorDock"_s);
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    m_pages = new QStackedWidget(this);
    auto* placeholder = new QLabel(tr("Select an event to inspect it"), m_pages);
    placeholder->setObjectName(u"inspectorPlaceholder"_s);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    placeholder->setMargin(24);
    m_pages->addWidget(placeholder);

    auto* content = new QWidget(m_pages);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createHeader());
    auto* tabs = new QTabWidget(content);
    tabs->setObjectName(u"inspectorTabs"_s);
    tabs->setDocumentMode(true);
    m_data = new JsonPane(u"data"_s, tabs);
    m_metadata = new JsonPane(u"metadata"_s, tabs);
    tabs->addTab(m_data, tr("Data"));
    tabs->addTab(m_metadata, tr("Metadata"));
    m_raw = new QPlainTextEdit(tabs);
    m_raw->setObjectName(u"rawText"_s);
    m_raw->setReadOnly(true);
    m_raw->setFont(monospace());
    m_raw->setFrameShape(QFrame::NoFrame);
    m_highlighter = new JsonHighlighter(m_raw->document());
    tabs->addTab(m_raw, tr("Raw"));
    layout->addWidget(tabs, 1);
    m_pages->addWidget(content);

    setWidget(m_pages);
    applyPalette();
}

InspectorDock::~InspectorDock() = default;

JsonTreeModel* InspectorDock::dataModel() const
{
    return m_data->model();
}

JsonTreeModel* InspectorDock::metadataModel() const
{
    return m_metadata->model();
}

QWidget* InspectorDock::createHeader()
{
    auto* header = new QWidget(this);
    auto* grid = new QGridLayout(header);
    grid->setContentsMargins(12, 10, 12, 10);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(5);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);

    m_type = new QLabel(header);
    m_type->setObjectName(u"typeLabel"_s);
    QFont title = m_type->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.25);
    m_type->setFont(title);
    m_type->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_type->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_type->installEventFilter(this);
    grid->addWidget(m_type, 0, 0, 1, 4);
    grid->setRowMinimumHeight(0, m_type->sizeHint().height() + 4);

    int row = 1;
    auto name = [&](const QString& text, int column = 0) {
        auto* label = new QLabel(text, header);
        label->setForegroundRole(QPalette::PlaceholderText);
        grid->addWidget(label, row, column);
    };
    auto wide = [&](const QString& label, QWidget* value) {
        name(label);
        grid->addWidget(value, row++, 1, 1, 3);
    };
    auto withAction = [&](QLabel* value, QLabel* action) {
        auto* box = new QWidget(header);
        auto* boxLayout = new QHBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(10);
        boxLayout->addWidget(value, 1);
        boxLayout->addWidget(action);
        return box;
    };

    m_stream = addValue(u"streamLink"_s, true);
    wide(tr("Stream"), m_stream);

    m_position = addValue(u"positionLabel"_s);
    m_version = addValue(u"versionLabel"_s);
    name(tr("Position"));
    grid->addWidget(m_position, row, 1);
    name(tr("Version"), 2);
    grid->addWidget(m_version, row++, 3);

    m_timeUtc = addValue(u"timeUtcLabel"_s);
    wide(tr("Time"), m_timeUtc);
    m_timeLocal = addValue(u"timeLocalLabel"_s);
    wide(tr("Local"), m_timeLocal);

    m_id = addValue(u"idLabel"_s);
    auto* copyId = addActionLink(u"copyIdLink"_s, tr("copy"), tr("Copy the event ID"));
    connect(copyId, &QLabel::linkActivated, this, [this, copyId] {
        if (!m_event)
            return;
        copyText(fromStd(m_event->id));
        setActionLink(copyId, tr("copied"));
        QTimer::singleShot(1500, copyId, [this, copyId] { setActionLink(copyId, tr("copy")); });
    });
    wide(tr("ID"), withAction(m_id, copyId));

    m_correlation = addValue(u"correlationLink"_s, true);
    connect(m_correlation, &QLabel::linkActivated, this, [this] {
        if (m_event && !m_event->correlation.empty())
            emit showCorrelationRequested(fromStd(m_event->correlation));
    });
    m_flowLink = addActionLink(u"flowLink"_s, tr("flow"), tr("Follow this correlation across streams in the Flow tab"));
    connect(m_flowLink, &QLabel::linkActivated, this, [this] {
        if (m_event && !m_event->correlation.empty())
            emit showFlowRequested(fromStd(m_event->correlation));
    });
    wide(tr("Correlation"), withAction(m_correlation, m_flowLink));

    m_causation = addValue(u"causationLink"_s, true);
    connect(m_causation, &QLabel::linkActivated, this, [this] {
        if (m_event && !m_event->causation.empty())
            emit goToEventRequested(fromStd(m_event->causation));
    });
    m_sameCause = addActionLink(u"sameCauseLink"_s, tr("same cause"), tr("Show every event with this causation ID"));
    connect(m_sameCause, &QLabel::linkActivated, this, [this] {
        if (m_event && !m_event->causation.empty())
            emit showCausationRequested(fromStd(m_event->causation));
    });
    wide(tr("Causation"), withAction(m_causation, m_sameCause));

    m_actor = addValue(u"actorLabel"_s);
    m_schemaVersion = addValue(u"schemaVersionLabel"_s);
    name(tr("Actor"));
    grid->addWidget(m_actor, row, 1);
    name(tr("Schema"), 2);
    grid->addWidget(m_schemaVersion, row++, 3);

    connect(m_stream, &QLabel::linkActivated, this, [this] {
        if (m_event)
            emit openStreamRequested(fromStd(m_event->stream));
    });
    return header;
}

QLabel* InspectorDock::addActionLink(const QString& name, const QString& text, const QString& toolTip)
{
    auto* label = new QLabel(this);
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    label->setToolTip(toolTip);
    // Wide enough for its longest wording, so the row does not shift when "copy" turns to "copied".
    label->setMinimumWidth(label->fontMetrics().horizontalAdvance(text + u"ed"_s));
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    setActionLink(label, text);
    return label;
}

void InspectorDock::setActionLink(QLabel* label, const QString& text)
{
    m_actions[label] = text;
    label->setText(linkHtml(text, palette()));
}

QLabel* InspectorDock::addValue(const QString& name, bool link)
{
    auto* label = new QLabel(this);
    label->setObjectName(name);
    label->setFont(monospace());
    // Ignored: the label takes the width the dock gives and elides to it, instead of widening the dock.
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label->setTextFormat(link ? Qt::RichText : Qt::PlainText);
    label->setTextInteractionFlags(link ? Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard
                                        : Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->installEventFilter(this);
    m_fields.insert(label, {});
    return label;
}

void InspectorDock::inspect(const Event& event)
{
    m_event = event;
    setField(m_type, fromStd(event.type));
    setField(m_stream, fromStd(event.stream), true);
    m_stream->setToolTip(tr("Open stream %1").arg(fromStd(event.stream)));
    setField(m_position, QString::number(event.position));
    setField(m_version, QString::number(event.version));
    setField(m_timeUtc, fromStd(formatTime(event.time)));
    setField(m_timeLocal, localTime(event.time));
    setField(m_id, fromStd(event.id));
    setField(m_correlation, fromStd(event.correlation), true);
    if (!event.correlation.empty())
        m_correlation->setToolTip(tr("Show every event with correlation ID %1").arg(fromStd(event.correlation)));
    setField(m_causation, fromStd(event.causation), true);
    if (!event.causation.empty())
        m_causation->setToolTip(tr("Go to the causing event %1").arg(fromStd(event.causation)));
    m_sameCause->setVisible(!event.causation.empty());
    m_flowLink->setVisible(!event.correlation.empty());
    setField(m_actor, fromStd(event.actor));
    setField(m_schemaVersion, event.schemaVersion ? QString::number(*event.schemaVersion) : QString());

    m_data->showJson(event.data);
    m_metadata->showJson(event.metadata);
    m_raw->setPlainText(rawText());
    m_pages->setCurrentIndex(1);
}

void InspectorDock::clear()
{
    m_event.reset();
    m_data->clear();
    m_metadata->clear();
    m_raw->clear();
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        it->text.clear();
        it.key()->clear();
    }
    m_pages->setCurrentIndex(0);
}

void InspectorDock::setField(QLabel* label, const QString& text, bool link)
{
    m_fields[label] = { text, link };
    label->setToolTip(text);
    elide(label);
}

void InspectorDock::elide(QLabel* label)
{
    const Field field = m_fields.value(label);
    if (field.text.isEmpty()) {
        label->setText(label == m_type ? QString() : u"—"_s);
        label->setEnabled(false);
        return;
    }
    label->setEnabled(true);
    const int width = label->contentsRect().width();
    // Middle elision keeps both ends of an ID or a stream name, which is where they differ.
    const QString shown = width > 0 ? label->fontMetrics().elidedText(field.text, Qt::ElideMiddle, width) : field.text;
    if (field.link)
        label->setText(linkHtml(shown, palette()));
    else
        label->setText(shown);
}

bool InspectorDock::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize) {
        auto* label = qobject_cast<QLabel*>(watched);
        if (label && m_fields.contains(label))
            elide(label);
    }
    return QDockWidget::eventFilter(watched, event);
}

void InspectorDock::changeEvent(QEvent* event)
{
    QDockWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        applyPalette();
        // Links carry their colour in their text, so they are written again in the new colours.
        for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it)
            elide(it.key());
        const QHash<QLabel*, QString> actions = m_actions;
        for (auto it = actions.cbegin(); it != actions.cend(); ++it)
            setActionLink(it.key(), it.value());
    }
}

void InspectorDock::applyPalette()
{
    const QPalette colours = palette();
    const bool dark = JsonHighlighter::isDark(colours);
    m_highlighter->setPalette(colours);
    const QBrush muted = colours.brush(QPalette::PlaceholderText);
    auto token = [dark](JsonHighlighter::Token t) { return QBrush(JsonHighlighter::color(t, dark)); };
    const std::pair<JsonTreeModel::Kind, QBrush> kinds[] = { { JsonTreeModel::String, token(JsonHighlighter::String) },
        { JsonTreeModel::Number, token(JsonHighlighter::Number) },
        { JsonTreeModel::Boolean, token(JsonHighlighter::Keyword) },
        { JsonTreeModel::Null, token(JsonHighlighter::Keyword) }, { JsonTreeModel::Object, muted },
        { JsonTreeModel::Array, muted }, { JsonTreeModel::Bytes, muted } };
    for (JsonTreeModel* model : { m_data->model(), m_metadata->model() }) {
        model->setTypeForeground(muted);
        for (const auto& [kind, brush] : kinds)
            model->setKindForeground(kind, brush);
        // Amber reads as "found" on either background and leaves the selection colour to the selection.
        model->setMatchBackground(QBrush(dark ? QColor(0x6b, 0x55, 0x00) : QColor(0xff, 0xe5, 0x8f)));
    }
}

QString InspectorDock::rawText() const
{
    // The record as `eventscope read` prints it (DESIGN §8), one field a line, the payloads indented within.
    const Event& event = *m_event;
    auto nested = [](QString json) { return json.replace(u'\n', u"\n  "_s); };
    const QString fields[][2] = {
        { u"position"_s, QString::number(event.position) },
        { u"stream"_s, JsonTreeModel::jsonString(fromStd(event.stream)) },
        { u"version"_s, QString::number(event.version) },
        { u"id"_s, JsonTreeModel::jsonString(fromStd(event.id)) },
        { u"type"_s, JsonTreeModel::jsonString(fromStd(event.type)) },
        { u"time"_s, JsonTreeModel::jsonString(fromStd(formatTime(event.time))) },
        { u"data"_s, nested(m_data->model()->toJson()) },
        { u"metadata"_s, nested(m_metadata->model()->toJson()) },
    };
    QStringList lines;
    for (const auto& field : fields)
        lines << u"  "_s + JsonTreeModel::jsonString(field[0]) + u": "_s + field[1];
    return u"{\n"_s + lines.join(u",\n"_s) + u"\n}"_s;
}

} // namespace eventscope
