#include "ui/connection_dialog.h"

#include "ui/mapping_editor.h"
#include "ui/password_vault.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace eventscope {
namespace {

const QLatin1String kGroup("postgresConnection");

QIcon resultIcon(const QStyle* style, const char* themeName, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(QLatin1String(themeName), style->standardIcon(fallback));
}

using StoreKind = ConnectionSettings::StoreKind;

QString kindLabel(const QString& kind)
{
    if (kind == QLatin1String("postgresql"))
        return QStringLiteral("PostgreSQL");
    if (kind == QLatin1String("sqlite"))
        return QStringLiteral("SQLite");
    if (kind == QLatin1String("messagedb"))
        return QStringLiteral("Message DB");
    if (kind == QLatin1String("emmett"))
        return QStringLiteral("Emmett");
    return kind;
}

QString introFor(StoreKind kind)
{
    switch (kind) {
    case StoreKind::Native:
        break;
    case StoreKind::MessageDb:
        return ConnectionDialog::tr("Open the messages Message DB keeps in a PostgreSQL database, read-only.");
    case StoreKind::Emmett:
        return ConnectionDialog::tr("Open the events Emmett keeps in a PostgreSQL database, read-only.");
    case StoreKind::MappedTable:
        return ConnectionDialog::tr("Open a table of events another system wrote, read-only. Say which column "
                                    "holds what where the guess from the names is wrong.");
    }
    return ConnectionDialog::tr("Open an Eventscope store kept in a PostgreSQL database.");
}

} // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent)
    : QDialog(parent)
    , m_vault(new PasswordVault(this))
{
    setWindowTitle(tr("Connect to PostgreSQL"));
    buildForm();
    connect(&m_watcher, &QFutureWatcher<ConnectionTestResult>::finished, this,
        [this] { showTestResult(m_watcher.result()); });
    connect(m_vault, &PasswordVault::passwordRead, this, [this](const QString& key, const QString& password) {
        if (key != m_passwordKey || !m_password->text().isEmpty())
            return;
        m_password->setText(password);
        m_remember->setChecked(true);
    });
    connect(m_vault, &PasswordVault::failed, this, [this](const QString&, const QString& message) {
        if (m_remember->isChecked())
            showKeychainNote(message);
    });
    connect(m_vault, &PasswordVault::availabilityChanged, this, [this](PasswordVault::Availability availability) {
        if (availability == PasswordVault::Availability::Unavailable && m_remember->isChecked())
            showKeychainNote(m_vault->unavailableReason());
    });
    loadLastUsed();
    fieldsChanged();
}

// A test still running keeps its own copy of the URI and its own connection; nothing here waits for it.
ConnectionDialog::~ConnectionDialog() = default;

void ConnectionDialog::buildForm()
{
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(12);
    layout->setContentsMargins(20, 20, 20, 16);

    m_intro = new QLabel(introFor(StoreKind::Native), this);
    m_intro->setObjectName(QStringLiteral("introLabel"));
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);

    auto* form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(10);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("storeKindCombo"));
    m_kind->addItem(tr("Eventscope store"), int(StoreKind::Native));
    m_kind->addItem(QStringLiteral("Message DB"), int(StoreKind::MessageDb));
    m_kind->addItem(QStringLiteral("Emmett"), int(StoreKind::Emmett));
    m_kind->addItem(tr("Events table"), int(StoreKind::MappedTable));
    m_kind->setToolTip(tr("What the database holds. Stores other systems wrote open read-only."));
    form->addRow(tr("S&tore:"), m_kind);

    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_host->setPlaceholderText(QStringLiteral("localhost"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_port->setGroupSeparatorShown(false);
    m_port->setMinimumWidth(m_port->fontMetrics().horizontalAdvance(QStringLiteral("655350")) + 36);
    auto* hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    auto* portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_port);
    hostRow->addSpacing(8);
    hostRow->addWidget(portLabel);
    hostRow->addWidget(m_port);
    auto* hostLabel = new QLabel(tr("&Host:"), this);
    hostLabel->setBuddy(m_host); // a row holding a layout gets no buddy of its own
    form->addRow(hostLabel, hostRow);

    m_database = new QLineEdit(this);
    m_database->setObjectName(QStringLiteral("databaseEdit"));
    form->addRow(tr("&Database:"), m_database);
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("userEdit"));
    form->addRow(tr("&User:"), m_user);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("none, or from ~/.pgpass"));
    form->addRow(tr("Pass&word:"), m_password);

    m_sslMode = new QComboBox(this);
    m_sslMode->setObjectName(QStringLiteral("sslModeCombo"));
    m_sslMode->addItems(ConnectionSettings::sslModes());
    m_sslMode->setCurrentText(QStringLiteral("prefer"));
    m_sslMode->setToolTip(tr("libpq's sslmode: prefer tries SSL and falls back to a plain connection; "
                             "verify-full also checks the server's certificate and name."));
    form->addRow(tr("&SSL mode:"), m_sslMode);
    m_schema = new QLineEdit(QStringLiteral("eventscope"), this);
    m_schema->setObjectName(QStringLiteral("schemaEdit"));
    m_schema->setToolTip(tr("The PostgreSQL schema that holds the store's tables."));
    form->addRow(tr("S&chema:"), m_schema);
    layout->addLayout(form);

    m_mapping = new MappingEditor(this);
    m_mapping->setObjectName(QStringLiteral("mappingEditor"));
    m_mapping->hide();
    int labelWidth = 0;
    for (int row = 0; row < form->rowCount(); ++row)
        if (const QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole))
            labelWidth = qMax(labelWidth, label->sizeHint().width());
    m_mapping->setLabelWidth(labelWidth, form->horizontalSpacing());
    layout->addWidget(m_mapping);

    m_remember = new QCheckBox(tr("&Remember password in the system keychain"), this);
    m_remember->setObjectName(QStringLiteral("rememberCheck"));
    layout->addWidget(m_remember);
    m_keychainNote = new QLabel(this);
    m_keychainNote->setObjectName(QStringLiteral("keychainNoteLabel"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setContentsMargins(24, 0, 0, 0);
    m_keychainNote->hide();
    layout->addWidget(m_keychainNote);

    auto* testRow = new QHBoxLayout;
    testRow->setSpacing(8);
    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("testButton"));
    m_test->setAutoDefault(false);
    testRow->addWidget(m_test, 0, Qt::AlignTop);
    m_resultIcon = new QLabel(this);
    m_resultIcon->setObjectName(QStringLiteral("testResultIcon"));
    m_resultIcon->setFixedSize(20, 20);
    testRow->addWidget(m_resultIcon, 0, Qt::AlignTop);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("testResultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(m_test->sizeHint().height());
    testRow->addWidget(m_result, 1);
    layout->addLayout(testRow);
    layout->addStretch(1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("buttonBox"));
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("C&onnect"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    connect(m_test, &QPushButton::clicked, this, &ConnectionDialog::startTest);
    connect(m_remember, &QCheckBox::toggled, this, &ConnectionDialog::rememberToggled);
    for (QLineEdit* edit : { m_host, m_database, m_user, m_password, m_schema })
        connect(edit, &QLineEdit::textEdited, this, &ConnectionDialog::fieldsChanged);
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectionDialog::fieldsChanged);
    connect(m_sslMode, &QComboBox::currentTextChanged, this, &ConnectionDialog::fieldsChanged);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ConnectionDialog::kindChanged);
    connect(m_mapping, &MappingEditor::changed, this, &ConnectionDialog::fieldsChanged);
    connect(m_mapping, &MappingEditor::changed, this, &ConnectionDialog::growToFit); // its sentence may wrap
    setMinimumWidth(540);
}

void ConnectionDialog::setSettings(const ConnectionSettings& settings)
{
    fill(settings);
    if (settings.password.isEmpty())
        askKeychain(settings.keychainKey());
}

void ConnectionDialog::fill(const ConnectionSettings& settings)
{
    {
        const QSignalBlocker quiet(m_kind); // kindChanged() below, once the rest is filled
        m_kind->setCurrentIndex(m_kind->findData(int(settings.kind)));
    }
    m_host->setText(settings.host);
    m_port->setValue(settings.port);
    m_database->setText(settings.database);
    m_user->setText(settings.user);
    m_password->setText(settings.password);
    m_sslMode->setCurrentText(settings.sslMode);
    // A foreign URI without ?schema= leaves the native store's field as it was.
    m_foreignSchema.clear();
    if (settings.kind == StoreKind::Native)
        m_schema->setText(settings.schema);
    else
        m_foreignSchema = settings.schema;
    m_otherParameters = settings.otherParameters;
    m_mapping->setTable(settings.table);
    m_mapping->setMappingFile(settings.mappingFile);
    kindChanged();
}

ConnectionSettings::StoreKind ConnectionDialog::kind() const
{
    return StoreKind(m_kind->currentData().toInt());
}

void ConnectionDialog::kindChanged()
{
    const bool mapped = kind() == StoreKind::MappedTable;
    m_intro->setText(introFor(kind()));
    m_form->setRowVisible(m_schema, kind() == StoreKind::Native);
    m_mapping->setVisible(mapped);
    // The editor's two columns of fields need more room than the connection's fields alone.
    setMinimumWidth(mapped ? 720 : 540);
    fieldsChanged();
    if (isVisible()) {
        layout()->activate();
        resize(mapped ? qMax(width(), minimumWidth()) : minimumWidth(), sizeHint().height());
    }
}

void ConnectionDialog::askKeychain(const QString& key)
{
    m_passwordKey = key;
    m_vault->read(key);
}

ConnectionSettings ConnectionDialog::settings() const
{
    ConnectionSettings s;
    s.kind = kind();
    s.host = m_host->text().trimmed();
    s.port = m_port->value();
    s.database = m_database->text().trimmed();
    s.user = m_user->text().trimmed();
    s.password = m_password->text();
    s.sslMode = m_sslMode->currentText();
    s.schema = s.kind == StoreKind::Native ? m_schema->text().trimmed() : m_foreignSchema;
    s.otherParameters = m_otherParameters;
    if (s.kind == StoreKind::MappedTable) {
        s.table = m_mapping->table();
        s.mappingFile = m_mapping->mappingFile();
    }
    return s;
}

QString ConnectionDialog::storeUri() const
{
    return settings().storeUri();
}

void ConnectionDialog::loadLastUsed()
{
    QSettings store;
    store.beginGroup(kGroup);
    ConnectionSettings last;
    last.kind = StoreKind(qBound(int(StoreKind::Native),
        store.value(QStringLiteral("kind"), int(StoreKind::Native)).toInt(), int(StoreKind::MappedTable)));
    if (last.kind != StoreKind::Native)
        last.schema.clear();
    last.table = store.value(QStringLiteral("table")).toString();
    last.mappingFile = store.value(QStringLiteral("mappingFile")).toString();
    last.host = store.value(QStringLiteral("host"), last.host).toString();
    last.port = store.value(QStringLiteral("port"), last.port).toInt();
    last.database = store.value(QStringLiteral("database"), last.database).toString();
    last.user = store.value(QStringLiteral("user"), last.user).toString();
    last.sslMode = store.value(QStringLiteral("sslMode"), last.sslMode).toString();
    m_schema->setText(store.value(QStringLiteral("schema"), QStringLiteral("eventscope")).toString());
    if (last.kind == StoreKind::Native)
        last.schema = m_schema->text();
    if (store.value(QStringLiteral("rememberPassword"), false).toBool()) {
        m_rememberedKey = last.keychainKey();
        const QSignalBlocker quiet(m_remember); // the read below tells whether a keychain answers
        m_remember->setChecked(true);
    }
    store.endGroup();
    fill(last);
    // Asking the keychain may show an unlock prompt, so only for a password the user asked to keep.
    if (!m_rememberedKey.isEmpty())
        askKeychain(m_rememberedKey);
}

void ConnectionDialog::saveLastUsed() const
{
    const ConnectionSettings s = settings();
    QSettings store;
    store.beginGroup(kGroup);
    store.setValue(QStringLiteral("host"), s.host);
    store.setValue(QStringLiteral("port"), s.port);
    store.setValue(QStringLiteral("database"), s.database);
    store.setValue(QStringLiteral("user"), s.user);
    store.setValue(QStringLiteral("sslMode"), s.sslMode);
    if (s.kind == StoreKind::Native)
        store.setValue(QStringLiteral("schema"), s.schema);
    store.setValue(QStringLiteral("kind"), int(s.kind));
    store.setValue(QStringLiteral("table"), m_mapping->table());
    store.setValue(QStringLiteral("mappingFile"), s.mappingFile);
    store.setValue(QStringLiteral("rememberPassword"), m_remember->isChecked());
    store.endGroup();
}

void ConnectionDialog::fieldsChanged()
{
    const ConnectionSettings s = settings();
    m_mapping->setConnection(s);
    const QString problem = s.validationError();
    // The editor says its own problem in place; here it only holds the door shut.
    const bool mappingOk = s.kind != StoreKind::MappedTable || m_mapping->problem().isEmpty();
    m_ok->setEnabled(problem.isEmpty() && mappingOk);
    m_test->setEnabled(problem.isEmpty() && !m_watcher.isRunning());
    if (!problem.isEmpty()) {
        m_resultIcon->setPixmap(
            resultIcon(style(), "dialog-warning", QStyle::SP_MessageBoxWarning).pixmap(m_resultIcon->size()));
        m_result->setText(problem);
    } else if (!m_watcher.isRunning()) {
        // An earlier answer is about other settings.
        m_resultIcon->clear();
        m_result->clear();
    }
}

void ConnectionDialog::startTest()
{
    if (m_watcher.isRunning())
        return;
    m_test->setEnabled(false);
    m_resultIcon->setPixmap(
        resultIcon(style(), "dialog-information", QStyle::SP_MessageBoxInformation).pixmap(m_resultIcon->size()));
    m_result->setText(tr("Testing the connection…"));
    m_watcher.setFuture(testConnection(settings()));
}

void ConnectionDialog::showTestResult(const ConnectionTestResult& result)
{
    m_test->setEnabled(settings().validationError().isEmpty());
    if (result.ok && result.kind == QLatin1String("mapped"))
        showResult(true, tr("Connected: the events table, head position %1.").arg(result.headPosition));
    else if (result.ok)
        showResult(
            true, tr("Connected: a %1 store, head position %2.").arg(kindLabel(result.kind)).arg(result.headPosition));
    else
        showResult(false, result.message);
}

void ConnectionDialog::showResult(bool ok, const QString& text)
{
    const QIcon icon = ok ? resultIcon(style(), "dialog-ok", QStyle::SP_DialogApplyButton)
                          : resultIcon(style(), "dialog-error", QStyle::SP_MessageBoxCritical);
    m_resultIcon->setPixmap(icon.pixmap(m_resultIcon->size()));
    QString sentence = text;
    if (!sentence.isEmpty())
        sentence[0] = sentence[0].toUpper(); // the core's sentences start in lower case, for use inside others
    m_result->setText(sentence);
    growToFit();
    emit testFinished(ok, sentence);
}

void ConnectionDialog::growToFit()
{
    // A top-level layout does not grow the window for a label that wraps onto more lines; a long error
    // would be cut off.
    layout()->activate();
    const int needed = layout()->totalHeightForWidth(width());
    if (needed > height())
        resize(width(), needed);
}

void ConnectionDialog::rememberToggled(bool on)
{
    if (!on) {
        m_keychainNote->hide();
        return;
    }
    switch (m_vault->availability()) {
    case PasswordVault::Availability::Unknown:
        m_vault->probe();
        break;
    case PasswordVault::Availability::Unavailable:
        showKeychainNote(m_vault->unavailableReason());
        break;
    case PasswordVault::Availability::Available:
        break;
    }
}

void ConnectionDialog::showKeychainNote(const QString& text)
{
    m_keychainNote->setText(text);
    m_keychainNote->show();
    growToFit();
}

void ConnectionDialog::accept()
{
    const ConnectionSettings s = settings();
    if (!s.validationError().isEmpty() || (s.kind == StoreKind::MappedTable && !m_mapping->problem().isEmpty()))
        return;
    saveLastUsed();
    const QString key = s.keychainKey();
    if (m_remember->isChecked() && !s.password.isEmpty()
        && m_vault->availability() != PasswordVault::Availability::Unavailable)
        m_vault->store(key, s.password);
    else if (!m_remember->isChecked() && key == m_rememberedKey)
        m_vault->remove(key); // the user no longer wants it kept
    QDialog::accept();
}

} // namespace eventscope
