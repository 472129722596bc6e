#include "model/store_catalog.h"

#include "storage/error.h"
#include "storage/event_store.h"

#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {

StoreCatalog::StoreCatalog(QObject* parent)
    : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, &StoreCatalog::takeResult);
}

StoreCatalog::~StoreCatalog()
{
    m_watcher.waitForFinished();
}

void StoreCatalog::load(std::string uri)
{
    m_uri = std::move(uri);
    ++m_generation;
    start();
}

void StoreCatalog::start()
{
    if (m_watcher.isRunning())
        return; // takeResult() starts again for the newest URI
    m_watcher.setFuture(QtConcurrent::run([uri = m_uri, generation = m_generation] {
        Result result;
        result.generation = generation;
        try {
            const auto store = openStore(uri);
            // One more than kept tells whether the list was cut.
            const auto types = store->eventTypes(maxEntries + 1);
            result.typesTruncated = types.size() > maxEntries;
            for (std::size_t i = 0; i < types.size() && i < maxEntries; ++i)
                result.types.append(QString::fromStdString(types[i]));

            CategoryQuery query;
            query.limit = maxEntries + 1;
            const auto categories = store->categories(query);
            result.categoriesTruncated = categories.size() > maxEntries;
            for (std::size_t i = 0; i < categories.size() && i < maxEntries; ++i)
                result.categories.append(QString::fromStdString(categories[i].name));
        } catch (const std::exception& e) {
            result.error = QString::fromStdString(e.what());
            if (result.error.isEmpty())
                result.error = tr("The store's types and categories could not be read.");
        }
        return result;
    }));
}

void StoreCatalog::takeResult()
{
    Result result = m_watcher.result();
    if (result.generation != m_generation) {
        start(); // the URI changed while this one loaded
        return;
    }
    if (!result.error.isEmpty()) {
        emit loadFailed(result.error);
        return;
    }
    m_types = std::move(result.types);
    m_categories = std::move(result.categories);
    m_typesTruncated = result.typesTruncated;
    m_categoriesTruncated = result.categoriesTruncated;
    emit loaded();
}

} // namespace eventscope
