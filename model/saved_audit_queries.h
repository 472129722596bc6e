#pragma once
// The Audit tab's saved queries (DESIGN §7, §9): named questions with their redaction rules, kept as JSON beside
// the store's workspace so that they follow the store, not the machine's settings.

#include "model/audit_query.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace eventscope {

struct SavedAuditQuery
{
    QString name;
    AuditQuery query;
    std::vector<std::string> redactions;

    bool operator==(const SavedAuditQuery&) const = default;
};

class SavedAuditQueries
{
public:
    explicit SavedAuditQueries(QString filePath);
    // The file of a store's saved queries: its workspace's path with ".audit-queries.json".
    static QString pathFor(const QString& storeUri);

    const QString& filePath() const { return m_path; }

    // Reads the file; a missing one holds no queries. Throws Error(BadInput) naming the file and what is wrong
    // with it when it cannot be read or is not what save() writes; the list is then left empty.
    void load();
    // Writes the file whole, or leaves the old one (QSaveFile). Throws Error(BadInput) when it cannot.
    void save() const;

    // In name order.
    const std::vector<SavedAuditQuery>& queries() const { return m_queries; }
    std::optional<SavedAuditQuery> find(const QString& name) const;
    // Adds a query, or replaces the one of the same name. Throws Error(BadInput) for an empty name, a bad query or
    // a bad redaction path: nothing is saved that could not be run again.
    void put(const SavedAuditQuery& query);
    bool remove(const QString& name);

private:
    QString m_path;
    std::vector<SavedAuditQuery> m_queries;
};

} // namespace eventscope
