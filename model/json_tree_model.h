#pragma once
// One JSON document as a tree of Key / Value / Type rows, for the inspector's data and metadata views.
// The document is parsed once into an immutable tree that keeps the stored key order, duplicate keys and the
// exact spelling of every number (no int64 or double round trip). A payload that is not JSON is one row of
// text, or of hex bytes when it is not UTF-8 either, so nothing stored is ever hidden.
// Rows can also carry the marks of a JSON diff, for the Stream tab's state tree (DESIGN §4).

#include <QAbstractItemModel>
#include <QByteArray>
#include <QSet>
#include <QString>

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace eventscope {

struct JsonChange;

class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { Key, Value, Type, ColumnCount };
    enum Kind { Object, Array, String, Number, Boolean, Null, Text, Bytes, KindCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // QString: data.lines[2].sku
        SearchMatchRole, // bool: the key or the value holds the search text
        KindRole, // int: a Kind
        ValueTextRole, // QString: what "copy value" copies: a string unquoted, a container as compact JSON
        JsonRole, // QString: the subtree as compact JSON
        ChangeRole, // int: a Change
    };
    // A row below a changed or added row is not marked itself: the marked row stands for its whole subtree.
    enum Change { Unchanged, Changed, Added, ChangedBelow, ChangeCount };
    enum class Format { Compact, Indented };

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    // The first step of every path, e.g. "data"; empty paths start with the first key.
    void setRootName(const QString& name);
    QString rootName() const { return m_rootName; }

    void setJson(std::string_view text);
    void setJson(const QByteArray& text) { setJson(std::string_view(text.constData(), std::size_t(text.size()))); }
    void clear();
    bool isJson() const;
    int nodeCount() const { return int(m_nodes.size()); }

    // The subtree at `index` (the whole document for an invalid index) as JSON text. A payload that is not
    // JSON becomes a JSON string of its text, or of "0x" and hex digits when it is not UTF-8.
    QString toJson(const QModelIndex& index = {}, Format format = Format::Indented) const;
    QString path(const QModelIndex& index) const;

    // Marks the rows whose key or scalar value contains `text`, ignoring case, and returns them (column 0)
    // in document order. An empty text clears the marks.
    QModelIndexList setSearch(const QString& text);
    QString searchText() const { return m_search; }
    QModelIndexList searchMatches() const;

    // Marks the rows at `paths` Changed and their ancestors ChangedBelow; an empty set clears the marks, and so
    // does a new document. Paths are relative to the document, as diffJson writes them: PathRole without the
    // root name. Paths that name no row are ignored.
    void setChangedPaths(const QSet<QString>& paths);
    // Marks what diffJson(old document, this document) found: added rows Added, changed rows Changed, and the
    // parent of a removed value ChangedBelow; their ancestors ChangedBelow.
    void setChanges(const std::vector<JsonChange>& changes);
    // The row (column 0) at a path relative to the document, as above; invalid when there is none. Of duplicate
    // keys the last wins, as it does when the document is parsed into a value.
    QModelIndex indexForPath(const QString& path) const;

    // Qt::BackgroundRole of matching rows, Qt::ForegroundRole of the Value cells per kind and of the Type
    // column. The view hands in its brushes: this layer knows no palette.
    void setMatchBackground(const QVariant& brush);
    // Qt::BackgroundRole of rows marked `change`, unless they match the search.
    void setChangeBackground(Change change, const QVariant& brush);
    void setKindForeground(Kind kind, const QVariant& brush);
    void setTypeForeground(const QVariant& brush);

    static QString kindName(Kind kind);
    // A JSON string literal: quotes, backslashes and control characters escaped, everything else kept.
    static QString jsonString(const QString& text);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key; // object member name; empty for array items and the document itself
        QString value; // a scalar's text: string contents, number spelling, true/false/null, text, hex
        int parent = -1;
        int row = 0; // among the parent's children
        int arrayIndex = -1; // >= 0 for array items
        Kind kind = Null;
        std::vector<int> children;
    };
    // False when the text is not one JSON document, or nests deeper than a view can show.
    static bool parse(std::string_view text, std::vector<Node>& nodes);

    bool rootShown() const;
    int nodeId(const QModelIndex& index) const { return index.isValid() ? int(index.internalId()) : -1; }
    QModelIndex indexOf(int id, int column = 0) const;
    QString displayKey(const Node& node) const;
    QString displayValue(const Node& node) const;
    void writeJson(int id, Format format, int depth, QString& out) const;
    void emitEveryRowChanged(const QList<int>& roles);
    void applyChanges(const std::unordered_map<std::string, Change>& marks);

    std::vector<Node> m_nodes; // m_nodes[0] is the document; children follow their parent (document order)
    std::vector<bool> m_matches;
    std::vector<Change> m_changes;
    QString m_rootName;
    QString m_search;
    QVariant m_matchBackground;
    std::array<QVariant, ChangeCount> m_changeBackground;
    std::array<QVariant, KindCount> m_kindForeground;
    QVariant m_typeForeground;
};

} // namespace eventscope
