#include "ui/main_window.h"

#include "model/event_table_model.h"
#include "storage/error.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
namespace {

struct OpenResult
{
    QString kind;
    qint64 head = 0;
    QString error;
};

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_pages(new QStackedWidget(this))
    , m_eventsView(new QTableView(this))
    , m_storeLabel(new QLabel(this))
    , m_headLabel(new QLabel(this))
{
    setWindowTitle(tr("Eventscope"));
    m_pages->addWidget(createWelcomePage());
    m_eventsView->setAlternatingRowColors(true);
    m_eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventsView->verticalHeader()->hide();
    m_eventsView->horizontalHeader()->setStretchLastSection(true);
    m_pages->addWidget(m_eventsView);
    setCentralWidget(m_pages);
    statusBar()->addWidget(m_storeLabel, 1);
    statusBar()->addPermanentWidget(m_headLabel);
    m_storeLabel->setText(tr("No store open"));
    resize(1200, 760);
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::createWelcomePage()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    auto* title
        = new QLabel(tr("<h1>Eventscope</h1><p>Open an event store to browse its streams and events.</p>"), page);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    auto* open = new QPushButton(tr("Open SQLite file…"), page);
    open->setMinimumWidth(240);
    connect(open, &QPushButton::clicked, this, &MainWindow::chooseSqliteFile);
    layout->addWidget(open, 0, Qt::AlignHCenter);
    m_welcomeMessage = new QLabel(page);
    m_welcomeMessage->setAlignment(Qt::AlignCenter);
    m_welcomeMessage->setWordWrap(true);
    layout->addWidget(m_welcomeMessage);
    layout->addStretch(3);
    return page;
}

void MainWindow::chooseSqliteFile()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open SQLite event store"), QString(), tr("Event stores (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (!file.isEmpty())
        openStoreAsync(file);
}

void MainWindow::openStoreAsync(const QString& uri)
{
    m_storeLabel->setText(tr("Opening %1…").arg(uri));
    auto* watcher = new QFutureWatcher<OpenResult>(this);
    connect(watcher, &QFutureWatcher<OpenResult>::finished, this, [this, watcher, uri] {
        const OpenResult result = watcher->result();
        watcher->deleteLater();
        if (!result.error.isEmpty()) {
            m_storeLabel->setText(tr("No store open"));
            m_welcomeMessage->setText(result.error);
            m_pages->setCurrentIndex(0);
            emit storeFailed(result.error);
            return;
        }
        showStore(uri, result.kind, result.head);
    });
    watcher->setFuture(QtConcurrent::run([uri]() {
        OpenResult result;
        try {
            auto store = openStore(uri.toStdString());
            result.kind = QString::fromStdString(store->describe().kind);
            result.head = store->headPosition();
        } catch (const Error& e) {
            result.error = QString::fromStdString(e.what());
        }
        return result;
    }));
}

void MainWindow::showStore(const QString& uri, const QString& kind, qint64 head)
{
    m_model = std::make_unique<EventTableModel>(uri.toStdString());
    connect(m_model.get(), &EventTableModel::loadFailed, this,
        [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(m_model.get(), &EventTableModel::pageLoaded, this, [this] {
        if (m_eventsView->horizontalHeader()->sectionSize(EventTableModel::Time) < 200)
            m_eventsView->resizeColumnsToContents();
    });
    m_eventsView->setModel(m_model.get());
    m_model->setQuery({});
    m_pages->setCurrentWidget(m_eventsView);
    setWindowTitle(tr("%1 — Eventscope").arg(uri));
    m_storeLabel->setText(tr("%1 store · read-only view").arg(kind));
    m_headLabel->setText(tr("Head position %1").arg(head));
    emit storeOpened(uri);
}

} // namespace eventscope
