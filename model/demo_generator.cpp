#include "model/demo_generator.h"

#include "storage/error.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <queue>
#include <random>
#include <unordered_set>

namespace eventscope {
namespace {

using Json = nlohmann::ordered_json;

constexpr Micros kStart = 1'704'067'200'000'000; // 2024-01-01T00:00:00Z
constexpr Micros kSpan = 42LL * 24 * 3600 * 1'000'000; // six weeks
constexpr Micros kMinute = 60'000'000;
constexpr std::size_t kEventsPerTransaction = 5000;
constexpr int kSkus = 60;

const std::array<const char*, 8> kTellers { "u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7", "u-17" };
const std::array<const char*, 4> kCurrencies { "EUR", "EUR", "USD", "GBP" };
const std::array<const char*, 3> kCarriers { "dhl", "ups", "postnl" };

enum class Step {
    ReserveStock,
    RequestPayment,
    SettlePayment,
    MarkPaid,
    CreateShipment,
    Dispatch,
    Deliver,
    Complete,
    Cancel,
    ReleaseStock,
};

struct Order
{
    std::int64_t number = 0;
    std::string correlation;
    std::string customer;
    std::string sku;
    std::int64_t quantity = 0;
    std::int64_t total = 0;
    std::string currency;
    std::string lastEventId; // the cause of the next step
    bool paymentFails = false;
    bool stalls = false; // never shipped: the kind of flow a person debugs
};

struct Pending
{
    Micros due;
    std::size_t order;
    Step step;
    bool operator>(const Pending& other) const { return due > other.due; }
};

class Generator
{
public:
    Generator(EventStore& store, const DemoOptions& options, const std::function<void(std::int64_t)>& progress)
        : m_store(store)
        , m_options(options)
        , m_progress(progress)
        , m_rng(options.seed)
    {
        const std::int64_t streams
            = options.streams > 0 ? options.streams : std::max<std::int64_t>(20, options.events / 12);
        m_accountCount = std::max<std::int64_t>(4, streams * 3 / 10);
        m_orderTarget = std::max<std::int64_t>(1, (streams - m_accountCount - kSkus) / 3);
        m_balances.assign(static_cast<std::size_t>(m_accountCount), -1);
        // Each order makes about ten events; start them evenly over the events not spent on steps.
        const double orderEvents = 10.0 * static_cast<double>(m_orderTarget);
        m_orderChance = std::min(0.45,
            static_cast<double>(m_orderTarget) / std::max(1.0, static_cast<double>(options.events) - orderEvents));
        m_gap = kSpan / std::max<std::int64_t>(1, options.events);
    }

    DemoSummary run()
    {
        DemoSummary summary;
        summary.firstTime = kStart;
        for (std::int64_t i = 0; emitted() < m_options.events; ++i) {
            m_now = kStart + i * m_gap + static_cast<Micros>(uniform(0, std::max<std::int64_t>(0, m_gap - 1)));
            if (!m_pending.empty() && m_pending.top().due <= m_now) {
                const Pending next = m_pending.top();
                m_pending.pop();
                advanceOrder(next.order, next.step);
            } else if (static_cast<std::int64_t>(m_orders.size()) < m_orderTarget && chance(m_orderChance)) {
                placeOrder();
            } else {
                bankEvent();
            }
            if (m_batch.size() >= kEventsPerTransaction)
                flush();
        }
        flush();
        summary.events = m_written;
        summary.streams = static_cast<std::int64_t>(m_streams.size());
        summary.lastTime = m_now;
        return summary;
    }

private:
    std::int64_t uniform(std::int64_t low, std::int64_t high)
    {
        return std::uniform_int_distribution<std::int64_t>(low, high)(m_rng);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }
    template <typename Array> const char* pick(const Array& values)
    {
        return values[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(values.size()) - 1))];
    }

    // A version 7 UUID for the current demo time: time-ordered like the IDs the store makes itself (so the ID
    // index grows at its end), and the same for the same seed.
    std::string uuid()
    {
        const std::uint64_t high = m_rng();
        return uuidV7(static_cast<std::uint64_t>(m_now / 1000), high, m_rng());
    }

    std::int64_t emitted() const { return m_written + static_cast<std::int64_t>(m_batch.size()); }

    // Schema v2 was deployed 40% into the demo's time span.
    bool schemaV2() const { return m_now >= kStart + kSpan * 4 / 10; }

    std::string emit(const std::string& stream, const std::string& type, Json data, const std::string& actor,
        const std::string& correlation, const std::string& causation)
    {
        Json metadata;
        metadata["correlationId"] = correlation;
        metadata["causationId"] = causation;
        metadata["userId"] = actor;
        metadata["schemaVersion"] = schemaV2() ? 2 : 1;
        metadata["source"] = "eventscope-demo";
        NewEvent event;
        event.id = uuid();
        event.type = type;
        event.data = data.dump();
        event.metadata = metadata.dump();
        event.time = m_now;
        m_batch.push_back(AppendRequest { stream, ExpectedVersion::any(), { event } });
        m_streams.insert(stream);
        return event.id;
    }

    void schedule(std::size_t order, Step step, Micros minDelay, Micros maxDelay)
    {
        m_pending.push({ m_now + uniform(minDelay, maxDelay), order, step });
    }

    void placeOrder()
    {
        Order order;
        order.number = 10000 + static_cast<std::int64_t>(m_orders.size());
        order.correlation = uuid();
        order.customer = "c-" + std::to_string(uniform(1, 5000));
        order.sku = "sku-" + std::to_string(uniform(1, kSkus));
        order.quantity = uniform(1, 5);
        order.total = order.quantity * uniform(5, 400);
        order.currency = pick(kCurrencies);
        order.paymentFails = chance(0.06);
        order.stalls = chance(0.03);
        Json data;
        data["orderId"] = "order-" + std::to_string(order.number);
        if (schemaV2()) {
            data["customer"] = { { "id", order.customer }, { "tier", chance(0.2) ? "gold" : "standard" } };
            data["lines"] = Json::array({ { { "sku", order.sku }, { "quantity", order.quantity } } });
            data["total"] = { { "amount", order.total }, { "currency", order.currency } };
        } else {
            data["customerId"] = order.customer;
            data["lines"] = Json::array({ { { "sku", order.sku }, { "quantity", order.quantity } } });
            data["total"] = order.total;
        }
        order.lastEventId = emit("order-" + std::to_string(order.number), "OrderPlaced", std::move(data),
            order.customer, order.correlation, order.correlation);
        m_orders.push_back(std::move(order));
        const std::size_t index = m_orders.size() - 1;
        schedule(index, Step::ReserveStock, kMinute / 60, 2 * kMinute);
        schedule(index, Step::RequestPayment, kMinute / 30, kMinute);
    }

    void advanceOrder(std::size_t index, Step step)
    {
        Order& o = m_orders[index];
        const std::string order = "order-" + std::to_string(o.number);
        const std::string payment = "payment-" + std::to_string(o.number);
        const std::string shipment = "shipment-" + std::to_string(o.number);
        const std::string inventory = "inventory-" + o.sku;
        Json data;
        data["orderId"] = order;
        switch (step) {
        case Step::ReserveStock:
            data["sku"] = o.sku;
            data["quantity"] = o.quantity;
            emit(inventory, "StockReserved", std::move(data), "inventory-service", o.correlation, o.lastEventId);
            return; // a side branch: the order's chain goes on through the payment
        case Step::RequestPayment:
            data["amount"] = o.total;
            data["currency"] = o.currency;
            o.lastEventId
                = emit(payment, "PaymentRequested", std::move(data), "payment-service", o.correlation, o.lastEventId);
            schedule(index, Step::SettlePayment, kMinute / 10, 5 * kMinute);
            return;
        case Step::SettlePayment:
            data["amount"] = o.total;
            if (o.paymentFails) {
                data["reason"] = chance(0.5) ? "card declined" : "insufficient funds";
                o.lastEventId
                    = emit(payment, "PaymentFailed", std::move(data), "payment-service", o.correlation, o.lastEventId);
                schedule(index, Step::Cancel, kMinute / 10, 10 * kMinute);
            } else {
                data["authorization"] = uuid().substr(0, 8);
                o.lastEventId = emit(
                    payment, "PaymentAuthorized", std::move(data), "payment-service", o.correlation, o.lastEventId);
                schedule(index, Step::MarkPaid, kMinute / 10, 2 * kMinute);
            }
            return;
        case Step::MarkPaid:
            data["paidAmount"] = o.total;
            o.lastEventId = emit(order, "OrderPaid", std::move(data), "order-service", o.correlation, o.lastEventId);
            if (!o.stalls)
                schedule(index, Step::CreateShipment, 10 * kMinute, 12 * 60 * kMinute);
            return;
        case Step::CreateShipment:
            data["carrier"] = pick(kCarriers);
            data["address"]
                = { { "city", chance(0.5) ? "Utrecht" : "Lyon" }, { "country", chance(0.5) ? "NL" : "FR" } };
            o.lastEventId = emit(shipment, "ShipmentCreated", std::move(data),
                "warehouse-" + std::to_string(uniform(1, 3)), o.correlation, o.lastEventId);
            schedule(index, Step::Dispatch, 30 * kMinute, 24 * 60 * kMinute);
            return;
        case Step::Dispatch:
            data["trackingNumber"] = "TRK" + std::to_string(uniform(100000000, 999999999));
            // One order in 40 is dispatched on a carrier's pickup message that never reached the store: a broken
            // flow for the Flow tab to find (DESIGN §6). Derived from the order number, so no random draw moves.
            o.lastEventId = emit(shipment, "ShipmentDispatched", std::move(data),
                "warehouse-" + std::to_string(uniform(1, 3)), o.correlation,
                o.number % 40 == 7
                    ? uuidV7(static_cast<std::uint64_t>(m_now / 1000), std::uint64_t(o.number) * 2654435761u, 0x5eed)
                    : o.lastEventId);
            schedule(index, Step::Deliver, 12 * 60 * kMinute, 4 * 24 * 60 * kMinute);
            return;
        case Step::Deliver:
            data["signedBy"] = chance(0.8) ? "recipient" : "neighbour";
            o.lastEventId
                = emit(shipment, "ShipmentDelivered", std::move(data), "carrier-gateway", o.correlation, o.lastEventId);
            schedule(index, Step::Complete, kMinute, 30 * kMinute);
            return;
        case Step::Complete:
            o.lastEventId
                = emit(order, "OrderCompleted", std::move(data), "order-service", o.correlation, o.lastEventId);
            return;
        case Step::Cancel:
            data["reason"] = "payment failed";
            o.lastEventId
                = emit(order, "OrderCancelled", std::move(data), "order-service", o.correlation, o.lastEventId);
            schedule(index, Step::ReleaseStock, kMinute / 10, 5 * kMinute);
            return;
        case Step::ReleaseStock:
            data["sku"] = o.sku;
            data["quantity"] = o.quantity;
            emit(inventory, "StockReleased", std::move(data), "inventory-service", o.correlation, o.lastEventId);
            return;
        }
    }

    void bankEvent()
    {
        const auto account = static_cast<std::size_t>(uniform(0, m_accountCount - 1));
        const std::string stream = "account-" + std::to_string(1000 + account);
        const std::string teller = pick(kTellers);
        const std::string correlation = uuid();
        std::int64_t& balance = m_balances[account];
        Json data;
        if (balance < 0) {
            data["owner"] = "Customer " + std::to_string(1000 + account);
            data["currency"] = "EUR";
            data["overdraftLimit"] = 0;
            emit(stream, "AccountOpened", std::move(data), teller, correlation, correlation);
            balance = 0;
            return;
        }
        const std::int64_t amount = uniform(1, 500);
        if (balance >= amount && emitted() + 2 <= m_options.events && chance(0.15)) {
            // A transfer: the withdrawal causes a deposit on another account, under one correlation.
            const auto target = static_cast<std::size_t>(uniform(0, m_accountCount - 1));
            if (target != account && m_balances[target] >= 0) {
                balance -= amount;
                Json out { { "amount", amount }, { "transferTo", "account-" + std::to_string(1000 + target) } };
                if (schemaV2())
                    out["currency"] = "EUR";
                const std::string cause
                    = emit(stream, "MoneyWithdrawn", std::move(out), teller, correlation, correlation);
                m_balances[target] += amount;
                Json in { { "amount", amount }, { "transferFrom", stream } };
                if (schemaV2())
                    in["currency"] = "EUR";
                emit("account-" + std::to_string(1000 + target), "MoneyDeposited", std::move(in), "transfer-service",
                    correlation, cause);
                return;
            }
        }
        const bool deposit = balance < amount || chance(0.55);
        balance += deposit ? amount : -amount;
        data["amount"] = amount;
        if (schemaV2()) {
            data["currency"] = "EUR";
            data["channel"] = chance(0.5) ? "atm" : "branch";
        }
        emit(stream, deposit ? "MoneyDeposited" : "MoneyWithdrawn", std::move(data), teller, correlation, correlation);
    }

    void flush()
    {
        if (m_batch.empty())
            return;
        m_store.append(std::span<const AppendRequest>(m_batch));
        m_written += static_cast<std::int64_t>(m_batch.size());
        m_batch.clear();
        if (m_progress)
            m_progress(m_written);
    }

    EventStore& m_store;
    DemoOptions m_options;
    const std::function<void(std::int64_t)>& m_progress;
    std::mt19937_64 m_rng;
    std::int64_t m_accountCount = 0;
    std::int64_t m_orderTarget = 0;
    double m_orderChance = 0;
    Micros m_gap = 0;
    Micros m_now = kStart;
    std::vector<std::int64_t> m_balances; // -1: not opened yet
    std::vector<Order> m_orders;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_pending;
    std::vector<AppendRequest> m_batch;
    std::unordered_set<std::string> m_streams;
    std::int64_t m_written = 0;
};

} // namespace

DemoSummary generateDemo(
    EventStore& store, const DemoOptions& options, const std::function<void(std::int64_t)>& progress)
{
    if (options.events < 1 || options.events > 100'000'000)
        fail(ErrorKind::BadInput, "--events must be between 1 and 100000000");
    if (options.streams < 0)
        fail(ErrorKind::BadInput, "--streams cannot be negative");
    return Generator(store, options, progress).run();
}

} // namespace eventscope
