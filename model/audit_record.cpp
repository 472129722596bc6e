#include "model/audit_record.h"

#include <QString>
#include <QSysInfo>
#include <QtGlobal>

#include <algorithm>
#include <set>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace eventscope {

std::string auditUserName()
{
#ifdef Q_OS_UNIX
    if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name)
        return entry->pw_name;
#endif
    for (const char* name : { "USER", "USERNAME", "LOGNAME" }) {
        const QString value = qEnvironmentVariable(name);
        if (!value.isEmpty())
            return value.toStdString();
    }
    return "unknown";
}

AppendRequest auditRequest(const std::string& type, nlohmann::ordered_json details, AuditTool tool)
{
    details["tool"] = tool == AuditTool::Window ? "eventscope-window" : "eventscope-cli";
    nlohmann::ordered_json metadata;
    metadata["user"] = auditUserName();
    metadata["host"] = QSysInfo::machineHostName().toStdString();
    NewEvent event;
    event.type = type;
    event.data = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    event.metadata = metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return AppendRequest { kAuditStream, ExpectedVersion::any(), { std::move(event) } };
}

AppendRequest appendAudit(std::span<const AppendRequest> requests, AuditTool tool)
{
    std::int64_t eventCount = 0;
    std::set<std::string> streamNames;
    for (const auto& request : requests) {
        eventCount += static_cast<std::int64_t>(request.events.size());
        streamNames.insert(request.stream);
    }
    nlohmann::ordered_json details;
    details["action"] = "append";
    details["events"] = eventCount;
    details["stream_count"] = streamNames.size();
    details["streams"] = std::vector<std::string>(streamNames.begin(),
        std::next(streamNames.begin(), static_cast<std::ptrdiff_t>(std::min<std::size_t>(streamNames.size(), 100))));
    return auditRequest("EventsAppended", std::move(details), tool);
}

} // namespace eventscope
