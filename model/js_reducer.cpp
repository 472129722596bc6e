#include "model/js_reducer.h"

#include "model/js_reducer_driver.h"
#include "model/json_text.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QCryptographicHash>
#include <QJSEngine>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace eventscope {
namespace {

const QString kScriptFile = QStringLiteral("reducer.js");
const QString kDriverFile = QStringLiteral("eventscope-reducer-driver.js");

constexpr std::size_t kChunkEvents = 4096;
constexpr std::size_t kChunkBytes = std::size_t(64) << 20; // keeps offsets well inside Int32

// formatTime's text, written without snprintf (which costs ~300 ns an event): the date part is formatted once
// a day, the rest digit by digit.
struct DayCache
{
    std::int64_t day = std::numeric_limits<std::int64_t>::min();
    std::string prefix; // "2024-01-15T"
};

void appendTime(std::string& out, Micros time, DayCache& cache)
{
    constexpr Micros perDay = 86'400'000'000;
    if (time < std::numeric_limits<Micros>::min() + 2 * perDay) {
        out += formatTime(time);
        return;
    }
    Micros day = time / perDay;
    Micros rest = time % perDay;
    if (rest < 0) {
        rest += perDay;
        --day;
    }
    if (day != cache.day) {
        const std::string text = formatTime(day * perDay);
        cache.prefix = text.substr(0, text.find('T') + 1);
        cache.day = day;
    }
    out += cache.prefix;
    char clock[16] = "00:00:00.000000";
    const auto put = [&](int at, int width, std::int64_t value) {
        for (int i = at + width - 1; i >= at; --i, value /= 10)
            clock[i] = static_cast<char>('0' + value % 10);
    };
    put(0, 2, rest / 3'600'000'000);
    put(3, 2, rest / 60'000'000 % 60);
    put(6, 2, rest / 1'000'000 % 60);
    put(9, 6, rest % 1'000'000);
    out.append(clock, 15);
    out += 'Z';
}

bool isAscii(std::string_view text)
{
    unsigned char bits = 0;
    for (const char c : text)
        bits |= static_cast<unsigned char>(c);
    return bits < 0x80;
}

std::string sha256Hex(const std::string& text)
{
    return QCryptographicHash::hash(QByteArrayView(text.data(), qsizetype(text.size())), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

// The stack without the driver's own frames, which say nothing to the script's author.
std::string scriptStack(const QString& stack)
{
    QStringList lines = stack.split(u'\n', Qt::SkipEmptyParts);
    lines.removeIf([](const QString& line) { return line.contains(kDriverFile); });
    return lines.join(u'\n').toStdString();
}

} // namespace

JsReducer::JsReducer(const std::string& script, std::chrono::milliseconds timeLimit)
    : m_name("js:" + sha256Hex(script))
    , m_timeLimit(std::max(timeLimit, std::chrono::milliseconds(1)))
    , m_engine(std::make_unique<QJSEngine>())
    , m_watchdog([this](std::stop_token stop) { watch(stop); })
{
    const QJSValue factory = m_engine->evaluate(QString::fromUtf8(jsReducerDriverSource()), kDriverFile);
    Q_ASSERT_X(factory.isCallable(), "JsReducer", qPrintable(factory.toString()));
    const QJSValue handlers = evaluate(script);
    const Call made = run(factory, { handlers });
    if (made.timedOut)
        fail(ErrorKind::Script, timeLimitMessage() + " while its handlers were read");
    // A string says what is wrong with the handlers; anything else but the driver is what a getter threw.
    if (made.result.isString() || !made.result.property(QStringLiteral("apply")).isCallable())
        fail(ErrorKind::Script, "the reducer does not compile: " + made.result.toString().toStdString());
    const auto entry = [&](const char* name) { return made.result.property(QString::fromLatin1(name)); };
    m_apply = entry("apply");
    m_rollback = entry("rollback");
    m_at = entry("at");
    m_thrown = entry("thrown");
    m_reset = entry("reset");
    m_restore = entry("restore");
    m_state = entry("state");
    const QJSValue handled = run(entry("handled")).result;
    if (handled.isArray()) {
        m_handled.emplace();
        for (quint32 i = 0, n = handled.property(QStringLiteral("length")).toUInt(); i < n; ++i)
            m_handled->insert(handled.property(i).toString().toStdString());
    }
    reset();
}

JsReducer::~JsReducer() = default;

std::unique_ptr<Reducer> makeJsReducer(const std::string& script, std::chrono::milliseconds timeLimit)
{
    return std::make_unique<JsReducer>(script, timeLimit);
}

QJSValue JsReducer::evaluate(const std::string& script)
{
    const QString text = QString::fromUtf8(script.data(), qsizetype(script.size()));
    // Parenthesised so that a bare object literal is an expression, not a block; a trailing ';' would end the
    // expression early, so it goes.
    QString expression = text;
    while (!expression.isEmpty() && (expression.back().isSpace() || expression.back() == u';'))
        expression.chop(1);
    QStringList trace;
    Call wrapped
        = run([&] { return m_engine->evaluate(u'(' + expression + u"\n)", kScriptFile, 1, &trace); }, deadline());
    if (wrapped.timedOut)
        fail(ErrorKind::Script, timeLimitMessage() + " while it was evaluated");
    if (trace.isEmpty())
        return wrapped.result;
    // A whole program whose last statement is the object, e.g. `const when = {...}; when`.
    if (wrapped.result.errorType() == QJSValue::SyntaxError) {
        QStringList programTrace;
        Call program = run([&] { return m_engine->evaluate(text, kScriptFile, 1, &programTrace); }, deadline());
        if (program.timedOut)
            fail(ErrorKind::Script, timeLimitMessage() + " while it was evaluated");
        if (programTrace.isEmpty())
            return program.result;
    }
    int line = wrapped.result.property(QStringLiteral("lineNumber")).toInt();
    if (line <= 0 && !trace.isEmpty()) // "function:line:column:file"
        line = trace.front().section(u':', 1, 1).toInt();
    std::string message = "the reducer does not compile: " + wrapped.result.toString().toStdString();
    if (line > 0)
        message += " at line " + std::to_string(line);
    fail(ErrorKind::Script, message);
}

std::string JsReducer::name() const
{
    return m_name;
}

void JsReducer::reset()
{
    const Call call = run(m_reset);
    if (call.timedOut)
        fail(ErrorKind::Script, timeLimitMessage("the reducer's $init"));
    if (!call.result.toBool())
        fail(ErrorKind::Script, "the reducer's $init failed: " + thrown().first);
}

void JsReducer::restore(const std::string& stateJson)
{
    const Call call = run(m_restore, { QString::fromUtf8(stateJson.data(), qsizetype(stateJson.size())) });
    if (call.timedOut)
        fail(ErrorKind::Script, timeLimitMessage() + " while it read a state");
    if (!call.result.toBool())
        fail(ErrorKind::BadInput, "the reducer's state to restore is not JSON: " + thrown().first);
}

std::string JsReducer::state() const
{
    const Call call = run(m_state);
    if (call.timedOut)
        fail(ErrorKind::Script, timeLimitMessage() + " while it wrote its state");
    if (call.result.isNull())
        fail(ErrorKind::Script, "the reducer's state cannot be written as JSON: " + thrown().first);
    return call.result.toString().toStdString();
}

std::optional<ReducerFailure> JsReducer::apply(std::span<const Event> events)
{
    Q_ASSERT_X(QThread::currentThread() == m_engine->thread(), "JsReducer::apply", "used from a second thread");
    const auto limit = deadline(); // one for the whole call, however many chunks it takes
    for (std::size_t done = 0; done < events.size();) {
        const auto chunk = events.subspan(done);
        std::size_t count = 0;
        const QJSValueList batch = encode(chunk, count);
        const Call call = run([&] { return m_apply.call(batch); }, limit);
        if (!call.result.isNumber() || call.result.toInt() != -1)
            return recover(chunk, call);
        done += count;
    }
    return std::nullopt;
}

ReducerFailure JsReducer::recover(std::span<const Event> chunk, const Call& stopped)
{
    if (!stopped.timedOut && stopped.result.isNumber() && stopped.result.toInt() == -2) {
        ReducerFailure failure = failureAt(chunk.front());
        failure.message = "the reducer's state cannot be written as JSON: " + failure.message;
        failure.stack.clear();
        return failure; // nothing of this chunk ran
    }
    Call call = stopped;
    // Each round stops strictly earlier than the one before, so this ends.
    for (std::size_t bound = chunk.size();;) {
        const bool threw = !call.timedOut && call.result.isNumber();
        // An interrupt cannot be caught in the script, so then the driver cannot return the index itself.
        const int at = threw ? call.result.toInt() : run(m_at).result.toInt();
        if (at < 0 || static_cast<std::size_t>(at) >= bound)
            fail(ErrorKind::Script,
                "the reducer's state could not be taken back to before event " + std::to_string(chunk.front().version)
                    + " of " + chunk.front().stream);
        const auto index = static_cast<std::size_t>(at);
        bound = index;
        ReducerFailure failure;
        if (threw) {
            failure = failureAt(chunk[index]);
        } else {
            failure = { chunk[index].version, chunk[index].type,
                call.timedOut ? timeLimitMessage() : call.result.toString().toStdString(), {} };
        }
        // Handlers mutate the state in place, so one that stopped half-way may have left half its work.
        call = run(m_rollback, { static_cast<int>(index) });
        if (call.result.isNumber() && call.result.toInt() == -1)
            return failure;
        // Replaying the events before it failed this time (a handler that is not deterministic): stop earlier.
    }
}

ReducerFailure JsReducer::failureAt(const Event& event) const
{
    auto [message, stack] = thrown();
    return { event.version, event.type, std::move(message), std::move(stack) };
}

std::pair<std::string, std::string> JsReducer::thrown() const
{
    const Call call = run(m_thrown);
    if (call.timedOut || !call.result.isArray())
        return { "the reducer threw a value that cannot be shown", {} };
    return { call.result.property(0).toString().toStdString(), scriptStack(call.result.property(1).toString()) };
}

std::string JsReducer::timeLimitMessage(const std::string& subject) const
{
    const auto ms = m_timeLimit.count();
    std::string seconds = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        char fraction[8];
        std::snprintf(fraction, sizeof fraction, ".%03lld", static_cast<long long>(ms % 1000));
        seconds += fraction;
        while (seconds.back() == '0')
            seconds.pop_back();
    }
    return subject + " ran past its time limit of " + seconds + " s";
}

std::chrono::steady_clock::time_point JsReducer::deadline() const
{
    return std::chrono::steady_clock::now() + m_timeLimit;
}

template <typename F> JsReducer::Call JsReducer::run(F&& call, std::chrono::steady_clock::time_point deadline) const
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
        m_fired = false;
        // Deadlines only move later, so the watchdog, asleep until an earlier one, need not be woken: waking it
        // costs two context switches, more than a small batch's whole fold.
        wake = deadline < m_watchedUntil;
    }
    if (wake)
        m_wake.notify_one();
    Call done { call(), false };
    bool fired = false;
    {
        // Once the deadline is gone the watchdog cannot fire, so clearing the interrupt below is final.
        std::lock_guard lock(m_mutex);
        m_deadline.reset();
        fired = std::exchange(m_fired, false);
    }
    if (fired) {
        m_engine->setInterrupted(false);
        done.timedOut = done.result.isError(); // it may have fired just after the call returned
    }
    return done;
}

JsReducer::Call JsReducer::run(const QJSValue& function, const QJSValueList& arguments) const
{
    return run([&] { return function.call(arguments); }, deadline());
}

void JsReducer::watch(std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
        if (!m_deadline) {
            m_watchedUntil = std::chrono::steady_clock::time_point::max();
            m_wake.wait(lock, stop, [this] { return m_deadline.has_value(); });
            continue;
        }
        // Asleep until this deadline even if the call ends sooner: on waking, the next call's deadline (or none)
        // is what counts.
        const auto until = *m_deadline;
        m_watchedUntil = until;
        m_wake.wait_until(lock, stop, until, [&] { return m_deadline && *m_deadline < until; });
        if (stop.stop_requested())
            return;
        if (m_deadline && *m_deadline <= std::chrono::steady_clock::now()) {
            m_engine->setInterrupted(true);
            m_fired = true;
            m_deadline.reset();
        }
    }
}

std::int32_t JsReducer::intern(const std::string& text)
{
    // A reducer folds one stream with a few types; past 64 distinct strings, stop looking and just add.
    const std::size_t look = std::min<std::size_t>(m_strings.size(), 64);
    for (std::size_t i = 0; i < look; ++i)
        if (m_strings[i] == text)
            return static_cast<std::int32_t>(i);
    m_strings.push_back(text);
    return static_cast<std::int32_t>(m_strings.size() - 1);
}

bool JsReducer::handles(std::int32_t type)
{
    if (!m_handled)
        return true;
    if (m_handles.size() < m_strings.size())
        m_handles.resize(m_strings.size(), -1);
    signed char& known = m_handles[static_cast<std::size_t>(type)];
    if (known < 0)
        known = m_handled->contains(m_strings[static_cast<std::size_t>(type)]) ? 1 : 0;
    return known == 1;
}

QJSValueList JsReducer::encode(std::span<const Event> events, std::size_t& count)
{
    m_data.assign(1, '[');
    m_blob.clear();
    m_ints.clear();
    m_numbers.clear();
    m_strings.clear();
    m_handles.clear();
    const std::size_t expected = std::min(events.size(), kChunkEvents);
    m_ints.reserve(expected * kIntsPerEvent);
    m_numbers.reserve(expected * kNumbersPerEvent);
    DayCache day;
    const auto text = [this](std::string_view s) {
        m_ints.push_back(static_cast<std::int32_t>(m_blob.size()));
        m_blob += s;
    };
    count = 0;
    for (const Event& event : events) {
        if (count == kChunkEvents || m_blob.size() > kChunkBytes)
            break;
        if (event.data.size() + event.metadata.size() > kChunkBytes)
            fail(ErrorKind::BadInput,
                "event " + std::to_string(event.version) + " of " + event.stream + " is too large for a reducer");
        const std::int32_t type = intern(event.type);
        m_ints.push_back(type);
        m_ints.push_back(intern(event.stream));
        if (!handles(type)) {
            // No handler will see it: no texts, no data to parse.
            m_ints.insert(m_ints.end(), 8, static_cast<std::int32_t>(m_blob.size()));
            m_data += count > 0 ? ",null" : "null";
            m_numbers.insert(m_numbers.end(),
                { static_cast<double>(event.version), static_cast<double>(event.position),
                    static_cast<double>(event.time), 0.0, std::nan("") });
            ++count;
            continue;
        }
        text(event.id);
        text(event.correlation);
        text(event.causation);
        text(event.actor);
        m_ints.push_back(static_cast<std::int32_t>(m_blob.size()));
        appendTime(m_blob, event.time, day);
        text(event.metadata);
        text(event.data);
        m_ints.push_back(static_cast<std::int32_t>(m_blob.size()));
        const bool json = isJsonText(event.data);
        if (count > 0)
            m_data += ',';
        if (json)
            m_data += event.data;
        else
            appendJsonString(m_data, event.data);
        m_numbers.insert(m_numbers.end(),
            { static_cast<double>(event.version), static_cast<double>(event.position), static_cast<double>(event.time),
                json ? 1.0 : 0.0, event.schemaVersion ? static_cast<double>(*event.schemaVersion) : std::nan("") });
        ++count;
    }
    m_data += ']';

    // The offsets above count bytes; JavaScript counts UTF-16 units. They agree only on ASCII.
    QString blob;
    if (isAscii(m_blob)) {
        blob = QString::fromLatin1(m_blob.data(), qsizetype(m_blob.size()));
    } else {
        blob.reserve(qsizetype(m_blob.size()));
        for (std::size_t i = 0; i < count; ++i) {
            std::int32_t* offsets = m_ints.data() + i * kIntsPerEvent + 2;
            for (int field = 0; field < 7; ++field) {
                const std::int32_t start = offsets[field];
                const std::int32_t end = offsets[field + 1];
                offsets[field] = static_cast<std::int32_t>(blob.size());
                blob.append(QString::fromUtf8(m_blob.data() + start, end - start));
            }
            offsets[7] = static_cast<std::int32_t>(blob.size());
        }
    }
    QJSValue strings = m_engine->newArray(static_cast<uint>(m_strings.size()));
    for (std::size_t i = 0; i < m_strings.size(); ++i)
        strings.setProperty(static_cast<quint32>(i), QString::fromStdString(m_strings[i]));
    return {
        QJSValue(QString::fromUtf8(m_data.data(), qsizetype(m_data.size()))),
        QJSValue(blob),
        m_engine->toScriptValue(
            QByteArray(reinterpret_cast<const char*>(m_ints.data()), qsizetype(m_ints.size() * sizeof(std::int32_t)))),
        m_engine->toScriptValue(
            QByteArray(reinterpret_cast<const char*>(m_numbers.data()), qsizetype(m_numbers.size() * sizeof(double)))),
        strings,
    };
}

} // namespace eventscope
