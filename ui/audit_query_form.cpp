#include "ui/audit_query_form.h"

#include "model/audit_record.h"
#include "storage/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStringListModel>

namespace eventscope {

namespace {

QDateTimeEdit* makeTimeEdit(QWidget* parent, const QString& name, const QDateTime& value)
{
    auto* edit = new QDateTimeEdit(parent);
    edit->setObjectName(name);
    edit->setTimeSpec(Qt::UTC);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    edit->setDateTime(value);
    return edit;
}

QCheckBox* makeBoundBox(QWidget* parent, const QString& name, const QString& text, const QString& tip)
{
    auto* box = new QCheckBox(text, parent);
    box->setObjectName(name);
    box->setToolTip(tip);
    return box;
}

QDateTime toEdit(Micros time)
{
    return QDateTime::fromMSecsSinceEpoch(time / 1000, Qt::UTC);
}

} // namespace

AuditQueryForm::AuditQueryForm(QWidget* parent)
    : QWidget(parent)
    , m_actor(new QLineEdit(this))
    , m_sinceOn(makeBoundBox(this, QStringLiteral("auditSinceOn"), tr("From"),
          tr("Unticked, the range has no start: it begins with the store's first event.")))
    , m_since(makeTimeEdit(
          this, QStringLiteral("auditSince"), QDateTime(QDate::currentDate().addDays(-30), QTime(0, 0), Qt::UTC)))
    , m_untilOn(makeBoundBox(
          this, QStringLiteral("auditUntilOn"), tr("To"), tr("Unticked, the range has no end: it runs to now.")))
    , m_until(
          makeTimeEdit(this, QStringLiteral("auditUntil"), QDateTime(QDate::currentDate(), QTime(23, 59, 59), Qt::UTC)))
    , m_scope(new QComboBox(this))
    , m_scopeName(new QLineEdit(this))
    , m_types(new QLineEdit(this))
    , m_system(new QCheckBox(tr("Include system streams"), this))
    , m_ownWrites(new QPushButton(tr("Eventscope's own writes"), this))
{
    m_actor->setObjectName(QStringLiteral("auditActor"));
    m_actor->setPlaceholderText(tr("anyone"));
    m_actor->setClearButtonEnabled(true);
    m_actor->setToolTip(tr("The actor, as the store's conventions read it from the metadata (userId, user, …)."));
    m_scope->setObjectName(QStringLiteral("auditScope"));
    m_scope->addItem(tr("All streams"), AllStreams);
    m_scope->addItem(tr("Stream"), OneStream);
    m_scope->addItem(tr("Category"), OneCategory);
    m_scopeName->setObjectName(QStringLiteral("auditScopeName"));
    m_scopeName->setPlaceholderText(tr("stream or category name"));
    m_types->setObjectName(QStringLiteral("auditTypes"));
    m_types->setPlaceholderText(tr("every type; or Type1, Type2"));
    m_types->setClearButtonEnabled(true);
    m_system->setObjectName(QStringLiteral("auditIncludeSystem"));
    m_system->setToolTip(tr("Streams whose names begin with $, such as Eventscope's own audit trail."));
    m_ownWrites->setObjectName(QStringLiteral("auditOwnWrites"));
    m_ownWrites->setToolTip(
        tr("Everything Eventscope itself wrote to this store (appends, projection changes, seals): the stream %1.")
            .arg(QString::fromStdString(kAuditStream)));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->addWidget(new QLabel(tr("Actor"), this), 0, 0);
    grid->addWidget(m_actor, 0, 1);
    grid->addWidget(m_sinceOn, 0, 2);
    grid->addWidget(m_since, 0, 3);
    grid->addWidget(m_untilOn, 0, 4);
    grid->addWidget(m_until, 0, 5);
    grid->addWidget(new QLabel(tr("Where"), this), 1, 0);
    auto* where = new QHBoxLayout;
    where->addWidget(m_scope);
    where->addWidget(m_scopeName, 1);
    grid->addLayout(where, 1, 1);
    grid->addWidget(new QLabel(tr("Types"), this), 1, 2);
    grid->addWidget(m_types, 1, 3);
    auto* system = new QHBoxLayout;
    system->addWidget(m_system);
    system->addWidget(m_ownWrites);
    system->addStretch();
    grid->addLayout(system, 1, 4, 1, 2);
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(3, 2);
    grid->setColumnStretch(5, 1);

    connect(m_sinceOn, &QCheckBox::toggled, this, &AuditQueryForm::updateEnabled);
    connect(m_untilOn, &QCheckBox::toggled, this, &AuditQueryForm::updateEnabled);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &AuditQueryForm::updateEnabled);
    connect(m_ownWrites, &QPushButton::clicked, this, &AuditQueryForm::showOwnWrites);
    for (QLineEdit* edit : { m_actor, m_scopeName, m_types })
        connect(edit, &QLineEdit::returnPressed, this, &AuditQueryForm::runRequested);
    updateEnabled();
}

void AuditQueryForm::updateEnabled()
{
    m_since->setEnabled(m_sinceOn->isChecked());
    m_until->setEnabled(m_untilOn->isChecked());
    m_scopeName->setEnabled(m_scope->currentData().toInt() != AllStreams);
}

AuditQuery AuditQueryForm::query() const
{
    AuditQuery query;
    query.actor = m_actor->text().trimmed().toStdString();
    if (m_sinceOn->isChecked())
        query.since = m_since->dateTime().toMSecsSinceEpoch() * 1000;
    if (m_untilOn->isChecked())
        query.until = m_until->dateTime().toMSecsSinceEpoch() / 1000 * 1'000'000 + 999'999;
    const int scope = m_scope->currentData().toInt();
    const std::string name = m_scopeName->text().trimmed().toStdString();
    if (scope != AllStreams && name.empty())
        fail(ErrorKind::BadInput, scope == OneStream ? "name the stream to audit" : "name the category to audit");
    if (scope == OneStream)
        query.stream = name;
    else if (scope == OneCategory)
        query.category = name;
    for (const QString& type : m_types->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString trimmed = type.trimmed(); !trimmed.isEmpty())
            query.types.push_back(trimmed.toStdString());
    query.includeSystem = m_system->isChecked();
    query.check();
    return query;
}

void AuditQueryForm::setQuery(const AuditQuery& query)
{
    m_actor->setText(QString::fromStdString(query.actor));
    m_sinceOn->setChecked(query.since.has_value());
    if (query.since)
        m_since->setDateTime(toEdit(*query.since));
    m_untilOn->setChecked(query.until.has_value());
    if (query.until)
        m_until->setDateTime(toEdit(*query.until));
    const Scope scope = !query.stream.empty() ? OneStream : (!query.category.empty() ? OneCategory : AllStreams);
    m_scope->setCurrentIndex(m_scope->findData(scope));
    m_scopeName->setText(QString::fromStdString(!query.stream.empty() ? query.stream : query.category));
    QStringList types;
    for (const std::string& type : query.types)
        types.append(QString::fromStdString(type));
    m_types->setText(types.join(QStringLiteral(", ")));
    m_system->setChecked(query.includeSystem);
    updateEnabled();
}

void AuditQueryForm::showOwnWrites()
{
    m_scope->setCurrentIndex(m_scope->findData(OneStream));
    m_scopeName->setText(QString::fromStdString(kAuditStream));
    m_types->clear();
    m_actor->clear();
    updateEnabled();
}

void AuditQueryForm::setKnownTypes(const QStringList& types)
{
    // Completes the whole field: enough for the usual question about one type.
    auto* completer = new QCompleter(types, m_types);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    delete m_types->completer();
    m_types->setCompleter(completer);
}

} // namespace eventscope
