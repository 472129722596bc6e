#include "storage/integrity.h"

#include "storage/error.h"
#include "storage/sha256.h"
#include "storage/time_format.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <sstream>

namespace eventscope {
namespace {

std::string toHex(const unsigned char* bytes, unsigned length)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(length * 2, '0');
    for (unsigned i = 0; i < length; ++i) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 0x0F];
    }
    return out;
}

void appendField(std::string& buffer, std::string_view field)
{
    buffer += std::to_string(field.size());
    buffer += ':';
    buffer += field;
}

} // namespace

std::string eventHash(const std::string& previousHash, const std::string& stream, std::int64_t version,
    const std::string& id, const std::string& type, Micros time, const std::string& data, const std::string& metadata)
{
    thread_local std::string buffer;
    buffer.clear();
    appendField(buffer, previousHash);
    appendField(buffer, stream);
    appendField(buffer, std::to_string(version));
    appendField(buffer, id);
    appendField(buffer, type);
    appendField(buffer, std::to_string(time));
    appendField(buffer, data);
    appendField(buffer, metadata);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    EVP_Digest(buffer.data(), buffer.size(), digest, &length, EVP_sha256(), nullptr);
    return toHex(digest, length);
}

std::string Seal::toJson() const
{
    nlohmann::ordered_json j;
    j["format"] = "eventscope-seal/1";
    j["store_id"] = storeId;
    j["head_position"] = headPosition;
    j["streams"] = streamCount;
    j["events"] = eventCount;
    j["digest"] = digest;
    j["created"] = formatTime(created);
    return j.dump(2) + "\n";
}

Seal Seal::fromJson(const std::string& text)
{
    try {
        const auto j = nlohmann::json::parse(text);
        Seal seal;
        seal.storeId = j.at("store_id").get<std::string>();
        seal.headPosition = j.at("head_position").get<std::int64_t>();
        seal.streamCount = j.at("streams").get<std::int64_t>();
        seal.eventCount = j.at("events").get<std::int64_t>();
        seal.digest = j.at("digest").get<std::string>();
        seal.created = parseTime(j.at("created").get<std::string>());
        return seal;
    } catch (const nlohmann::json::exception&) {
        fail(ErrorKind::BadInput, "the seal file is not a valid Eventscope seal");
    }
}

Seal Seal::load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(ErrorKind::BadInput, "cannot read the seal file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return fromJson(text.str());
}

struct ChainVerifier::State
{
    std::optional<Seal> seal;
    Sha256 digest;
    VerifyReport report;
    std::string stream; // the stream being walked
    std::int64_t version = 0;
    std::string hash = kGenesisHash;
    std::string sealedHeadHash; // the stream's last hash at or below the seal's position
    std::int64_t sealedEvents = 0;
    std::int64_t sealedStreams = 0;

    void closeStream()
    {
        if (stream.empty())
            return;
        ++report.streamsChecked;
        if (!sealedHeadHash.empty()) {
            digest.update(stream);
            digest.update(std::string_view("\n", 1));
            digest.update(sealedHeadHash);
            digest.update(std::string_view("\n", 1));
            ++sealedStreams;
        }
        sealedHeadHash.clear();
    }

    bool failAt(const Event& event, const std::string& what)
    {
        report.ok = false;
        report.failedStream = event.stream;
        report.failedVersion = event.version;
        report.message = "integrity failure in stream " + event.stream + " at version " + std::to_string(event.version)
            + " (position " + std::to_string(event.position) + "): " + what;
        return false;
    }
};

ChainVerifier::ChainVerifier(std::optional<Seal> seal)
    : d(std::make_unique<State>())
{
    d->seal = std::move(seal);
}

ChainVerifier::~ChainVerifier() = default;

bool ChainVerifier::feed(const Event& event)
{
    if (!d->report.ok)
        return false;
    if (event.stream != d->stream) {
        d->closeStream();
        d->stream = event.stream;
        d->version = 0;
        d->hash = kGenesisHash;
    }
    if (event.version != d->version + 1)
        return d->failAt(event,
            "expected version " + std::to_string(d->version + 1) + " to follow, so an event is missing or moved");
    const std::string expected
        = eventHash(d->hash, event.stream, event.version, event.id, event.type, event.time, event.data, event.metadata);
    if (expected != event.hash)
        return d->failAt(event, "the stored hash does not match the event's content and its predecessor");
    d->version = event.version;
    d->hash = event.hash;
    ++d->report.eventsChecked;
    if (d->seal && event.position <= d->seal->headPosition) {
        d->sealedHeadHash = event.hash;
        ++d->sealedEvents;
    }
    return true;
}

VerifyReport ChainVerifier::finish(std::int64_t storeHeadPosition)
{
    if (!d->report.ok)
        return d->report;
    d->closeStream();
    if (d->seal) {
        const Seal& seal = *d->seal;
        auto failSeal = [&](const std::string& what) {
            d->report.ok = false;
            d->report.message = "integrity failure against the seal of " + formatTime(seal.created) + ": " + what;
        };
        const std::string digest = d->digest.hexDigest();
        if (storeHeadPosition < seal.headPosition)
            failSeal("the store's head position " + std::to_string(storeHeadPosition)
                + " is below the sealed head position " + std::to_string(seal.headPosition));
        else if (d->sealedEvents != seal.eventCount)
            failSeal("the sealed range holds " + std::to_string(d->sealedEvents) + " events, the seal says "
                + std::to_string(seal.eventCount));
        else if (d->sealedStreams != seal.streamCount)
            failSeal("the sealed range holds " + std::to_string(d->sealedStreams) + " streams, the seal says "
                + std::to_string(seal.streamCount));
        else if (digest != seal.digest)
            failSeal("the digest over the stream heads differs, so a sealed event was changed");
    }
    return d->report;
}

Seal ChainVerifier::produceSeal()
{
    if (!d->report.ok)
        fail(ErrorKind::Integrity, d->report.message);
    d->closeStream();
    Seal seal = d->seal.value_or(Seal {});
    seal.digest = d->digest.hexDigest();
    seal.eventCount = d->sealedEvents;
    seal.streamCount = d->sealedStreams;
    seal.created = nowMicros();
    return seal;
}

} // namespace eventscope
