#include "model/js_event_batch.h"

#include "model/json_text.h"
#include "storage/error.h"
#include "storage/time_format.h"

#include <QJSEngine>

#include <algorithm>
#include <cmath>
#include <limits>

namespace eventscope {
namespace {

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

} // namespace

JsEventBatch::JsEventBatch(QJSEngine& engine, Wants wants)
    : m_engine(engine)
    , m_wants(std::move(wants))
{
}

std::int32_t JsEventBatch::intern(const std::string& text)
{
    // A batch has a few types and streams; past 64 distinct strings, stop looking and just add.
    const std::size_t look = std::min<std::size_t>(m_strings.size(), 64);
    for (std::size_t i = 0; i < look; ++i)
        if (m_strings[i] == text)
            return static_cast<std::int32_t>(i);
    m_strings.push_back(text);
    return static_cast<std::int32_t>(m_strings.size() - 1);
}

bool JsEventBatch::wanted(std::int32_t type)
{
    if (!m_wants)
        return true;
    if (m_wanted.size() < m_strings.size())
        m_wanted.resize(m_strings.size(), -1);
    signed char& known = m_wanted[static_cast<std::size_t>(type)];
    if (known < 0)
        known = m_wants(m_strings[static_cast<std::size_t>(type)]) ? 1 : 0;
    return known == 1;
}

QJSValueList JsEventBatch::encode(std::span<const Event> events, std::size_t& count)
{
    m_data.assign(1, '[');
    m_blob.clear();
    m_ints.clear();
    m_numbers.clear();
    m_strings.clear();
    m_wanted.clear();
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
                "event " + std::to_string(event.version) + " of " + event.stream + " is too large for a script");
        const std::int32_t type = intern(event.type);
        m_ints.push_back(type);
        m_ints.push_back(intern(event.stream));
        if (!wanted(type)) {
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
    QJSValue strings = m_engine.newArray(static_cast<uint>(m_strings.size()));
    for (std::size_t i = 0; i < m_strings.size(); ++i)
        strings.setProperty(static_cast<quint32>(i), QString::fromStdString(m_strings[i]));
    return {
        QJSValue(QString::fromUtf8(m_data.data(), qsizetype(m_data.size()))),
        QJSValue(blob),
        m_engine.toScriptValue(
            QByteArray(reinterpret_cast<const char*>(m_ints.data()), qsizetype(m_ints.size() * sizeof(std::int32_t)))),
        m_engine.toScriptValue(
            QByteArray(reinterpret_cast<const char*>(m_numbers.data()), qsizetype(m_numbers.size() * sizeof(double)))),
        strings,
    };
}

namespace {

// An event is an object literal (V4 makes those ~3x faster than `new` or Object.create) with the fields every
// handler reads as its own properties; the others are getters on a prototype shared by the batch.
constexpr const char* kPrelude = R"js((function () {
    'use strict';
    // Taken before any script runs: a script that replaces a built-in cannot break the drivers.
    var parse = JSON.parse, stringify = JSON.stringify, keys = Object.keys, create = Object.create,
        defineProperty = Object.defineProperty, setPrototypeOf = Object.setPrototypeOf, isArray = Array.isArray,
        Int32 = Int32Array, Float64 = Float64Array, BATCH = Symbol('batch'), INDEX = Symbol('index');
    var K = 10, N = 5;

    function text(e, field) {
        var b = e[BATCH], o = e[INDEX] * K + 2 + field;
        return b.blob.substring(b.ints[o], b.ints[o + 1]);
    }
    function number(e, field) { return e[BATCH].numbers[e[INDEX] * N + field]; }
    function own(e, name, value) {
        defineProperty(e, name, { value: value, writable: true, enumerable: true, configurable: true });
        return value;
    }
    var getters = {
        id: function () { return text(this, 0); },
        correlation: function () { return text(this, 1); },
        causation: function () { return text(this, 2); },
        actor: function () { return text(this, 3); },
        time: function () { return text(this, 4); },
        // Parsed once, so that a handler sees the same object each time it reads it.
        metadata: function () {
            var raw = text(this, 5), value;
            try { value = parse(raw); } catch (x) { value = raw; }
            return own(this, 'metadata', value);
        },
        schemaVersion: function () { var v = number(this, 4); return v === v ? v : undefined; },
        eventType: function () { return this.type; },
        streamId: function () { return this.stream; },
        // A projection's batch has the partition of each event; a reducer's partition is the stream.
        partition: function () {
            var ps = this[BATCH].partitions;
            return ps === undefined ? this.stream : ps[this[INDEX]];
        },
        category: function () { var s = this.stream, i = s.indexOf('-'); return i < 0 ? s : s.substring(0, i); },
        // KurrentDB numbers a stream's events from 0; our versions start at 1.
        sequenceNumber: function () { return this.version - 1; },
        eventId: function () { return text(this, 0); },
        isJson: function () { return number(this, 3) === 1; },
        body: function () { return number(this, 3) === 1 ? this.data : undefined; },
        bodyRaw: function () { return text(this, 6); },
        metadataRaw: function () { return text(this, 5); },
        linkMetadataRaw: function () { return ''; }
    };
    var common = {};
    keys(getters).forEach(function (name) {
        defineProperty(common, name, { get: getters[name], set: function (v) { own(this, name, v); },
            configurable: true });
    });
    // JSON.stringify sees the fields under our names, as `read` prints them.
    defineProperty(common, 'toJSON', { writable: true, configurable: true, value: function () {
        return { position: this.position, stream: this.stream, version: this.version, id: this.id,
            type: this.type, time: this.time, data: this.data, metadata: this.metadata,
            correlation: this.correlation, causation: this.causation, actor: this.actor };
    } });

    function kind(v) {
        if (v === null || v === undefined) return String(v);
        if (isArray(v)) return 'an array';
        return (typeof v === 'object' ? 'an ' : 'a ') + typeof v;
    }

    return {
        K: K, N: N, BATCH: BATCH, INDEX: INDEX, common: common, kind: kind,
        parse: parse, stringify: stringify, keys: keys, create: create, setPrototypeOf: setPrototypeOf,
        isArray: isArray,
        // The batch's data is parsed by the caller, when it is ready to (see the reducer's rollback).
        makeBatch: function (dataText, blob, ints, numbers, strings) {
            var b = { dataText: dataText, data: null, blob: blob, ints: new Int32(ints),
                numbers: new Float64(numbers), strings: strings, proto: create(common) };
            b.proto[BATCH] = b;
            b.size = b.numbers.length / N;
            return b;
        },
        // Event i of a batch. V4 (Qt 6.4) reads `__proto__` in a literal as a plain key, hence setPrototypeOf.
        event: function (b, i, type) {
            var e = { type: type, stream: b.strings[b.ints[i * K + 1]], version: b.numbers[i * N],
                position: b.numbers[i * N + 1], data: b.data[i], [INDEX]: i };
            setPrototypeOf(e, b.proto);
            return e;
        }
    };
})())js";

} // namespace

const char* jsEventPreludeSource()
{
    return kPrelude;
}

} // namespace eventscope
