#include "model/js_projection_driver.h"

namespace eventscope {
namespace {

// The projection's whole fold lives in JavaScript, one call per batch, like the reducer's (js_reducer_driver.cpp).
// Partition states are held here between batches; the C++ side commits what `take` returns after every batch
// and may `evict` them all, since the store then holds them. `discard` forgets what changed since the last take:
// those partitions are loaded from the store again when next needed, which is how a fault rolls back.
constexpr const char* kDriver = R"js((function (lib) {
    'use strict';
    var parse = lib.parse, stringify = lib.stringify, keys = lib.keys, create = lib.create,
        setPrototypeOf = lib.setPrototypeOf, isArray = lib.isArray, INDEX = lib.INDEX,
        kind = lib.kind, K = lib.K, N = lib.N, MapType = Map, SetType = Set, StringType = String,
        ErrorType = Error;
    var SHARED = '$shared';

    var def = { source: null, partitioning: 'none', partitionBy: null, streamFilter: null, handlers: null,
        transforms: [], outputState: false, options: {} };
    var types = create(null), init, initShared, any, created;

    // What the script defines, through the builder KurrentDB's selectors return.
    var builder = {
        foreachStream: function () { def.partitioning = 'stream'; return builder; },
        partitionBy: function (f) { requireFunction(f, 'partitionBy'); def.partitioning = 'function';
            def.partitionBy = f; return builder; },
        when: function (h) {
            if (h === null || typeof h !== 'object' || isArray(h)) fail('when takes an object of handlers, not ' + kind(h));
            def.handlers = h; return builder;
        },
        transformBy: function (f) { requireFunction(f, 'transformBy'); def.transforms.push({ map: f }); return builder; },
        filterBy: function (f) { requireFunction(f, 'filterBy'); def.transforms.push({ filter: f }); return builder; },
        outputState: function () { def.outputState = true; return builder; },
        outputTo: function (name) { def.outputState = true; def.options.resultStreamName = StringType(name);
            return builder; },
        $defines_state_transform: function () { return builder; }
    };
    function fail(message) { throw new ErrorType(message); }
    function select(source) {
        if (def.source !== null) fail('the projection names a second source; use one of fromAll, fromStream, ' +
            'fromStreams, fromCategory');
        def.source = source;
        return builder;
    }
    function requireFunction(f, what) {
        if (typeof f !== 'function') fail(what + ' takes a function, not ' + kind(f));
    }
    function names(list, what) {
        if (!isArray(list)) fail(what + ' takes an array of stream names, not ' + kind(list));
        return list.map(function (s) { return StringType(s); });
    }

    var emitted = [], logs = [], states = new MapType(), dirty = new SetType(), batch = null, cur = 0, failure;
    var currentEvent = null, biState = false;
    var LOG_LIMIT = 1000;

    function text(v) { return typeof v === 'string' ? v : v === undefined ? 'undefined' : stringify(v); }
    var api = {
        fromAll: function () { return select({ kind: 'all' }); },
        fromStream: function (s) { return select({ kind: 'stream', streams: [StringType(s)] }); },
        fromStreams: function () {
            var list = arguments.length === 1 && isArray(arguments[0]) ? arguments[0]
                : Array.prototype.slice.call(arguments);
            var streams = names(list, 'fromStreams');
            if (streams.length === 0) fail('fromStreams needs at least one stream name');
            return select({ kind: 'streams', streams: streams });
        },
        fromCategory: function (c) { return select({ kind: 'category', category: StringType(c) }); },
        fromStreamsMatching: function (f) { requireFunction(f, 'fromStreamsMatching'); def.streamFilter = f;
            return select({ kind: 'all' }); },
        options: function (o) {
            if (o === null || typeof o !== 'object') fail('options takes an object, not ' + kind(o));
            keys(o).forEach(function (k) { def.options[k] = o[k]; });
        },
        emit: function (stream, type, body, metadata) {
            if (currentEvent === null) fail('emit can only be called from a handler');
            if (typeof stream !== 'string' || stream === '') fail('emit needs a stream name, not ' + kind(stream));
            if (typeof type !== 'string' || type === '') fail('emit needs an event type, not ' + kind(type));
            emitted.push([stream, type, stringify(body === undefined ? {} : body),
                metadata === undefined || metadata === null ? '{}' : stringify(metadata), cur]);
        },
        linkTo: function (stream, e, metadata) {
            if (currentEvent === null) fail('linkTo can only be called from a handler');
            if (typeof stream !== 'string' || stream === '') fail('linkTo needs a stream name, not ' + kind(stream));
            if (e === null || typeof e !== 'object') fail('linkTo needs an event, not ' + kind(e));
            emitted.push([stream, '$>', stringify(e.sequenceNumber + '@' + e.streamId),
                metadata === undefined || metadata === null ? '{}' : stringify(metadata), cur]);
        },
        log: function () {
            var parts = [];
            for (var i = 0; i < arguments.length; ++i) parts.push(text(arguments[i]));
            if (logs.length < LOG_LIMIT) logs.push([parts.join(' '), cur]);
        }
    };

    function initial(init) {
        var s = init === undefined ? undefined : init();
        return s === undefined ? {} : s;
    }
    function partitionOf(b, i, type) {
        if (def.partitioning === 'stream') return b.strings[b.ints[i * K + 1]];
        if (def.partitioning !== 'function') return '';
        var e = lib.event(b, i, type);
        var p = def.partitionBy(e);
        return p === undefined || p === null ? '' : StringType(p);
    }
    function handlerFor(type) {
        var h = types[type];
        return h === undefined ? any : h;
    }
    function streamPasses(b, i) {
        return def.streamFilter === null || !!def.streamFilter(b.strings[b.ints[i * K + 1]]);
    }

    return {
        install: function (global) {
            keys(api).forEach(function (name) { global[name] = api[name]; });
        },
        // Called once the script ran: what it defined, as JSON text, or a sentence saying what is missing.
        definition: function () {
            if (def.source === null) return 'the projection names no source: start it with fromAll(), ' +
                'fromStream(s), fromStreams([...]) or fromCategory(c)';
            if (def.handlers === null) return 'the projection has no handlers: add .when({ ... })';
            var h = def.handlers, hn = keys(h);
            for (var k = 0; k < hn.length; ++k) {
                var name = hn[k], f = h[name];
                if (typeof f !== 'function') return 'the handler ' + name + ' is not a function but ' + kind(f);
                if (name === '$init') init = f;
                else if (name === '$initShared') initShared = f;
                else if (name === '$any') any = f;
                else if (name === '$created') created = f;
                else if (name === '$deleted') continue;
                else types[name] = f;
            }
            biState = initShared !== undefined || def.options.biState === true;
            if (def.partitioning === 'stream' && def.source.kind === 'stream')
                return 'foreachStream() needs fromAll(), fromCategory() or fromStreams(), not fromStream()';
            return stringify({ source: def.source, partitioning: def.partitioning, biState: biState,
                outputState: def.outputState, transforms: def.transforms.length, matching: def.streamFilter !== null,
                types: any === undefined ? keys(types) : null, options: def.options });
        },
        // Encodes a batch and says which partitions it needs that are not held here.
        prepare: function (dataText, blob, ints, numbers, strings) {
            var b = lib.makeBatch(dataText, blob, ints, numbers, strings);
            batch = b;
            b.data = parse(b.dataText);
            b.dataText = null;
            var size = b.size, partitions = b.partitions = new Array(size), need = new SetType();
            // Whether each of the batch's strings, read as a type, has a handler: one lookup per type, not per event.
            // Link events ($>, what linkTo writes) reach handlers only with options({ $includeLinks: true }).
            var handled = new Array(strings.length), bints = b.ints, links = def.options.$includeLinks === true;
            for (var t = 0; t < strings.length; ++t)
                handled[t] = handlerFor(strings[t]) !== undefined && (links || strings[t] !== '$>');
            if (biState && !states.has(SHARED)) need.add(SHARED);
            var simple = def.partitioning === 'none' && def.streamFilter === null, last = null;
            try {
                for (var i = 0; i < size; ++i) {
                    cur = i;
                    var typeIndex = bints[i * K];
                    if (!handled[typeIndex] || (!simple && !streamPasses(b, i))) { partitions[i] = null; continue; }
                    var p = simple ? '' : partitionOf(b, i, strings[typeIndex]);
                    partitions[i] = p;
                    if (p !== last) {
                        last = p;
                        if (!states.has(p)) need.add(p);
                    }
                }
            } catch (x) { failure = x; return cur; }
            return Array.from(need);
        },
        // The stored states of the partitions prepare asked for; those absent start from $init.
        load: function (pairs) {
            for (var i = 0; i < pairs.length; ++i) states.set(pairs[i][0], { value: parse(pairs[i][1]) });
        },
        // -1: done; else the index of the event that threw.
        fold: function (from, to) {
            var b = batch, strings = b.strings, ints = b.ints, numbers = b.numbers, data = b.data, proto = b.proto,
                partitions = b.partitions, lastP = null, slot, shared;
            try {
                if (biState && !states.has(SHARED)) states.set(SHARED, { value: initial(initShared) });
                if (biState) { shared = states.get(SHARED); dirty.add(SHARED); }
                for (var i = from; i < to; ++i) {
                    cur = i;
                    var p = partitions[i];
                    if (p === null) continue;
                    var type = strings[ints[i * K]], h = handlerFor(type);
                    var e = { type: type, stream: strings[ints[i * K + 1]], version: numbers[i * N],
                        position: numbers[i * N + 1], data: data[i], [INDEX]: i };
                    setPrototypeOf(e, proto);
                    currentEvent = e;
                    if (p !== lastP) {
                        lastP = p;
                        slot = states.get(p);
                        // Marked before the handler runs: one that throws half-way leaves its partition to discard.
                        dirty.add(p);
                        if (slot === undefined) {
                            slot = { value: initial(init) };
                            states.set(p, slot);
                            if (created !== undefined) {
                                var c = created(biState ? [slot.value, shared.value] : slot.value, e);
                                if (c !== undefined) store(slot, c);
                            }
                        }
                    }
                    var r = h(biState ? [slot.value, shared.value] : slot.value, e);
                    if (r !== undefined) store(slot, r);
                }
            } catch (x) { failure = x; currentEvent = null; return cur; }
            currentEvent = null;
            return -1;
        },
        at: function () { return cur; },
        thrown: function () { return describe(failure); },
        // What changed since the last take: [[partition, state JSON]...], the emitted events and the log lines.
        take: function () {
            var out = [];
            dirty.forEach(function (p) {
                var slot = states.get(p);
                if (slot !== undefined) out.push([p, stringify(slot.value === undefined ? null : slot.value)]);
            });
            dirty.clear();
            var result = [out, emitted, logs];
            emitted = [];
            logs = [];
            return result;
        },
        discard: function () {
            dirty.forEach(function (p) { states.delete(p); });
            dirty.clear();
            emitted = [];
            logs = [];
        },
        evict: function () { states.clear(); },
        held: function () { return states.size; },
        // transformBy and filterBy over stored states: JSON text, or null where filterBy said no.
        results: function (texts) {
            var out = new Array(texts.length);
            for (var i = 0; i < texts.length; ++i) {
                cur = i;
                var v = parse(texts[i]);
                try {
                    for (var t = 0; t < def.transforms.length && v !== null; ++t) {
                        var step = def.transforms[t];
                        if (step.map) { var m = step.map(v); if (m !== undefined) v = m; }
                        else if (!step.filter(v)) v = null;
                    }
                } catch (x) { failure = x; return i; }
                out[i] = v === null || v === undefined ? null : stringify(v);
            }
            return out;
        }
    };

    function store(slot, r) {
        if (!biState) { slot.value = r; return; }
        if (!isArray(r)) fail('a handler of a projection with $initShared must return [state, sharedState] or nothing');
        slot.value = r[0];
        states.get(SHARED).value = r[1];
    }
    function describe(x) {
        var message, stack = '';
        try {
            if (x !== null && typeof x === 'object' && typeof x.message === 'string') {
                message = x.name && x.name !== 'Error' ? x.name + ': ' + x.message : x.message;
                if (typeof x.stack === 'string') stack = x.stack;
            } else {
                message = StringType(x);
            }
        } catch (y) {
            message = 'the projection threw a value that cannot be shown';
        }
        return [message, stack];
    }
}))js";

} // namespace

const char* jsProjectionDriverSource()
{
    return kDriver;
}

} // namespace eventscope
