#pragma once
// One libpq connection of the PostgreSQL store, through libpqxx 6.4. It connects with a timeout, keeps
// prepared statements by their text, waits for NOTIFY, and turns every libpqxx exception into an
// eventscope::Error, so that no pqxx type leaves storage/. Only the PostgreSQL store's .cpp files include it.

#include "storage/error.h"
#include "storage/store_uri.h"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace eventscope {

class PostgresConnection
{
public:
    // Throws Unreachable naming the store and libpq's reason when the server cannot be reached.
    explicit PostgresConnection(const StoreUri& uri);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    pqxx::connection& raw() { return *m_conn; }
    // Asks the server to cancel the statement running on this connection; safe from another thread.
    void cancel();
    const StoreUri& uri() const { return m_uri; }
    // The schema as an SQL identifier, quoted.
    const std::string& quotedSchema() const { return m_quotedSchema; }

    // The name of a prepared statement for `sql`, registered on first use and reused after.
    const std::string& statement(const std::string& sql);

    // Runs `body`. Whatever libpqxx or libpq throws leaves it as an eventscope::Error. After the connection
    // was lost, the next call connects afresh first (and fails as Unreachable while the server stays away).
    template <typename Body> decltype(auto) guarded(Body&& body)
    {
        try {
            if (m_lost)
                reconnect();
            return body();
        } catch (const Error&) {
            m_lost = m_lost || (m_conn && !m_conn->is_open());
            throw;
        } catch (const std::exception& e) {
            m_lost = m_conn && !m_conn->is_open();
            throw translate(e);
        }
    }

    // The Error that a libpqxx exception stands for.
    Error translate(const std::exception& e) const;

    // LISTENs on `channel` from the first call on; then waits up to `timeout` for a notification.
    bool awaitNotification(const std::string& channel, std::chrono::milliseconds timeout);

private:
    class ChangeReceiver;

    void connect();
    void reconnect();

    StoreUri m_uri;
    std::string m_quotedSchema;
    std::unique_ptr<pqxx::connection> m_conn;
    std::mutex m_connMutex; // held while m_conn is replaced, so that cancel() from another thread sees a whole one
    std::unique_ptr<pqxx::quiet_errorhandler> m_quiet; // notices (e.g. "schema already exists") stay off stderr
    std::unique_ptr<ChangeReceiver> m_receiver;
    bool m_notified = false;
    bool m_lost = false;
    bool m_standby = false; // a server in recovery: no LISTEN
    std::unordered_map<std::string, std::string> m_statements; // SQL text -> prepared statement name
    std::uint64_t m_statementCount = 0;
};

// The text of a one-dimensional PostgreSQL array literal. A whole column of a batch travels as one bound
// parameter and is taken apart by unnest($n::type[]), so one statement writes any number of rows.
class PgArray
{
public:
    void add(std::string_view text);
    void add(std::int64_t number);
    void addNull();
    void addOrNull(std::string_view text); // empty text is NULL, as the SQLite store binds it
    void addOrNull(const std::optional<std::int64_t>& number);
    std::string str() const { return m_text + '}'; }
    std::size_t size() const { return m_size; }

private:
    void separate();

    std::string m_text = "{";
    std::size_t m_size = 0;
};

// The first line of a libpq message, without its "ERROR:  " label.
std::string firstLine(const std::string& message);
// Why a connection broke, in words for a person.
std::string lossReason(const std::exception& e);

// A field's text, which may hold any bytes.
inline std::string fieldText(const pqxx::field& field)
{
    return std::string(field.c_str(), field.size());
}

// A stable advisory lock key per store and purpose, so that stores in other schemas of the same database
// never wait for each other.
std::int64_t advisoryLockKey(const std::string& purpose, const std::string& schema);

} // namespace eventscope
