#include "storage/postgres_connection.h"

#include <algorithm>
#include <thread>

namespace eventscope {
namespace {

bool hasParameter(const std::string& uri, const std::string& key)
{
    const auto question = uri.find('?');
    if (question == std::string::npos)
        return false;
    const std::string query = "&" + uri.substr(question + 1);
    return query.find("&" + key + "=") != std::string::npos;
}

// Adds libpq parameters the URI does not set itself: a connection attempt gives up after 5 s instead of
// the OS's minutes, and text travels as UTF-8 whatever the server's default, so JSON comes back unchanged.
std::string connectionString(std::string uri)
{
    auto add = [&uri](const std::string& key, const std::string& value) {
        if (hasParameter(uri, key))
            return;
        const auto question = uri.find('?');
        if (question == std::string::npos)
            uri += '?';
        else if (question + 1 != uri.size() && uri.back() != '&')
            uri += '&';
        uri += key + "=" + value;
    };
    add("connect_timeout", "5");
    add("client_encoding", "UTF8");
    add("fallback_application_name", "eventscope");
    return uri;
}

} // namespace

std::string firstLine(const std::string& message)
{
    std::string line = message.substr(0, message.find('\n'));
    for (const char* label : { "ERROR:  ", "FATAL:  " }) {
        if (line.rfind(label, 0) == 0)
            line.erase(0, std::char_traits<char>::length(label));
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

std::string lossReason(const std::exception& e)
{
    const std::string line = firstLine(e.what());
    // libpqxx's words when the server has closed the socket under it
    return line.find("not connected") != std::string::npos ? "the server closed the connection" : line;
}

std::int64_t advisoryLockKey(const std::string& purpose, const std::string& schema)
{
    std::uint64_t hash = 14695981039346656037ULL; // FNV-1a
    for (const unsigned char c : "eventscope:" + purpose + ":" + schema) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(hash & 0x3FFFFFFFFFFFFFFFULL);
}

class PostgresConnection::ChangeReceiver final : public pqxx::notification_receiver
{
public:
    ChangeReceiver(pqxx::connection_base& connection, const std::string& channel, bool& flag)
        : pqxx::notification_receiver(connection, channel)
        , m_flag(flag)
    {
    }
    void operator()(const std::string&, int) override { m_flag = true; }

private:
    bool& m_flag;
};

PostgresConnection::PostgresConnection(const StoreUri& uri)
    : m_uri(uri)
{
    connect();
}

PostgresConnection::~PostgresConnection()
{
    m_receiver.reset();
    m_quiet.reset();
}

void PostgresConnection::connect()
{
    try {
        auto connection = std::make_unique<pqxx::connection>(connectionString(m_uri.connection));
        {
            const std::lock_guard lock(m_connMutex);
            m_conn = std::move(connection);
        }
        m_quiet = std::make_unique<pqxx::quiet_errorhandler>(*m_conn);
        m_quotedSchema = m_conn->quote_name(m_uri.schema);
        // Unqualified names (the shared SQL builders say "FROM events") resolve in the store's schema only;
        // pg_catalog is always searched first.
        m_conn->set_variable("search_path", m_quotedSchema);
    } catch (const std::exception& e) {
        m_quiet.reset();
        const std::lock_guard lock(m_connMutex);
        m_conn.reset();
        fail(ErrorKind::Unreachable, "cannot reach the PostgreSQL store " + m_uri.display + ": " + firstLine(e.what()));
    }
}

void PostgresConnection::reconnect()
{
    m_receiver.reset(); // the next wait LISTENs on the new connection
    m_standby = false;
    m_quiet.reset();
    m_statements.clear();
    {
        const std::lock_guard lock(m_connMutex);
        m_conn.reset();
    }
    connect();
    m_lost = false;
    // Whatever was appended while the connection was down sent no notification here.
    m_notified = true;
}

const std::string& PostgresConnection::statement(const std::string& sql)
{
    auto found = m_statements.find(sql);
    if (found != m_statements.end())
        return found->second;
    if (m_statements.size() >= 256) {
        // Reads of many shapes and limits; forget them all rather than grow without bound.
        for (const auto& [text, name] : m_statements)
            m_conn->unprepare(name);
        m_statements.clear();
    }
    std::string name = "eventscope_" + std::to_string(++m_statementCount);
    m_conn->prepare(name, sql);
    return m_statements.emplace(sql, std::move(name)).first->second;
}

void PostgresConnection::cancel()
{
    const std::lock_guard lock(m_connMutex);
    if (m_conn && m_conn->is_open())
        m_conn->cancel_query();
}

Error PostgresConnection::translate(const std::exception& e) const
{
    const std::string line = firstLine(e.what());
    const std::string& store = m_uri.display;
    if (dynamic_cast<const pqxx::broken_connection*>(&e))
        return Error(
            ErrorKind::Unreachable, "lost the connection to the PostgreSQL store " + store + ": " + lossReason(e));
    if (dynamic_cast<const pqxx::in_doubt_error*>(&e))
        return Error(ErrorKind::Unreachable,
            "lost the connection to the PostgreSQL store " + store
                + " while committing, so the change may or may not have been written: " + line);
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
        const std::string& state = sql->sqlstate();
        const std::string group = state.substr(0, 2);
        if (state == "57014")
            return Error(ErrorKind::Cancelled, "the query was cancelled");
        if (state == "42P01" || state == "3F000")
            return Error(ErrorKind::Unreachable, store + " has no Eventscope store in schema " + m_uri.schema);
        if (group == "22" || group == "23")
            return Error(ErrorKind::BadInput, "the PostgreSQL store " + store + " refused the input: " + line);
        if (state == "25006")
            return Error(ErrorKind::BadInput, "the PostgreSQL store " + store + " is read-only: " + line);
        if (state == "42501")
            return Error(ErrorKind::Unreachable, "the PostgreSQL store " + store + " refused access: " + line);
        if (group == "08" || group == "28" || group == "3D" || group == "53" || group == "57")
            return Error(ErrorKind::Unreachable, "cannot reach the PostgreSQL store " + store + ": " + line);
    }
    return Error(ErrorKind::Unreachable, "the PostgreSQL store " + store + " failed: " + line);
}

bool PostgresConnection::awaitNotification(const std::string& channel, std::chrono::milliseconds timeout)
{
    if (!m_receiver && !m_standby) {
        // A standby can neither LISTEN nor hear the primary's NOTIFY: followers poll it instead.
        m_standby = pqxx::nontransaction(*m_conn).exec1("SELECT pg_is_in_recovery()")[0].as<bool>();
        if (!m_standby)
            m_receiver = std::make_unique<ChangeReceiver>(*m_conn, channel, m_notified);
    }
    if (m_standby) {
        std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(250)));
        return true;
    }
    // Notifications that arrived during earlier queries are already queued; a wake-up by other traffic on
    // the socket is not one, so wait again for what remains of the timeout.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    m_conn->get_notifs();
    while (!m_notified) {
        const auto left
            = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            break;
        m_conn->await_notification(
            static_cast<long>(left.count() / 1'000'000), static_cast<long>(left.count() % 1'000'000));
    }
    const bool changed = m_notified;
    m_notified = false;
    return changed;
}

void PgArray::separate()
{
    if (m_size++ > 0)
        m_text += ',';
}

void PgArray::add(std::string_view text)
{
    separate();
    m_text += '"';
    for (;;) {
        const auto special = text.find_first_of("\"\\");
        m_text.append(text.substr(0, special));
        if (special == std::string_view::npos)
            break;
        m_text += '\\';
        m_text += text[special];
        text.remove_prefix(special + 1);
    }
    m_text += '"';
}

void PgArray::add(std::int64_t number)
{
    separate();
    m_text += std::to_string(number);
}

void PgArray::addNull()
{
    separate();
    m_text += "NULL";
}

void PgArray::addOrNull(std::string_view text)
{
    if (text.empty())
        addNull();
    else
        add(text);
}

void PgArray::addOrNull(const std::optional<std::int64_t>& number)
{
    if (number)
        add(*number);
    else
        addNull();
}

} // namespace eventscope
