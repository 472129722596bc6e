#include "model/js_reducer_driver.h"

namespace eventscope {
namespace {

// The driver: the fold loop lives in JavaScript so that a batch costs one call from C++, whatever its size.
//
// A batch is five values (JsReducer::encode writes them):
//   data     JSON text of an array with each event's data: the data itself when it is JSON, else the text as a
//            JSON string. One JSON.parse per batch is twice as fast in V4 as one per event.
//   blob     one string with the texts few handlers read: id, correlation, causation, actor, time, metadata and
//            the raw data of each event, cut out on demand.
//   ints     Int32Array, 10 per event: type and stream (indexes into `strings`), then where each of the 7 texts
//            starts in `blob`, and where the last one ends.
//   numbers  Float64Array, 5 per event: version, position, time in µs, 1 when the data is JSON, schema version
//            (NaN when there is none).
//   strings  the batch's distinct types and streams.
// (K and N in the driver are kIntsPerEvent and kNumbersPerEvent.)
// An event is an object literal (V4 makes those ~3x faster than `new` or Object.create) with the fields every handler
// reads as its own properties; the others are getters on a prototype shared by the batch, so that they cost nothing
// unless read. Measurements are in tests/bench/bench_js_reducer.cpp.
constexpr const char* kDriver = R"js((function () {
    'use strict';
    // Taken before the reducer's script runs: a script that replaces a built-in cannot break the fold.
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
        partition: function () { return this.stream; },
        category: function () { var s = this.stream, i = s.indexOf('-'); return i < 0 ? s : s.substring(0, i); },
        // KurrentDB numbers a stream's events from 0; our versions start at 1.
        sequenceNumber: function () { return this.version - 1; },
        eventId: function () { return text(this, 0); },
        isJson: function () { return number(this, 3) === 1; },
        body: function () { return number(this, 3) === 1 ? this.data : undefined; },
        bodyRaw: function () { return text(this, 6); },
        metadataRaw: function () { return text(this, 5); }
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

    return function (handlers) {
        if (handlers === null || typeof handlers !== 'object' || isArray(handlers))
            return 'it must evaluate to an object of handlers, not ' + kind(handlers);
        // No prototype: an event typed "constructor" or "toString" must not find Object.prototype's.
        var types = create(null), init, any, names = keys(handlers);
        for (var k = 0; k < names.length; ++k) {
            var name = names[k], h = handlers[name];
            if (typeof h !== 'function') return 'the handler ' + name + ' is not a function but ' + kind(h);
            if (name === '$init') init = h;
            else if (name === '$any') any = h;
            else types[name] = h;
        }

        // `saved` is the state as JSON at the start of the batch, for rolling back a handler that failed
        // half-way; `clean` says it is still the state's text, so that state() and apply() share one stringify.
        var state, saved, clean = false, cur = 0, failure, batch;

        function fold(b, from, to) {
            var strings = b.strings, ints = b.ints, numbers = b.numbers, data = b.data, proto = b.proto;
            for (var i = from; i < to; ++i) {
                cur = i;
                var o = i * K, type = strings[ints[o]], h = types[type];
                if (h === undefined) {
                    h = any;
                    if (h === undefined) continue;
                }
                // V4 (Qt 6.4) reads `__proto__` in a literal as a plain key, hence setPrototypeOf.
                var e = { type: type, stream: strings[ints[o + 1]], version: numbers[i * N],
                    position: numbers[i * N + 1], data: data[i], [INDEX]: i };
                setPrototypeOf(e, proto);
                var r = h(state, e);
                if (r !== undefined) state = r;
            }
        }

        return {
            // -1: done; -2: the state from before cannot be written as JSON; else the index of the event that threw.
            apply: function (dataText, blob, ints, numbers, strings) {
                var b = { data: null, blob: blob, ints: new Int32(ints), numbers: new Float64(numbers),
                    strings: strings, proto: create(common) };
                b.proto[BATCH] = b;
                batch = b;
                cur = 0;
                if (!clean) {
                    try { saved = stringify(state); } catch (x) { failure = x; return -2; }
                }
                b.data = parse(dataText);
                clean = false;
                try { fold(b, 0, b.numbers.length / N); } catch (x) { failure = x; return cur; }
                return -1;
            },
            // Back to the batch's start, then forward to just before event k.
            rollback: function (k) {
                state = saved === undefined ? undefined : parse(saved);
                clean = k === 0;
                try { fold(batch, 0, k); } catch (x) { failure = x; return cur; }
                return -1;
            },
            at: function () { return cur; },
            // The types with a handler, or null when $any takes every event.
            handled: function () { return any === undefined ? keys(types) : null; },
            thrown: function () {
                var x = failure, message, stack = '';
                try {
                    if (x !== null && typeof x === 'object' && typeof x.message === 'string') {
                        message = x.name && x.name !== 'Error' ? x.name + ': ' + x.message : x.message;
                        if (typeof x.stack === 'string') stack = x.stack;
                    } else {
                        message = String(x);
                    }
                } catch (y) {
                    message = 'the reducer threw a value that cannot be shown';
                }
                return [message, stack];
            },
            // $init returning nothing (an arrow function with braces) gives the default state.
            reset: function () {
                clean = false;
                try { state = init === undefined ? undefined : init(); } catch (x) { failure = x; return false; }
                if (state === undefined) state = {};
                return true;
            },
            restore: function (json) {
                try { state = parse(json); } catch (x) { failure = x; return false; }
                saved = stringify(state);
                clean = true;
                return true;
            },
            state: function () {
                if (!clean) {
                    try { saved = stringify(state); } catch (x) { failure = x; return null; }
                    clean = true;
                }
                return saved === undefined ? 'null' : saved;
            }
        };
    };
})())js";

} // namespace

const char* jsReducerDriverSource()
{
    return kDriver;
}

} // namespace eventscope
