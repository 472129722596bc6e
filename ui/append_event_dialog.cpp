#include "ui/append_event_dialog.h"

#include "model/store_catalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

namespace eventscope {
namespace {

enum ExpectedChoice { AnyVersion, NoStream, StreamExists, ExactVersion };

// The parser's reason, without its position prefix and echo of the input, e.g. "unexpected '}', expected string
// literal", and the line it stopped on.
QString jsonProblem(const QString& what, const std::string& text, bool mustBeObject)
{
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return AppendEventDialog::tr("The %1 is empty: write {} for none.").arg(what);
    try {
        const auto document = nlohmann::json::parse(text);
        if (mustBeObject && !document.is_object())
            return AppendEventDialog::tr("The %1 is not a JSON object: write it as {\"key\": value, …}.").arg(what);
        return {};
    } catch (const nlohmann::json::parse_error& e) {
        std::string reason = e.what();
        if (const auto column = reason.find("column "); column != std::string::npos) {
            if (const auto colon = reason.find(": ", column); colon != std::string::npos)
                reason.erase(0, colon + 2);
        }
        if (const auto dash = reason.find(" - "); reason.starts_with("syntax error") && dash != std::string::npos)
            reason.erase(0, dash + 3);
        if (const auto echo = reason.find("; last read: "); echo != std::string::npos) {
            const auto next = reason.find("; ", echo + 2);
            reason.erase(echo, next == std::string::npos ? std::string::npos : next - echo);
        }
        for (auto semicolon = reason.find("; "); semicolon != std::string::npos; semicolon = reason.find("; "))
            reason[semicolon] = ',';
        const std::size_t stop = std::min(text.size(), e.byte > 0 ? e.byte - 1 : 0);
        const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(stop), '\n');
        return AppendEventDialog::tr("The %1 is not valid JSON: %2 at line %3.")
            .arg(what, QString::fromStdString(reason))
            .arg(line);
    }
}

QString controlCharacterProblem(const QString& what, const QString& text)
{
    const bool bad = std::any_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x20; });
    return bad ? AppendEventDialog::tr("The %1 contains a control character.").arg(what) : QString();
}

QPlainTextEdit* makeJsonEdit(QWidget* parent, const char* name, int lines)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabChangesFocus(true);
    edit->setPlainText(QStringLiteral("{}"));
    edit->setMinimumHeight(edit->fontMetrics().lineSpacing() * lines + 12);
    return edit;
}

} // namespace

AppendEventDialog::AppendEventDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Append event"));

    m_productionBanner = new QFrame(this);
    m_productionBanner->setObjectName(QStringLiteral("productionBanner"));
    m_productionBanner->setFrameShape(QFrame::StyledPanel);
    m_productionBanner->setAutoFillBackground(true);
    QPalette warning = m_productionBanner->palette();
    warning.setColor(QPalette::Window, QColor(0xfd, 0xec, 0xc8));
    warning.setColor(QPalette::WindowText, QColor(0x5c, 0x3b, 0x00));
    m_productionBanner->setPalette(warning);
    auto* bannerText = new QLabel(
        tr("<b>This is a production store.</b> An appended event stays in it for good: events are never deleted."),
        m_productionBanner);
    bannerText->setWordWrap(true);
    m_productionCheck = new QCheckBox(tr("I understand this writes to production"), m_productionBanner);
    m_productionCheck->setObjectName(QStringLiteral("productionCheck"));
    auto* bannerLayout = new QVBoxLayout(m_productionBanner);
    bannerLayout->addWidget(bannerText);
    bannerLayout->addWidget(m_productionCheck);
    m_productionBanner->hide();

    m_streamEdit = new QLineEdit(this);
    m_streamEdit->setObjectName(QStringLiteral("streamEdit"));
    m_streamEdit->setPlaceholderText(tr("e.g. order-123"));
    m_typeCombo = new QComboBox(this);
    m_typeCombo->setObjectName(QStringLiteral("typeCombo"));
    m_typeCombo->setEditable(true);
    m_typeCombo->setInsertPolicy(QComboBox::NoInsert);
    m_typeCombo->lineEdit()->setPlaceholderText(tr("e.g. OrderPlaced"));
    m_typeCombo->setMaxVisibleItems(20);
    auto* completer = new QCompleter(m_typeCombo->model(), m_typeCombo);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_typeCombo->setCompleter(completer);

    m_expectedCombo = new QComboBox(this);
    m_expectedCombo->setObjectName(QStringLiteral("expectedCombo"));
    m_expectedCombo->addItem(tr("Any: append whatever the stream holds"), AnyVersion);
    m_expectedCombo->addItem(tr("No stream: the stream must not exist yet"), NoStream);
    m_expectedCombo->addItem(tr("Exists: the stream must have events"), StreamExists);
    m_expectedCombo->addItem(tr("Exactly version:"), ExactVersion);
    m_expectedSpin = new QSpinBox(this);
    m_expectedSpin->setObjectName(QStringLiteral("expectedSpin"));
    m_expectedSpin->setRange(0, std::numeric_limits<int>::max());
    m_expectedSpin->setToolTip(tr("The stream's version before this event; 0 for a stream without events"));
    m_expectedSpin->setEnabled(false);
    auto* expectedRow = new QHBoxLayout;
    expectedRow->addWidget(m_expectedCombo, 1);
    expectedRow->addWidget(m_expectedSpin);

    m_dataEdit = makeJsonEdit(this, "dataEdit", 8);
    m_metadataEdit = makeJsonEdit(this, "metadataEdit", 4);
    m_metadataEdit->setToolTip(
        tr("A JSON object. Keys such as userId, correlationId and causationId set the actor and the links."));
    // Data is what people write at length; metadata is usually a line or two.
    m_metadataEdit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_metadataEdit->setMaximumHeight(m_metadataEdit->fontMetrics().lineSpacing() * 6 + 12);
    m_dataEdit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextFormat(Qt::PlainText);
    QPalette error = m_problemLabel->palette();
    error.setColor(QPalette::WindowText, QColor(0xb0, 0x1e, 0x1e));
    m_problemLabel->setPalette(error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Append"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (problems().isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* form = new QFormLayout;
    form->addRow(tr("&Stream:"), m_streamEdit);
    form->addRow(tr("&Type:"), m_typeCombo);
    auto* expectedLabel = new QLabel(tr("&Expected version:"), this);
    expectedLabel->setBuddy(m_expectedCombo); // a row of two has no buddy of its own
    form->addRow(expectedLabel, expectedRow);
    form->addRow(tr("&Data:"), m_dataEdit);
    form->addRow(tr("&Metadata:"), m_metadataEdit);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_productionBanner);
    layout->addLayout(form, 1);
    layout->addWidget(m_problemLabel);
    layout->addWidget(m_buttons);
    resize(560, 480);

    connect(m_streamEdit, &QLineEdit::textChanged, this, &AppendEventDialog::validate);
    connect(m_typeCombo, &QComboBox::editTextChanged, this, &AppendEventDialog::validate);
    connect(m_dataEdit, &QPlainTextEdit::textChanged, this, &AppendEventDialog::validate);
    connect(m_metadataEdit, &QPlainTextEdit::textChanged, this, &AppendEventDialog::validate);
    connect(m_productionCheck, &QCheckBox::toggled, this, &AppendEventDialog::validate);
    connect(m_expectedCombo, &QComboBox::currentIndexChanged, this,
        [this] { m_expectedSpin->setEnabled(m_expectedCombo->currentData().toInt() == ExactVersion); });
    validate();
}

void AppendEventDialog::setStream(const QString& stream)
{
    m_streamEdit->setText(stream);
}

void AppendEventDialog::setType(const QString& type)
{
    m_typeCombo->setEditText(type);
}

void AppendEventDialog::setExpectedVersion(const ExpectedVersion& expected)
{
    switch (expected.kind) {
    case ExpectedVersion::Kind::Any:
        m_expectedCombo->setCurrentIndex(m_expectedCombo->findData(AnyVersion));
        break;
    case ExpectedVersion::Kind::NoStream:
        m_expectedCombo->setCurrentIndex(m_expectedCombo->findData(NoStream));
        break;
    case ExpectedVersion::Kind::Exists:
        m_expectedCombo->setCurrentIndex(m_expectedCombo->findData(StreamExists));
        break;
    case ExpectedVersion::Kind::Exact:
        m_expectedCombo->setCurrentIndex(m_expectedCombo->findData(ExactVersion));
        m_expectedSpin->setValue(
            static_cast<int>(std::clamp<std::int64_t>(expected.version, 0, std::numeric_limits<int>::max())));
        break;
    }
}

void AppendEventDialog::setCatalog(StoreCatalog* catalog)
{
    if (m_catalog)
        disconnect(m_catalog, nullptr, this, nullptr);
    m_catalog = catalog;
    if (m_catalog)
        connect(m_catalog, &StoreCatalog::loaded, this, &AppendEventDialog::fillTypes);
    fillTypes();
}

void AppendEventDialog::fillTypes()
{
    const QString text = m_typeCombo->currentText();
    const QSignalBlocker blocker(m_typeCombo);
    m_typeCombo->clear();
    if (m_catalog)
        m_typeCombo->addItems(m_catalog->types());
    m_typeCombo->setCurrentIndex(-1);
    m_typeCombo->setEditText(text);
}

void AppendEventDialog::setProductionStore(bool production)
{
    m_production = production;
    m_productionBanner->setVisible(production);
    m_productionCheck->setChecked(false);
    validate();
}

QStringList AppendEventDialog::problems() const
{
    QStringList out;
    const QString stream = m_streamEdit->text().trimmed();
    const QString type = m_typeCombo->currentText().trimmed();
    if (stream.isEmpty())
        out << tr("The stream is missing: name the stream to append to.");
    else if (const QString bad = controlCharacterProblem(tr("stream name"), stream); !bad.isEmpty())
        out << bad;
    if (type.isEmpty())
        out << tr("The event type is missing: name it, e.g. OrderPlaced.");
    else if (const QString bad = controlCharacterProblem(tr("event type"), type); !bad.isEmpty())
        out << bad;
    // The store reads the actor and the links from metadata keys, so metadata must be an object; data may be any JSON.
    if (const QString bad = jsonProblem(tr("data"), m_dataEdit->toPlainText().toStdString(), false); !bad.isEmpty())
        out << bad;
    if (const QString bad = jsonProblem(tr("metadata"), m_metadataEdit->toPlainText().toStdString(), true);
        !bad.isEmpty())
        out << bad;
    if (m_production && !m_productionCheck->isChecked())
        out << tr("Tick “I understand this writes to production” to append to this production store.");
    return out;
}

void AppendEventDialog::validate()
{
    const QStringList found = problems();
    m_problemLabel->setText(found.join(QLatin1Char('\n')));
    m_problemLabel->setVisible(!found.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(found.isEmpty());
}

AppendRequest AppendEventDialog::request() const
{
    AppendRequest request;
    request.stream = m_streamEdit->text().trimmed().toStdString();
    switch (m_expectedCombo->currentData().toInt()) {
    case NoStream:
        request.expected = ExpectedVersion::noStream();
        break;
    case StreamExists:
        request.expected = ExpectedVersion::exists();
        break;
    case ExactVersion:
        request.expected = ExpectedVersion::exact(m_expectedSpin->value());
        break;
    default:
        request.expected = ExpectedVersion::any();
        break;
    }
    NewEvent event;
    event.type = m_typeCombo->currentText().trimmed().toStdString();
    event.data = m_dataEdit->toPlainText().toStdString();
    event.metadata = m_metadataEdit->toPlainText().toStdString();
    request.events.push_back(std::move(event));
    return request;
}

} // namespace eventscope
