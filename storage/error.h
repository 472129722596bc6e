#pragma once
// The one error type of the core. Its kind travels to the edge: app/ maps it to an exit code (DESIGN §8),
// ui/ to a dialog. The message is one sentence that names the thing that went wrong.

#include <stdexcept>
#include <string>

namespace eventscope {

enum class ErrorKind {
    BadInput, // exit 1
    Unreachable, // exit 2: cannot open or reach the store
    WrongExpectedVersion, // exit 3
    Integrity, // exit 4
    Script, // exit 5
    Cancelled, // exit 1: the caller interrupted the statement (EventStore::interrupt)
};

struct Error : std::runtime_error
{
    ErrorKind kind;
    Error(ErrorKind k, const std::string& message)
        : std::runtime_error(message)
        , kind(k)
    {
    }
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message)
{
    throw Error(kind, message);
}

} // namespace eventscope
