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

std::string sha256Hex(const std::string& text)
{
    return QCryptographicHash::hash(QByteArrayView(text.data(), qsizetype(text.size())), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

} // namespace

JsReducer::JsReducer(const std::string& script, std::chrono::milliseconds timeLimit)
    : m_name("js:" + sha256Hex(script))
    , m_sandbox(std::make_unique<JsSandbox>(timeLimit))
{
    QJSEngine& engine = m_sandbox->engine();
    const QJSValue prelude = engine.evaluate(QString::fromUtf8(jsEventPreludeSource()), kDriverFile);
    const QJSValue factory = engine.evaluate(QString::fromUtf8(jsReducerDriverSource()), kDriverFile).call({ prelude });
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
    m_batch = std::make_unique<JsEventBatch>(
        engine, [this](const std::string& type) { return !m_handled || m_handled->contains(type); });
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
    Call wrapped = m_sandbox->run(
        [&] { return m_sandbox->engine().evaluate(u'(' + expression + u"\n)", kScriptFile, 1, &trace); },
        m_sandbox->deadline());
    if (wrapped.timedOut)
        fail(ErrorKind::Script, timeLimitMessage() + " while it was evaluated");
    if (trace.isEmpty())
        return wrapped.result;
    // A whole program whose last statement is the object, e.g. `const when = {...}; when`.
    if (wrapped.result.errorType() == QJSValue::SyntaxError) {
        QStringList programTrace;
        Call program = m_sandbox->run(
            [&] { return m_sandbox->engine().evaluate(text, kScriptFile, 1, &programTrace); }, m_sandbox->deadline());
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
    Q_ASSERT_X(
        QThread::currentThread() == m_sandbox->engine().thread(), "JsReducer::apply", "used from a second thread");
    const auto limit = m_sandbox->deadline(); // one for the whole call, however many chunks it takes
    for (std::size_t done = 0; done < events.size();) {
        const auto chunk = events.subspan(done);
        std::size_t count = 0;
        const QJSValueList batch = m_batch->encode(chunk, count);
        const Call call = m_sandbox->run([&] { return m_apply.call(batch); }, limit);
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
    auto described = thrownMessage(run(m_thrown), kDriverFile);
    if (described.first == "the script threw a value that cannot be shown")
        described.first = "the reducer threw a value that cannot be shown";
    return described;
}

std::string JsReducer::timeLimitMessage(const std::string& subject) const
{
    return m_sandbox->timeLimitMessage(subject);
}

JsReducer::Call JsReducer::run(const QJSValue& function, const QJSValueList& arguments) const
{
    return m_sandbox->run(function, arguments);
}

} // namespace eventscope
