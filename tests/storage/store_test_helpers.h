#pragma once
// Small helpers the storage tests share: events to append, and the kind of error a call throws.

#include "storage/error.h"
#include "storage/event.h"

#include <functional>
#include <optional>
#include <string>

namespace eventscope::test {

inline NewEvent makeEvent(const std::string& type, const std::string& data = "{}", const std::string& metadata = "{}",
    std::optional<Micros> time = std::nullopt, const std::string& id = {})
{
    NewEvent e;
    e.type = type;
    e.data = data;
    e.metadata = metadata;
    e.time = time;
    e.id = id;
    return e;
}

// The kind of the Error the action throws; an impossible kind when it throws none.
inline ErrorKind kindOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const Error& e) {
        return e.kind;
    }
    return static_cast<ErrorKind>(-1);
}

} // namespace eventscope::test
