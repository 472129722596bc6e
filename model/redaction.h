#pragma once
// Redaction rules of audit exports (DESIGN §7): JSON paths such as `data.cardNumber`, `metadata.ip` or
// `data.lines[*].pan` whose values become "[redacted]" in every format, leaving no trace of them: the fields an
// event derives from its metadata (actor, correlation, causation) are masked too when they held a masked value.

#include "model/json_span_finder.h"
#include "storage/event.h"

#include <string>
#include <vector>

namespace eventscope {

inline constexpr const char* kRedactedText = "[redacted]";

class Redaction
{
public:
    Redaction() = default;
    // Paths start with `data` or `metadata` (a leading `$.` is allowed), then `.key` steps, `[N]` for an array's
    // element and `[*]` for every element. Throws Error(BadInput) naming the first path that is not like that.
    explicit Redaction(const std::vector<std::string>& paths);

    bool isEmpty() const { return m_rules.empty(); }
    const std::vector<std::string>& paths() const { return m_paths; }

    // The event as an export shows it. An event none of whose paths exist comes back unchanged, byte for byte.
    Event apply(const Event& event) const;

    using Step = JsonPathStep;
    struct Rule
    {
        bool inMetadata = false;
        std::vector<Step> steps; // empty: the whole payload
        std::string lastKey; // a cheap test that the payload may hold the path at all
    };

private:
    std::vector<std::string> m_paths;
    std::vector<Rule> m_rules;
    std::vector<std::vector<Step>> m_dataPaths, m_metadataPaths;
    std::vector<std::string> m_dataKeys, m_metadataKeys; // each path's last key, "" when it has none
};

} // namespace eventscope
