// The change marks of JsonTreeModel: which rows a step in time changed (DESIGN §4), for the Stream tab's state
// tree, and the way from a diff's path to its row.

#include "model/json_diff.h"
#include "model/json_tree_model.h"

#include <algorithm>

namespace eventscope {

void JsonTreeModel::setChangeBackground(Change change, const QVariant& brush)
{
    m_changeBackground[std::size_t(change)] = brush;
    emitEveryRowChanged({ Qt::BackgroundRole });
}

void JsonTreeModel::setChangedPaths(const QSet<QString>& paths)
{
    std::unordered_map<std::string, Change> marks;
    for (const QString& path : paths)
        marks.emplace(path.toStdString(), Changed);
    applyChanges(marks);
}

void JsonTreeModel::setChanges(const std::vector<JsonChange>& changes)
{
    std::unordered_map<std::string, Change> marks;
    for (const JsonChange& change : changes) {
        if (change.kind != JsonChange::Kind::Removed) {
            marks[change.path] = change.kind == JsonChange::Kind::Added ? Added : Changed;
            continue;
        }
        // The removed value has no row: its parent shows that something below it went.
        std::optional<std::vector<JsonPathStep>> steps = parseJsonPath(change.path);
        if (!steps || steps->empty())
            continue;
        steps->pop_back();
        marks.emplace(formatJsonPath(*steps), ChangedBelow);
    }
    applyChanges(marks);
}

void JsonTreeModel::applyChanges(const std::unordered_map<std::string, Change>& marks)
{
    std::vector<Change> changes(m_nodes.size(), Unchanged);
    if (!marks.empty()) {
        // Nodes come after their parents, so one pass builds every path from its parent's.
        std::vector<std::string> paths(m_nodes.size());
        for (std::size_t id = 0; id < m_nodes.size(); ++id) {
            const Node& node = m_nodes[id];
            if (id > 0) {
                const std::string& parent = paths[std::size_t(node.parent)];
                paths[id] = node.arrayIndex >= 0 ? appendJsonPathIndex(parent, std::size_t(node.arrayIndex))
                                                 : appendJsonPathKey(parent, node.key.toStdString());
            }
            if (const auto mark = marks.find(paths[id]); mark != marks.end())
                changes[id] = mark->second;
        }
        for (std::size_t id = 0; id < m_nodes.size(); ++id) {
            if (changes[id] == Unchanged)
                continue;
            for (int up = m_nodes[id].parent; up >= 0 && changes[std::size_t(up)] != ChangedBelow;
                 up = m_nodes[std::size_t(up)].parent) {
                if (changes[std::size_t(up)] == Unchanged)
                    changes[std::size_t(up)] = ChangedBelow;
            }
        }
    }
    std::swap(changes, m_changes);
    for (std::size_t id = 0; id < m_nodes.size(); ++id) {
        if (changes[id] == m_changes[id])
            continue;
        const QModelIndex first = indexOf(int(id), Key);
        if (first.isValid())
            emit dataChanged(first, first.siblingAtColumn(Type), { ChangeRole, Qt::BackgroundRole });
    }
}

QModelIndex JsonTreeModel::indexForPath(const QString& path) const
{
    const std::optional<std::vector<JsonPathStep>> steps = parseJsonPath(path.toStdString());
    if (!steps || m_nodes.empty())
        return {};
    int id = 0;
    for (const JsonPathStep& step : *steps) {
        const Node& node = m_nodes[std::size_t(id)];
        if (const auto* index = std::get_if<std::size_t>(&step)) {
            if (node.kind != Array || *index >= node.children.size())
                return {};
            id = node.children[*index];
            continue;
        }
        if (node.kind != Object)
            return {};
        const QString key = QString::fromStdString(std::get<std::string>(step));
        const auto found = std::find_if(node.children.rbegin(), node.children.rend(),
            [&](int child) { return m_nodes[std::size_t(child)].key == key; });
        if (found == node.children.rend())
            return {};
        id = *found;
    }
    return indexOf(id);
}

} // namespace eventscope
