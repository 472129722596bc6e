#pragma once
// The per-stream hash chain and the seal (DESIGN §7).
//
// hash(event) = SHA-256(previous hash of the stream, or 64 zeros | stream | version | id | type | time | data |
// metadata), each field length-prefixed so that no two different events can share an input.
// A seal is a small JSON file: the store's head position and a digest over every stream's head hash at that
// position, in byte order of stream names. Keep it outside the store; verify against it later.

#include "storage/event.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace eventscope {

inline const std::string kGenesisHash(64, '0');

std::string eventHash(const std::string& previousHash, const std::string& stream, std::int64_t version,
    const std::string& id, const std::string& type, Micros time, const std::string& data, const std::string& metadata);

struct Seal
{
    std::string storeId;
    std::int64_t headPosition = 0;
    std::int64_t streamCount = 0;
    std::int64_t eventCount = 0;
    std::string digest; // hex SHA-256
    Micros created = 0;

    std::string toJson() const;
    static Seal fromJson(const std::string& text); // throws BadInput
    static Seal load(const std::string& path); // throws BadInput
};

struct VerifyReport
{
    bool ok = true;
    std::int64_t eventsChecked = 0;
    std::int64_t streamsChecked = 0;
    std::string message; // on failure, one sentence that names the stream and version
    std::string failedStream;
    std::int64_t failedVersion = 0;
};

// Walks one store's events in (stream in byte order, version) order and checks the chain and, with a
// seal, the digest. Stores feed it rows; it never touches a database.
class ChainVerifier
{
public:
    explicit ChainVerifier(std::optional<Seal> seal);
    ~ChainVerifier();
    // Returns false once a failure was found; the caller may stop feeding.
    bool feed(const Event& event);
    // Ends the walk and compares the digest with the seal, if one was given.
    VerifyReport finish(std::int64_t storeHeadPosition);
    // For sealing: construct with a Seal that names the store and head position, feed every event, then call
    // this instead of finish(). Throws Integrity when the chain itself is broken: a broken store is not sealed.
    Seal produceSeal();

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace eventscope
