#include "ui/event_filter_bar.h"

#include "model/store_catalog.h"
#include "ui/type_picker.h"

#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

#include <tuple>
#include <utility>

namespace eventscope {
namespace {

constexpr Micros microsPerSecond = 1'000'000;
const QString timeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

bool sameFilters(const EventQuery& a, const EventQuery& b)
{
    return a.types == b.types && a.category == b.category && a.stream == b.stream && a.actor == b.actor
        && a.correlation == b.correlation && a.causation == b.causation && a.since == b.since && a.until == b.until
        && a.includeSystem == b.includeSystem;
}

std::optional<std::string> textOf(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    return trimmed.toStdString();
}

QString qstring(const std::optional<std::string>& text)
{
    return text ? QString::fromStdString(*text) : QString();
}

Micros floorSeconds(Micros time)
{
    return time / microsPerSecond - (time % microsPerSecond < 0 ? 1 : 0);
}

QLineEdit* makeLineEdit(QWidget* parent, const char* name, const QString& placeholder, const QString& tip)
{
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tip);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace

EventFilterBar::EventFilterBar(QWidget* parent)
    : QWidget(parent)
{
    m_streamEdit = makeLineEdit(this, "streamEdit", tr("Stream, e.g. order-123"),
        tr("Read one stream, in version order. Press Enter to apply."));
    m_categoryCombo = new QComboBox(this);
    m_categoryCombo->setObjectName(QStringLiteral("categoryCombo"));
    m_categoryCombo->setEditable(true);
    m_categoryCombo->setInsertPolicy(QComboBox::NoInsert);
    m_categoryCombo->lineEdit()->setPlaceholderText(tr("Category"));
    m_categoryCombo->lineEdit()->setClearButtonEnabled(true);
    m_categoryCombo->setToolTip(
        tr("Streams of one category: the part of a stream's name before its first dash, e.g. order"));
    m_categoryCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_categoryCombo->setMinimumContentsLength(8);
    m_categoryCombo->setMaxVisibleItems(20);
    // Stores may hold thousands of categories: a popup of those containing the typed text finds one fast.
    auto* completer = new QCompleter(m_categoryCombo->model(), m_categoryCombo);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_categoryCombo->setCompleter(completer);

    m_typesButton = new QToolButton(this);
    m_typesButton->setObjectName(QStringLiteral("typesButton"));
    m_typesButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_typesButton->setArrowType(Qt::DownArrow);
    m_typesButton->setMinimumWidth(110);
    m_actorEdit = makeLineEdit(
        this, "actorEdit", tr("Actor"), tr("The user who caused the events, e.g. u-17. Press Enter to apply."));
    m_correlationEdit = makeLineEdit(
        this, "correlationEdit", tr("Correlation ID"), tr("Events sharing this correlation ID. Press Enter to apply."));

    auto makeTime = [this](const char* checkName, const QString& label, const char* editName) {
        auto* check = new QCheckBox(label, this);
        check->setObjectName(QLatin1String(checkName));
        auto* edit = new QDateTimeEdit(this);
        edit->setObjectName(QLatin1String(editName));
        edit->setDisplayFormat(timeFormat);
        edit->setCalendarPopup(true);
        edit->setTimeSpec(Qt::UTC);
        edit->setEnabled(false);
        connect(check, &QCheckBox::toggled, this, [this, edit](bool on) {
            edit->setEnabled(on);
            if (!m_filling)
                apply(true);
        });
        connect(edit, &QDateTimeEdit::editingFinished, this, [this] {
            if (!m_filling)
                apply(true);
        });
        // A day picked in the calendar ends in editingFinished only if the focus comes back to the editor, which
        // depends on the window system; the click itself is the choice. Queued: the editor takes the day first.
        if (QCalendarWidget* calendar = edit->calendarWidget()) {
            for (auto picked : { &QCalendarWidget::clicked, &QCalendarWidget::activated })
                connect(
                    calendar, picked, this, [this] { apply(true); }, Qt::QueuedConnection);
        }
        return std::pair { check, edit };
    };
    std::tie(m_sinceCheck, m_sinceEdit) = makeTime("sinceCheck", tr("From"), "sinceEdit");
    std::tie(m_untilCheck, m_untilEdit) = makeTime("untilCheck", tr("To"), "untilEdit");

    m_causationChip = new QToolButton(this);
    m_causationChip->setObjectName(QStringLiteral("causationChip"));
    m_causationChip->setAutoRaise(false);
    m_causationChip->hide();
    m_clearButton = new QToolButton(this);
    m_clearButton->setObjectName(QStringLiteral("clearButton"));
    m_clearButton->setText(tr("Clear"));
    m_clearButton->setToolTip(tr("Remove every filter"));

    // Two rows, so that the Events tab fits between the navigator and the inspector on a laptop screen: what
    // to match first, then when.
    auto* rows = new QVBoxLayout(this);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(4);
    auto* fields = new QHBoxLayout;
    fields->setSpacing(6);
    fields->addWidget(m_streamEdit, 3);
    fields->addWidget(m_categoryCombo, 2);
    fields->addWidget(m_typesButton, 0);
    fields->addWidget(m_actorEdit, 2);
    fields->addWidget(m_correlationEdit, 4);
    auto* times = new QHBoxLayout;
    times->setSpacing(6);
    times->addWidget(m_sinceCheck);
    times->addWidget(m_sinceEdit);
    times->addSpacing(6);
    times->addWidget(m_untilCheck);
    times->addWidget(m_untilEdit);
    times->addWidget(m_causationChip);
    times->addStretch(1);
    times->addWidget(m_clearButton);
    rows->addLayout(fields);
    rows->addLayout(times);
    m_streamEdit->setMinimumWidth(80);
    m_actorEdit->setMinimumWidth(60);
    m_correlationEdit->setMinimumWidth(100);

    for (QLineEdit* edit : { m_streamEdit, m_actorEdit, m_correlationEdit, m_categoryCombo->lineEdit() }) {
        connect(edit, &QLineEdit::returnPressed, this, [this] { apply(); });
        // Emptying a field, by its clear button or by hand, drops its filter at once.
        connect(edit, &QLineEdit::textEdited, this, [this](const QString& text) {
            if (text.isEmpty())
                apply(true);
        });
    }
    connect(m_categoryCombo, &QComboBox::activated, this, [this] { apply(true); });
    connect(m_causationChip, &QToolButton::clicked, this, [this] {
        m_causation.reset();
        updateCausationChip();
        apply(true);
    });
    connect(m_clearButton, &QToolButton::clicked, this, &EventFilterBar::clear);
    m_typePicker = new TypePicker(m_typesButton, this);
    connect(m_typesButton, &QToolButton::clicked, this, [this] { m_typePicker->popUp(m_types); });
    connect(m_typePicker, &TypePicker::closed, this, &EventFilterBar::takeTypes);

    m_filling = true;
    clear();
    m_filling = false;
    setUtc(true);
    m_applied = query();
}

EventFilterBar::~EventFilterBar()
{
    // A field losing focus while the bar is torn down emits editingFinished(): by then apply() would run on a
    // half-destroyed bar.
    for (QWidget* child : findChildren<QWidget*>())
        child->disconnect(this);
}

QWidget* EventFilterBar::typesPopup() const
{
    return m_typePicker;
}

void EventFilterBar::takeTypes(const QStringList& types)
{
    if (types == m_types)
        return;
    m_types = types;
    updateTypesButton();
    apply(true);
}

void EventFilterBar::updateTypesButton()
{
    if (m_types.isEmpty()) {
        m_typesButton->setText(tr("All types"));
        m_typesButton->setToolTip(tr("Show events of any type; click to choose some"));
    } else if (m_types.size() == 1) {
        m_typesButton->setText(fontMetrics().elidedText(m_types.front(), Qt::ElideRight, 180));
        m_typesButton->setToolTip(tr("Only events of type %1").arg(m_types.front()));
    } else {
        m_typesButton->setText(tr("%n types", nullptr, static_cast<int>(m_types.size())));
        m_typesButton->setToolTip(tr("Only events of these types: %1").arg(m_types.join(QStringLiteral(", "))));
    }
}

void EventFilterBar::fillCategories()
{
    const QString text = m_categoryCombo->currentText();
    const QSignalBlocker blocker(m_categoryCombo);
    m_categoryCombo->clear();
    if (m_catalog)
        m_categoryCombo->addItems(m_catalog->categories());
    m_categoryCombo->setCurrentIndex(-1);
    m_categoryCombo->setEditText(text);
}

void EventFilterBar::setCatalog(StoreCatalog* catalog)
{
    if (m_catalog)
        disconnect(m_catalog, nullptr, this, nullptr);
    m_catalog = catalog;
    m_typePicker->setCatalog(catalog);
    if (m_catalog) {
        connect(m_catalog, &StoreCatalog::loaded, this, [this] {
            if (m_typePicker->isVisible())
                takeTypes(m_typePicker->ticked());
            m_typePicker->fill(m_types);
            fillCategories();
        });
    }
    m_typePicker->fill(m_types);
    fillCategories();
}

void EventFilterBar::setTimeEdit(QDateTimeEdit* edit, std::optional<Micros> time)
{
    const QDateTime shown = QDateTime::fromSecsSinceEpoch(floorSeconds(time.value_or(0)), edit->timeSpec());
    edit->setDateTime(shown);
}

std::optional<Micros> EventFilterBar::timeOf(const QDateTimeEdit* edit, const QCheckBox* check, bool endOfSecond) const
{
    if (!check->isChecked())
        return std::nullopt;
    const Micros seconds = edit->dateTime().toSecsSinceEpoch();
    const std::optional<Micros>& exact = endOfSecond ? m_exactUntil : m_exactSince;
    if (exact && floorSeconds(*exact) == seconds)
        return exact;
    return seconds * microsPerSecond + (endOfSecond ? microsPerSecond - 1 : 0);
}

bool EventFilterBar::isRangeValid() const
{
    const auto since = timeOf(m_sinceEdit, m_sinceCheck, false);
    const auto until = timeOf(m_untilEdit, m_untilCheck, true);
    return !since || !until || *since <= *until;
}

void EventFilterBar::updateTimeWidgets()
{
    const bool valid = isRangeValid();
    const QString zone = m_utc ? tr("UTC") : tr("local time");
    for (QDateTimeEdit* edit : { m_sinceEdit, m_untilEdit }) {
        edit->setProperty("invalid", !valid);
        QPalette palette; // an empty palette inherits the window's again
        if (!valid) {
            palette = edit->palette();
            palette.setColor(QPalette::Base, QColor(0xfd, 0xe2, 0xe1));
            palette.setColor(QPalette::Text, QColor(0x9b, 0x1c, 0x1c));
        }
        edit->setPalette(palette);
    }
    if (!valid) {
        const QString why = tr("The time range is empty: “From” is after “To”. Move one of them to see events.");
        m_sinceEdit->setToolTip(why);
        m_untilEdit->setToolTip(why);
    } else {
        m_sinceEdit->setToolTip(tr("Events at or after this moment (%1)").arg(zone));
        m_untilEdit->setToolTip(tr("Events up to the end of this second (%1)").arg(zone));
    }
}

void EventFilterBar::updateCausationChip()
{
    m_causationChip->setVisible(m_causation.has_value());
    if (!m_causation)
        return;
    const QString id = qstring(m_causation);
    m_causationChip->setText(tr("Cause %1 ✕").arg(fontMetrics().elidedText(id, Qt::ElideMiddle, 64)));
    m_causationChip->setToolTip(tr("Only events caused by %1. Click to drop this filter.").arg(id));
}

void EventFilterBar::setUtc(bool utc)
{
    const Qt::TimeSpec spec = utc ? Qt::UTC : Qt::LocalTime;
    m_utc = utc;
    const bool filling = std::exchange(m_filling, true);
    for (QDateTimeEdit* edit : { m_sinceEdit, m_untilEdit }) {
        // The same instants, shown on the other clock.
        const QDateTime instant = edit->dateTime();
        edit->setTimeSpec(spec);
        edit->setDateTime(instant.toTimeSpec(spec));
    }
    m_filling = filling;
    updateTimeWidgets();
}

EventQuery EventFilterBar::query() const
{
    EventQuery query;
    for (const QString& type : m_types)
        query.types.push_back(type.toStdString());
    query.category = textOf(m_categoryCombo->currentText());
    query.stream = textOf(m_streamEdit->text());
    query.actor = textOf(m_actorEdit->text());
    query.correlation = textOf(m_correlationEdit->text());
    query.causation = m_causation;
    query.since = timeOf(m_sinceEdit, m_sinceCheck, false);
    query.until = timeOf(m_untilEdit, m_untilCheck, true);
    query.includeSystem = m_includeSystem;
    return query;
}

void EventFilterBar::setQuery(const EventQuery& query)
{
    const bool filling = std::exchange(m_filling, true);
    m_types.clear();
    for (const auto& type : query.types)
        m_types.append(QString::fromStdString(type));
    m_types.sort();
    m_types.removeDuplicates();
    updateTypesButton();
    m_typePicker->fill(m_types);
    m_categoryCombo->setCurrentIndex(-1);
    m_categoryCombo->setEditText(qstring(query.category));
    m_streamEdit->setText(qstring(query.stream));
    m_actorEdit->setText(qstring(query.actor));
    m_correlationEdit->setText(qstring(query.correlation));
    for (QLineEdit* edit : { m_streamEdit, m_actorEdit, m_correlationEdit })
        edit->setCursorPosition(0); // an ID is told apart by its start
    m_causation = query.causation;
    m_includeSystem = query.includeSystem;
    m_exactSince = query.since;
    m_exactUntil = query.until;
    m_sinceCheck->setChecked(query.since.has_value());
    m_untilCheck->setChecked(query.until.has_value());
    if (query.since)
        setTimeEdit(m_sinceEdit, query.since);
    if (query.until)
        setTimeEdit(m_untilEdit, query.until);
    m_filling = filling;
    updateCausationChip();
    apply();
}

void EventFilterBar::clear()
{
    const bool filling = std::exchange(m_filling, true);
    m_types.clear();
    updateTypesButton();
    m_typePicker->fill(m_types);
    m_categoryCombo->setCurrentIndex(-1);
    m_categoryCombo->clearEditText();
    for (QLineEdit* edit : { m_streamEdit, m_actorEdit, m_correlationEdit })
        edit->clear();
    m_causation.reset();
    m_exactSince.reset();
    m_exactUntil.reset();
    m_sinceCheck->setChecked(false);
    m_untilCheck->setChecked(false);
    // Unticked editors still show a sensible day to start from: today, whole.
    const QDate today = QDateTime::currentDateTime().toTimeSpec(m_sinceEdit->timeSpec()).date();
    m_sinceEdit->setDateTime(QDateTime(today, QTime(0, 0), m_sinceEdit->timeSpec()));
    m_untilEdit->setDateTime(QDateTime(today, QTime(23, 59, 59), m_untilEdit->timeSpec()));
    m_filling = filling;
    updateCausationChip();
    if (!m_filling)
        apply();
}

void EventFilterBar::focusFirstField()
{
    m_streamEdit->setFocus(Qt::ShortcutFocusReason);
    m_streamEdit->selectAll();
}

void EventFilterBar::apply(bool onlyIfChanged)
{
    updateTimeWidgets();
    if (!isRangeValid())
        return;
    const EventQuery now = query();
    if (onlyIfChanged && m_applied && sameFilters(*m_applied, now))
        return;
    m_applied = now;
    emit queryChanged();
}

} // namespace eventscope
