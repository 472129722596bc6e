#include "app/audit_record.h"

#include <QString>
#include <QSysInfo>
#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace eventscope::cli {
namespace {

std::string osUser()
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

} // namespace

AppendRequest auditRequest(const std::string& type, nlohmann::ordered_json details)
{
    details["tool"] = "eventscope-cli";
    nlohmann::ordered_json metadata;
    metadata["user"] = osUser();
    metadata["host"] = QSysInfo::machineHostName().toStdString();
    NewEvent event;
    event.type = type;
    event.data = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    event.metadata = metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return AppendRequest { kAuditStream, ExpectedVersion::any(), { std::move(event) } };
}

} // namespace eventscope::cli
