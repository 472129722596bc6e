#pragma once
// The names a store's filter widgets offer: its event types and categories. A worker reads them on its own
// connection, so a store with thousands of either never blocks the window; at most maxEntries of each are kept.

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <cstddef>
#include <string>

namespace eventscope {

class StoreCatalog : public QObject
{
    Q_OBJECT

public:
    static constexpr std::size_t maxEntries = 5000;

    explicit StoreCatalog(QObject* parent = nullptr);
    ~StoreCatalog() override;

    // Reads the store named by `uri` again; a load still running for an older URI is superseded.
    void load(std::string uri);
    bool isLoading() const { return m_watcher.isRunning(); }

    QStringList types() const { return m_types; }
    QStringList categories() const { return m_categories; }
    // True when the store holds more than maxEntries and the list stops there.
    bool typesTruncated() const { return m_typesTruncated; }
    bool categoriesTruncated() const { return m_categoriesTruncated; }

signals:
    void loaded();
    void loadFailed(const QString& message);

private:
    struct Result
    {
        QStringList types;
        QStringList categories;
        bool typesTruncated = false;
        bool categoriesTruncated = false;
        QString error;
        quint64 generation = 0;
    };
    void start();
    void takeResult();

    std::string m_uri;
    quint64 m_generation = 0;
    QStringList m_types;
    QStringList m_categories;
    bool m_typesTruncated = false;
    bool m_categoriesTruncated = false;
    QFutureWatcher<Result> m_watcher;
};

} // namespace eventscope
