#include "ui/welcome_page.h"

#include "model/connection_settings.h"
#include "model/recent_stores.h"
#include "ui/connection_dialog.h"
#include "ui/demo_store_maker.h"
#include "ui/password_vault.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace eventscope {
namespace {

constexpr int kUriRole = Qt::UserRole;
constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kColumnWidth = 560;

QString kindLabel(const QString& kind)
{
    if (kind == QLatin1String("sqlite"))
        return QStringLiteral("SQLite");
    if (kind == QLatin1String("postgresql"))
        return QStringLiteral("PostgreSQL");
    return kind.isEmpty() ? WelcomePage::tr("store") : kind;
}

bool isPostgres(const QString& uri)
{
    return ConnectionSettings::fromStoreUri(uri).has_value();
}

// The first local file among the dropped URLs that is a SQLite store, or the first local file at all.
QString droppedFile(const QMimeData* mime, bool* isSqlite)
{
    *isSqlite = false;
    if (!mime || !mime->hasUrls())
        return {};
    QString first;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString file = url.toLocalFile();
        if (!WelcomePage::sqliteUriFor(file).isEmpty()) {
            *isSqlite = true;
            return file;
        }
        if (first.isEmpty())
            first = file;
    }
    return first;
}

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
    , m_demo(new DemoStoreMaker(this))
    , m_vault(new PasswordVault(this))
{
    setAcceptDrops(true);

    auto* column = new QWidget(this);
    column->setObjectName(QStringLiteral("welcomeColumn"));
    column->setMaximumWidth(kColumnWidth);
    column->setMinimumWidth(360);
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 24, 24, 24);
    outer->addStretch(1);
    outer->addWidget(column, 100);
    outer->addStretch(1);

    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addStretch(2);

    auto* title = new QLabel(tr("Eventscope"), column);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.2);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    layout->addWidget(title);
    auto* subtitle = new QLabel(
        tr("Browse streams and events, replay an aggregate to any moment, and audit what happened."), column);
    subtitle->setWordWrap(true);
    subtitle->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(subtitle);
    layout->addSpacing(20);

    const QStyle* s = style();
    auto* demo = actionButton(
        QIcon::fromTheme(QStringLiteral("media-playback-start"), s->standardIcon(QStyle::SP_MediaPlay)),
        tr("Open demo store"), tr("A store of bank accounts and orders to explore, made on first use."), "demoButton");
    auto* sqlite
        = actionButton(QIcon::fromTheme(QStringLiteral("document-open"), s->standardIcon(QStyle::SP_DialogOpenButton)),
            tr("Open SQLite file…"), tr("A native Eventscope store in a .db file; you can also drop one here."),
            "sqliteButton");
    auto* postgres
        = actionButton(QIcon::fromTheme(QStringLiteral("network-server"), s->standardIcon(QStyle::SP_DriveNetIcon)),
            tr("Connect to PostgreSQL…"), tr("A store in a PostgreSQL database, tested before it is opened."),
            "postgresButton");
    for (QPushButton* button : { demo, sqlite, postgres })
        layout->addWidget(button);
    connect(demo, &QPushButton::clicked, this, &WelcomePage::openDemo);
    connect(sqlite, &QPushButton::clicked, this, &WelcomePage::chooseSqliteFile);
    connect(postgres, &QPushButton::clicked, this, [this] { connectToPostgres(); });

    m_message = new QLabel(column);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral("QLabel { background: rgba(214, 48, 49, 0.08); border: 1px solid "
                                            "rgba(214, 48, 49, 0.45); border-radius: 4px; padding: 8px; }"));
    m_message->hide();
    layout->addSpacing(4);
    layout->addWidget(m_message);
    layout->addSpacing(20);

    auto* recentTitle = new QLabel(tr("Recent stores"), column);
    QFont headingFont = recentTitle->font();
    headingFont.setWeight(QFont::DemiBold);
    recentTitle->setFont(headingFont);
    layout->addWidget(recentTitle);
    m_recent = new QListWidget(column);
    m_recent->setObjectName(QStringLiteral("recentList"));
    m_recent->setIconSize(QSize(24, 24));
    m_recent->setStyleSheet(QStringLiteral("QListWidget::item { padding: 6px 4px; }"));
    m_recent->setUniformItemSizes(true);
    m_recent->setTextElideMode(Qt::ElideMiddle);
    m_recent->setMinimumHeight(200);
    m_recent->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_recent, 3);
    m_recentEmpty = new QLabel(tr("Stores you open are listed here."), column);
    m_recentEmpty->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_recentEmpty);
    connect(m_recent, &QListWidget::itemActivated, this, &WelcomePage::openRecent);
    connect(m_recent, &QListWidget::customContextMenuRequested, this, &WelcomePage::recentMenu);

    auto* hint = new QLabel(tr("Tip: drop a .db, .sqlite or .sqlite3 file anywhere on this page to open it."), column);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setWordWrap(true);
    layout->addSpacing(4);
    layout->addWidget(hint);
    layout->addStretch(3);

    connect(m_demo, &DemoStoreMaker::ready, this, [this](const QString& uri) { emit openRequested(uri); });
    connect(m_demo, &DemoStoreMaker::failed, this, &WelcomePage::setMessage);
    // A remembered password completes the URI of a recent PostgreSQL store; without one, libpq may still
    // find it (a password file, trust) or the window reports why it could not connect.
    connect(m_vault, &PasswordVault::passwordRead, this, &WelcomePage::openPending);
    connect(m_vault, &PasswordVault::notFound, this, [this](const QString& key) { openPending(key, {}); });
    connect(m_vault, &PasswordVault::failed, this, [this](const QString& key) { openPending(key, {}); });

    reloadRecent();
}

QPushButton* WelcomePage::actionButton(const QIcon& icon, const QString& text, const QString& detail, const char* name)
{
    auto* button = new QPushButton(icon, text, this);
    button->setObjectName(QLatin1String(name));
    button->setToolTip(detail);
    button->setIconSize(QSize(22, 22));
    button->setMinimumHeight(44);
    button->setStyleSheet(QStringLiteral("QPushButton { text-align: left; padding: 6px 14px; }"));
    return button;
}

void WelcomePage::setMessage(const QString& text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

QString WelcomePage::message() const
{
    return m_message->text();
}

void WelcomePage::noteOpened(const QString& uri, const QString& kind)
{
    RecentStores().add(uri, kind);
    setMessage({});
    reloadRecent();
}

void WelcomePage::reloadRecent()
{
    m_recent->clear();
    const QLocale locale;
    for (const RecentStore& store : RecentStores().list()) {
        const bool network = isPostgres(store.uri) || store.uri.contains(QLatin1String("postgres"));
        const QIcon icon = network
            ? QIcon::fromTheme(QStringLiteral("network-server"), style()->standardIcon(QStyle::SP_DriveNetIcon))
            : QIcon::fromTheme(QStringLiteral("drive-harddisk"), style()->standardIcon(QStyle::SP_DriveHDIcon));
        const QString when = store.lastOpened.isValid()
            ? tr("opened %1").arg(locale.toString(store.lastOpened.toLocalTime(), QLocale::ShortFormat))
            : QString();
        auto* item = new QListWidgetItem(icon,
            store.displayName + QLatin1Char('\n') + kindLabel(store.kind)
                + (when.isEmpty() ? QString() : QStringLiteral("  ·  ") + when),
            m_recent);
        item->setToolTip(store.uri);
        item->setData(kUriRole, store.uri);
        item->setData(kKindRole, store.kind);
    }
    const bool empty = m_recent->count() == 0;
    m_recent->setVisible(!empty);
    m_recentEmpty->setVisible(empty);
    if (!empty)
        m_recent->setCurrentRow(0);
}

QString WelcomePage::sqliteUriFor(const QString& localFile)
{
    const QString suffix = QFileInfo(localFile).suffix();
    const QString lower = suffix.toLower();
    if (lower != QLatin1String("db") && lower != QLatin1String("sqlite") && lower != QLatin1String("sqlite3"))
        return {};
    // The STORE parser knows a bare path by its lower-case ending; any other spelling needs the scheme.
    return suffix == lower ? localFile : QLatin1String("sqlite:") + localFile;
}

void WelcomePage::dragEnterEvent(QDragEnterEvent* event)
{
    bool isSqlite = false;
    const QString file = droppedFile(event->mimeData(), &isSqlite);
    if (isSqlite) {
        event->acceptProposedAction();
        return;
    }
    event->ignore();
    // A refused drag only shows a "no" cursor; the page says why while it is still over it.
    setMessage(refusal(file));
}

void WelcomePage::dropEvent(QDropEvent* event)
{
    bool isSqlite = false;
    const QString file = droppedFile(event->mimeData(), &isSqlite);
    if (!isSqlite) {
        event->ignore();
        setMessage(refusal(file));
        return;
    }
    event->acceptProposedAction();
    setMessage({});
    emit openRequested(sqliteUriFor(file));
}

QString WelcomePage::refusal(const QString& file)
{
    return file.isEmpty()
        ? tr("Only files can be dropped here: a .db, .sqlite or .sqlite3 SQLite store.")
        : tr("%1 is not a SQLite event store: drop a .db, .sqlite or .sqlite3 file.").arg(QFileInfo(file).fileName());
}

void WelcomePage::showEvent(QShowEvent* event)
{
    // The window adds to the list while another page is showing.
    reloadRecent();
    QWidget::showEvent(event);
}

void WelcomePage::openDemo()
{
    setMessage({});
    emit openDemoRequested();
    m_demo->request();
}

void WelcomePage::chooseSqliteFile()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open SQLite event store"), QString(), tr("Event stores (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (file.isEmpty())
        return;
    const QString uri = sqliteUriFor(file);
    // A file of another name may still be a store; the sqlite: scheme says how to read it.
    emit openRequested(uri.isEmpty() ? QLatin1String("sqlite:") + file : uri);
}

void WelcomePage::connectToPostgres(const QString& startFrom)
{
    auto* dialog = new ConnectionDialog(this);
    dialog->setObjectName(QStringLiteral("connectionDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const auto settings = ConnectionSettings::fromStoreUri(startFrom))
        dialog->setSettings(*settings);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        setMessage({});
        emit openRequested(dialog->storeUri());
    });
    dialog->open();
}

void WelcomePage::openRecent(QListWidgetItem* item)
{
    if (item)
        openRecentUri(item->data(kUriRole).toString());
}

void WelcomePage::openRecentUri(const QString& uri)
{
    setMessage({});
    const auto settings = ConnectionSettings::fromStoreUri(uri);
    if (!settings) {
        emit openRequested(uri);
        return;
    }
    const QString key = settings->keychainKey();
    if (m_waitingForPassword.contains(key))
        return; // asked already
    m_waitingForPassword.insert(key, uri);
    m_vault->read(key);
}

void WelcomePage::openPending(const QString& key, const QString& password)
{
    const QString uri = m_waitingForPassword.take(key);
    auto settings = ConnectionSettings::fromStoreUri(uri);
    if (!settings)
        return;
    if (!password.isEmpty())
        settings->password = password;
    emit openRequested(password.isEmpty() ? uri : settings->storeUri());
}

void WelcomePage::recentMenu(const QPoint& position)
{
    QListWidgetItem* item = m_recent->itemAt(position);
    if (!item)
        return;
    const QString uri = item->data(kUriRole).toString();
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("recentMenu"));
    QAction* open = menu.addAction(tr("Open"));
    connect(open, &QAction::triggered, this, [this, uri] { openRecentUri(uri); });
    if (isPostgres(uri)) {
        QAction* edit = menu.addAction(tr("Edit connection…"));
        connect(edit, &QAction::triggered, this, [this, uri] { connectToPostgres(uri); });
    }
    menu.addSeparator();
    QAction* remove = menu.addAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Remove from list"));
    remove->setObjectName(QStringLiteral("removeAction"));
    connect(remove, &QAction::triggered, this, [this, uri] {
        RecentStores().remove(uri);
        reloadRecent();
    });
    menu.exec(m_recent->viewport()->mapToGlobal(position));
}

} // namespace eventscope
