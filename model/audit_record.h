#pragma once
// The audit trail of DESIGN §7: every write the app itself makes is recorded as one event in the store's
// $eventscope-audit stream, with the OS user and host. The command line and the window add it to the same append call
// as the write, so the write and its record land together or not at all.

#include "storage/event.h"

#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace eventscope {

inline const std::string kAuditStream = "$eventscope-audit";

// Which part of Eventscope made a write, recorded as "tool".
enum class AuditTool { CommandLine, Window };

// The OS user running Eventscope, as audit records name it.
std::string auditUserName();

// An append of one event of type `type` whose data is `details` plus "tool", and whose metadata names the
// OS user (under "user", the actor convention) and host.
AppendRequest auditRequest(const std::string& type, nlohmann::ordered_json details, AuditTool tool);

// The record of an append: "EventsAppended" with the event count and the streams written to (the first hundred).
AppendRequest appendAudit(std::span<const AppendRequest> requests, AuditTool tool);

} // namespace eventscope
