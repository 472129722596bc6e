#pragma once
// Follows a store for one query on a thread and a connection of its own: whenever the store changes, it reads
// the matching events after the last one it saw and hands them to the owner's thread. Stops (and joins) when
// destroyed.

#include "storage/event_store.h"

#include <QObject>

#include <functional>
#include <thread>

namespace eventscope {

class LiveTail : public QObject
{
    Q_OBJECT

public:
    // Called on the owner's thread with events in store order and the store's head position.
    using Delivery = std::function<void(std::vector<Event> events, std::int64_t head)>;

    // `nextKey` is the first position (or, for a one-stream query, version) not yet seen.
    LiveTail(
        std::string storeUri, EventQuery query, std::int64_t nextKey, Delivery delivery, QObject* parent = nullptr);
    ~LiveTail() override;

signals:
    void failed(const QString& message);

private:
    void follow(std::stop_token stop);

    std::string m_uri;
    EventQuery m_query;
    std::int64_t m_nextKey;
    Delivery m_delivery;
    std::jthread m_thread;
};

} // namespace eventscope
