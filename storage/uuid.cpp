#include "storage/uuid.h"

#include "storage/error.h"

#include <array>
#include <cctype>
#include <chrono>
#include <openssl/rand.h>
#include <random>

namespace eventscope {

std::string uuidV7(std::uint64_t unixMillis, std::uint64_t randomHigh, std::uint64_t randomLow)
{
    std::array<unsigned char, 16> bytes {};
    for (std::size_t i = 0; i < 6; ++i)
        bytes[i] = static_cast<unsigned char>(unixMillis >> (8 * (5 - i)));
    for (std::size_t i = 6; i < 16; ++i)
        bytes[i] = static_cast<unsigned char>((i < 11 ? randomHigh : randomLow) >> (8 * (i % 8)));
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x70);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0x0F];
    }
    return out;
}

std::string makeUuid()
{
    // Time-ordered IDs, so that the store's ID index grows at its end instead of touching a random page for
    // every event. The random bits need uniqueness, not secrecy: a per-thread generator seeded once from the
    // system's entropy avoids a system call per ID.
    thread_local std::mt19937_64 generator = [] {
        std::uint64_t seed = 0;
        if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1)
            seed = (static_cast<std::uint64_t>(std::random_device {}()) << 32) ^ std::random_device {}();
        return std::mt19937_64(seed);
    }();
    const auto millis
        = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    const std::uint64_t high = generator();
    return uuidV7(static_cast<std::uint64_t>(millis), high, generator());
}

bool isUuid(std::string_view text)
{
    // The braced form ({...}, as .NET and Windows write GUIDs) names the same UUID; PostgreSQL's uuid reads it too.
    if (text.size() == 38 && text.front() == '{' && text.back() == '}')
        text = text.substr(1, 36);
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
            return false;
        }
    }
    return true;
}

std::string normalizeUuid(std::string_view text)
{
    if (!isUuid(text))
        fail(ErrorKind::BadInput, "event ID '" + std::string(text) + "' is not a UUID");
    std::string out(text.size() == 38 ? text.substr(1, 36) : text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace eventscope
