#include "model/js_reducer_driver.h"

namespace eventscope {
namespace {

// The driver: the fold loop lives in JavaScript so that a batch costs one call from C++, whatever its size.
// It takes the event prelude (js_event_batch.h), whose batches and events it reads.
constexpr const char* kDriver = R"js((function (lib) {
    'use strict';
    var parse = lib.parse, stringify = lib.stringify, keys = lib.keys, create = lib.create,
        setPrototypeOf = lib.setPrototypeOf, isArray = lib.isArray, INDEX = lib.INDEX, kind = lib.kind;
    var N = lib.N, K = lib.K;

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
                var b = lib.makeBatch(dataText, blob, ints, numbers, strings);
                batch = b;
                cur = 0;
                if (!clean) {
                    try { saved = stringify(state); } catch (x) { failure = x; return -2; }
                }
                b.data = parse(b.dataText);
                b.dataText = null;
                clean = false;
                try { fold(b, 0, b.size); } catch (x) { failure = x; return cur; }
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
}))js";

} // namespace

const char* jsReducerDriverSource()
{
    return kDriver;
}

} // namespace eventscope
