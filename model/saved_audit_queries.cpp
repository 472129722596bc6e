#include "model/saved_audit_queries.h"

#include "model/redaction.h"
#include "model/workspace.h"
#include "storage/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

namespace eventscope {

namespace {

constexpr int kFileVersion = 1;

SavedAuditQuery parseEntry(const nlohmann::json& entry)
{
    if (!entry.is_object())
        fail(ErrorKind::BadInput, "a saved query is not a JSON object");
    const auto name = entry.find("name");
    if (name == entry.end() || !name->is_string() || name->get<std::string>().empty())
        fail(ErrorKind::BadInput, "a saved query has no name");
    SavedAuditQuery saved;
    saved.name = QString::fromStdString(name->get<std::string>());
    const auto query = entry.find("query");
    if (query == entry.end())
        fail(ErrorKind::BadInput, "the saved query \"" + name->get<std::string>() + "\" has no query");
    saved.query = AuditQuery::fromJson(*query);
    if (const auto paths = entry.find("redactions"); paths != entry.end() && !paths->is_null()) {
        if (!paths->is_array())
            fail(ErrorKind::BadInput, "the redactions of \"" + name->get<std::string>() + "\" are not a list");
        for (const auto& path : *paths) {
            if (!path.is_string())
                fail(ErrorKind::BadInput, "the redactions of \"" + name->get<std::string>() + "\" hold a non-string");
            saved.redactions.push_back(path.get<std::string>());
        }
        Redaction check(saved.redactions); // a hand-edited path that cannot be applied is found now, not at export
    }
    return saved;
}

} // namespace

SavedAuditQueries::SavedAuditQueries(QString filePath)
    : m_path(std::move(filePath))
{
}

QString SavedAuditQueries::pathFor(const QString& storeUri)
{
    return workspacePathFor(storeUri) + QStringLiteral(".audit-queries.json");
}

void SavedAuditQueries::load()
{
    m_queries.clear();
    QFile file(m_path);
    if (!file.exists())
        return;
    const std::string where = "the saved audit queries in " + m_path.toStdString();
    if (!file.open(QIODevice::ReadOnly))
        fail(ErrorKind::BadInput, "cannot read " + where + ": " + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    const auto json = nlohmann::json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    if (json.is_discarded())
        fail(ErrorKind::BadInput, where + " are not valid JSON");
    if (!json.is_object() || !json.contains("queries") || !json["queries"].is_array())
        fail(ErrorKind::BadInput, where + " have no list of queries");
    std::vector<SavedAuditQuery> queries;
    try {
        for (const auto& entry : json["queries"])
            queries.push_back(parseEntry(entry));
    } catch (const Error& error) {
        fail(ErrorKind::BadInput, where + " are damaged: " + error.what());
    }
    std::sort(queries.begin(), queries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    m_queries = std::move(queries);
}

void SavedAuditQueries::save() const
{
    nlohmann::ordered_json json;
    json["version"] = kFileVersion;
    json["queries"] = nlohmann::ordered_json::array();
    for (const SavedAuditQuery& saved : m_queries) {
        nlohmann::ordered_json entry;
        entry["name"] = saved.name.toStdString();
        entry["query"] = saved.query.toJson();
        entry["redactions"] = saved.redactions;
        json["queries"].push_back(std::move(entry));
    }
    const std::string text = json.dump(2) + '\n';
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size())
        || !file.commit())
        fail(ErrorKind::BadInput,
            "cannot save the audit queries to " + m_path.toStdString() + ": " + file.errorString().toStdString());
}

std::optional<SavedAuditQuery> SavedAuditQueries::find(const QString& name) const
{
    const auto found
        = std::find_if(m_queries.begin(), m_queries.end(), [&](const auto& saved) { return saved.name == name; });
    if (found == m_queries.end())
        return std::nullopt;
    return *found;
}

void SavedAuditQueries::put(const SavedAuditQuery& query)
{
    if (query.name.trimmed().isEmpty())
        fail(ErrorKind::BadInput, "a saved query needs a name");
    query.query.check();
    Redaction check(query.redactions);
    remove(query.name);
    const auto at = std::lower_bound(
        m_queries.begin(), m_queries.end(), query, [](const auto& a, const auto& b) { return a.name < b.name; });
    m_queries.insert(at, query);
}

bool SavedAuditQueries::remove(const QString& name)
{
    return std::erase_if(m_queries, [&](const auto& saved) { return saved.name == name; }) > 0;
}

} // namespace eventscope
