#include "model/js_projection.h"

#include "model/js_projection_driver.h"
#include "storage/error.h"

#include <QJSEngine>
#include <QThread>

#include <nlohmann/json.hpp>

namespace eventscope {
namespace {

const QString kScriptFile = QStringLiteral("projection.js");
const QString kDriverFile = QStringLiteral("eventscope-projection-driver.js");

QString qs(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string std8(const QJSValue& value)
{
    return value.toString().toStdString();
}

ProjectionSource sourceFrom(const nlohmann::json& json)
{
    ProjectionSource source;
    const std::string kind = json.value("kind", "all");
    if (kind == "stream")
        source.kind = ProjectionSource::Kind::Stream;
    else if (kind == "streams")
        source.kind = ProjectionSource::Kind::Streams;
    else if (kind == "category")
        source.kind = ProjectionSource::Kind::Category;
    if (json.contains("streams"))
        source.streams = json["streams"].get<std::vector<std::string>>();
    source.category = json.value("category", "");
    return source;
}

} // namespace

JsProjection::JsProjection(const std::string& script, std::chrono::milliseconds timeLimit)
    : m_sandbox(std::make_unique<JsSandbox>(timeLimit))
{
    QJSEngine& engine = m_sandbox->engine();
    const QJSValue prelude = engine.evaluate(QString::fromUtf8(jsEventPreludeSource()), kDriverFile);
    m_driver = engine.evaluate(QString::fromUtf8(jsProjectionDriverSource()), kDriverFile).call({ prelude });
    Q_ASSERT_X(m_driver.property(QStringLiteral("fold")).isCallable(), "JsProjection", qPrintable(m_driver.toString()));
    const auto entry = [&](const char* name) { return m_driver.property(QString::fromLatin1(name)); };
    entry("install").call({ engine.globalObject() });

    QStringList trace;
    const Call ran
        = m_sandbox->run([&] { return engine.evaluate(qs(script), kScriptFile, 1, &trace); }, m_sandbox->deadline());
    if (ran.timedOut)
        fail(ErrorKind::Script, m_sandbox->timeLimitMessage("the projection") + " while its script ran");
    if (ran.result.isError() || !trace.isEmpty()) {
        int line = ran.result.property(QStringLiteral("lineNumber")).toInt();
        if (line <= 0 && !trace.isEmpty()) // "function:line:column:file"
            line = trace.front().section(u':', 1, 1).toInt();
        const bool syntax = ran.result.errorType() == QJSValue::SyntaxError;
        std::string message
            = (syntax ? "the projection does not compile: " : "the projection's script threw: ") + std8(ran.result);
        if (line > 0)
            message += " at line " + std::to_string(line);
        fail(ErrorKind::Script, message);
    }
    const Call defined = m_sandbox->run(entry("definition"));
    if (defined.timedOut)
        fail(ErrorKind::Script, m_sandbox->timeLimitMessage("the projection") + " while its handlers were read");
    const std::string text = std8(defined.result);
    if (text.empty() || text.front() != '{')
        fail(ErrorKind::Script, text);
    readDefinition(defined.result);

    m_prepare = entry("prepare");
    m_load = entry("load");
    m_fold = entry("fold");
    m_at = entry("at");
    m_thrown = entry("thrown");
    m_take = entry("take");
    m_discard = entry("discard");
    m_evict = entry("evict");
    m_held = entry("held");
    m_results = entry("results");
    m_wants = [types = m_definition.types](const std::string& type) {
        return !types || std::find(types->begin(), types->end(), type) != types->end();
    };
    m_batch = std::make_unique<JsEventBatch>(engine, m_wants);
}

JsProjection::~JsProjection() = default;

void JsProjection::readDefinition(const QJSValue& text)
{
    const auto json = nlohmann::json::parse(std8(text));
    m_definition.source = sourceFrom(json["source"]);
    const std::string partitioning = json.value("partitioning", "none");
    m_definition.partitioning = partitioning == "stream" ? ProjectionDefinition::Partitioning::ByStream
        : partitioning == "function"                     ? ProjectionDefinition::Partitioning::ByFunction
                                                         : ProjectionDefinition::Partitioning::None;
    m_definition.biState = json.value("biState", false);
    m_definition.outputState = json.value("outputState", false);
    m_definition.transforms = json.value("transforms", 0);
    if (json["types"].is_array())
        m_definition.types = json["types"].get<std::vector<std::string>>();
    const auto& options = json["options"];
    m_definition.optionsJson = options.dump();
    if (options.contains("resultStreamName") && options["resultStreamName"].is_string())
        m_definition.resultStreamName = options["resultStreamName"].get<std::string>();
    m_definition.source.matching = json.value("matching", false);
}

std::optional<ProjectionFault> JsProjection::apply(
    std::span<const Event> events, const Loader& loader, JsBatchText* encoded)
{
    Q_ASSERT_X(
        QThread::currentThread() == m_sandbox->engine().thread(), "JsProjection::apply", "used from a second thread");
    std::optional<ProjectionFault> fault = applyOnce(events, loader, encoded);
    // Handlers mutate states in place, so a fault leaves half of its event's work: forget every change since the
    // last take (the loader has the committed states) and apply the events before it again. Each round stops
    // strictly earlier, so this ends; a second fault before the first means the script is not deterministic.
    while (fault) {
        discard();
        const std::size_t before = fault->eventIndex;
        std::optional<ProjectionFault> again = applyOnce(events.first(before), loader, nullptr);
        if (!again)
            return fault;
        fault = std::move(again);
    }
    return std::nullopt;
}

std::optional<ProjectionFault> JsProjection::applyOnce(
    std::span<const Event> events, const Loader& loader, JsBatchText* encoded)
{
    for (std::size_t done = 0; done < events.size();) {
        const auto chunk = events.subspan(done);
        std::size_t count = 0;
        QJSValueList batch;
        if (done == 0 && encoded && encoded->count > 0) {
            count = encoded->count;
            batch = m_batch->toJs(*encoded);
        } else {
            batch = m_batch->encode(chunk, count);
        }
        const auto deadline = m_sandbox->deadline();
        const Call prepared = m_sandbox->run([&] { return m_prepare.call(batch); }, deadline);
        if (!prepared.result.isArray())
            return faultAt(done, prepared);
        std::vector<std::string> needed;
        const quint32 neededCount = prepared.result.property(QStringLiteral("length")).toUInt();
        needed.reserve(neededCount);
        for (quint32 i = 0; i < neededCount; ++i)
            needed.push_back(std8(prepared.result.property(i)));
        if (!needed.empty()) {
            const std::vector<PartitionState> stored = loader(needed);
            QJSEngine& engine = m_sandbox->engine();
            QJSValue pairs = engine.newArray(static_cast<uint>(stored.size()));
            for (std::size_t i = 0; i < stored.size(); ++i) {
                QJSValue pair = engine.newArray(2);
                pair.setProperty(0, qs(stored[i].partition));
                pair.setProperty(1, qs(stored[i].state));
                pairs.setProperty(static_cast<quint32>(i), pair);
            }
            const Call loaded = m_sandbox->run(m_load, { pairs });
            if (loaded.result.isError())
                fail(ErrorKind::BadInput, "a stored state of the projection is not JSON: " + std8(loaded.result));
        }
        const Call folded = m_sandbox->run([&] { return m_fold.call({ 0, static_cast<int>(count) }); }, deadline);
        if (!folded.result.isNumber() || folded.result.toInt() != -1)
            return faultAt(done, folded);
        done += count;
    }
    return std::nullopt;
}

ProjectionFault JsProjection::faultAt(std::size_t chunkStart, const Call& call)
{
    ProjectionFault fault;
    const bool threw = !call.timedOut && call.result.isNumber();
    // An interrupt cannot be caught in the script, so then the driver cannot return the index itself.
    const int at = threw ? call.result.toInt() : m_sandbox->run(m_at).result.toInt();
    fault.eventIndex = chunkStart + static_cast<std::size_t>(std::max(at, 0));
    fault.timedOut = call.timedOut;
    if (call.timedOut) {
        fault.message = m_sandbox->timeLimitMessage("the projection");
    } else if (threw) {
        auto [message, stack] = thrownMessage(m_sandbox->run(m_thrown), kDriverFile);
        fault.message = std::move(message);
        fault.stack = std::move(stack);
    } else {
        fault.message = std8(call.result);
    }
    return fault;
}

ProjectionChanges JsProjection::take()
{
    const Call call = m_sandbox->run(m_take);
    if (call.timedOut)
        fail(ErrorKind::Script, m_sandbox->timeLimitMessage("the projection") + " while its states were written");
    if (!call.result.isArray())
        fail(ErrorKind::Script, "the projection's state cannot be written as JSON: " + std8(call.result));
    ProjectionChanges changes;
    const auto length = [](const QJSValue& array) { return array.property(QStringLiteral("length")).toUInt(); };
    const QJSValue states = call.result.property(0);
    for (quint32 i = 0, n = length(states); i < n; ++i) {
        const QJSValue pair = states.property(i);
        changes.states.push_back({ std8(pair.property(0)), std8(pair.property(1)) });
    }
    const QJSValue emitted = call.result.property(1);
    for (quint32 i = 0, n = length(emitted); i < n; ++i) {
        const QJSValue e = emitted.property(i);
        changes.emitted.push_back({ std8(e.property(0)), std8(e.property(1)), std8(e.property(2)), std8(e.property(3)),
            e.property(4).toUInt() });
    }
    const QJSValue logs = call.result.property(2);
    for (quint32 i = 0, n = length(logs); i < n; ++i)
        changes.logs.push_back({ std8(logs.property(i).property(0)), logs.property(i).property(1).toUInt() });
    return changes;
}

void JsProjection::discard()
{
    m_sandbox->run(m_discard);
}

void JsProjection::evict()
{
    m_sandbox->run(m_evict);
}

std::size_t JsProjection::heldPartitions() const
{
    return m_sandbox->run(m_held).result.toUInt();
}

std::vector<std::optional<std::string>> JsProjection::results(std::span<const PartitionState> states)
{
    std::vector<std::optional<std::string>> out;
    out.reserve(states.size());
    if (m_definition.transforms == 0) {
        for (const auto& state : states)
            out.emplace_back(state.state);
        return out;
    }
    QJSValue texts = m_sandbox->engine().newArray(static_cast<uint>(states.size()));
    for (std::size_t i = 0; i < states.size(); ++i)
        texts.setProperty(static_cast<quint32>(i), qs(states[i].state));
    const Call call = m_sandbox->run(m_results, { texts });
    if (call.timedOut)
        fail(ErrorKind::Script, m_sandbox->timeLimitMessage("the projection's transformBy"));
    if (call.result.isNumber()) {
        const auto index = static_cast<std::size_t>(call.result.toInt());
        const std::string message = thrownMessage(m_sandbox->run(m_thrown), kDriverFile).first;
        fail(ErrorKind::Script,
            "the projection's transformBy or filterBy threw for partition '" + states[index].partition
                + "': " + message);
    }
    if (!call.result.isArray())
        fail(ErrorKind::Script, "the projection's result cannot be written as JSON: " + std8(call.result));
    for (std::size_t i = 0; i < states.size(); ++i) {
        const QJSValue value = call.result.property(static_cast<quint32>(i));
        if (value.isNull())
            out.emplace_back(std::nullopt);
        else
            out.emplace_back(std8(value));
    }
    return out;
}

std::optional<ScriptProblem> projectionScriptProblem(const std::string& script)
{
    try {
        JsProjection projection(script, std::chrono::seconds(2));
        return std::nullopt;
    } catch (const Error& error) {
        ScriptProblem problem;
        problem.message = error.what();
        const auto at = problem.message.rfind(" at line ");
        if (at != std::string::npos)
            problem.line = std::atoi(problem.message.c_str() + at + 9);
        return problem;
    }
}

} // namespace eventscope
