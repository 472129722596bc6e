#include "model/json_tree_model.h"

#include "model/json_path.h"

#include <QStringDecoder>

#include <nlohmann/json.hpp>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

// Deeper documents are shown as text: a view cannot usefully show them, and writing them back recurses.
constexpr std::size_t maxDepth = 500;
// A cell paints its whole text on every repaint; the full value stays in the tooltip and the copy roles.
constexpr qsizetype displayLimit = 400;
constexpr qsizetype tooltipLimit = 4000;

QString capped(QString text, qsizetype limit)
{
    if (text.size() > limit) {
        text.truncate(limit);
        text += u'…';
    }
    return text;
}

// Control characters would break a row into lines, so they show as their JSON escapes.
QString escapedControls(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'\n':
            out += u"\\n"_s;
            break;
        case u'\r':
            out += u"\\r"_s;
            break;
        case u'\t':
            out += u"\\t"_s;
            break;
        case u'\b':
            out += u"\\b"_s;
            break;
        case u'\f':
            out += u"\\f"_s;
            break;
        default:
            if (c.unicode() < 0x20)
                out += u"\\u"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0');
            else
                out += c;
        }
    }
    return out;
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

JsonTreeModel::~JsonTreeModel() = default;

bool JsonTreeModel::parse(std::string_view text, std::vector<Node>& nodes)
{
    using json = nlohmann::json;
    struct Builder
    {
        std::vector<Node>& nodes;
        std::vector<int> open;
        QString pendingKey;

        bool add(Kind kind, QString value)
        {
            Node node;
            node.kind = kind;
            node.value = std::move(value);
            if (!open.empty()) {
                Node& parent = nodes[std::size_t(open.back())];
                node.parent = open.back();
                node.row = int(parent.children.size());
                if (parent.kind == Array)
                    node.arrayIndex = node.row;
                else
                    node.key = std::move(pendingKey);
                parent.children.push_back(int(nodes.size()));
            }
            nodes.push_back(std::move(node));
            return true;
        }
        bool openContainer(Kind kind)
        {
            if (open.size() >= maxDepth)
                return false;
            add(kind, {});
            open.push_back(int(nodes.size()) - 1);
            return true;
        }
        bool null() { return add(Null, u"null"_s); }
        bool boolean(bool value) { return add(Boolean, value ? u"true"_s : u"false"_s); }
        bool number_integer(json::number_integer_t value) { return add(Number, QString::number(value)); }
        bool number_unsigned(json::number_unsigned_t value) { return add(Number, QString::number(value)); }
        // The lexer hands over the number as written, so a value beyond int64 or double keeps every digit.
        bool number_float(json::number_float_t, const json::string_t& spelling)
        {
            return add(Number, QString::fromStdString(spelling));
        }
        bool string(json::string_t& value) { return add(String, QString::fromStdString(value)); }
        bool binary(json::binary_t&) { return false; }
        bool start_object(std::size_t) { return openContainer(Object); }
        bool key(json::string_t& key)
        {
            pendingKey = QString::fromStdString(key);
            return true;
        }
        bool end_object()
        {
            open.pop_back();
            return true;
        }
        bool start_array(std::size_t) { return openContainer(Array); }
        bool end_array()
        {
            open.pop_back();
            return true;
        }
        bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }
    };
    Builder builder { nodes, {}, {} };
    return json::sax_parse(text, &builder) && !nodes.empty();
}

void JsonTreeModel::setRootName(const QString& name)
{
    m_rootName = name;
    emitEveryRowChanged({ Qt::DisplayRole, PathRole, Qt::ToolTipRole });
}

void JsonTreeModel::emitEveryRowChanged(const QList<int>& roles)
{
    for (std::size_t id = 0; id < m_nodes.size(); ++id) {
        const Node& node = m_nodes[id];
        if (id == 0 && rootShown()) {
            emit dataChanged(index(0, Key), index(0, Type), roles);
        } else if (!node.children.empty()) {
            const QModelIndex first = indexOf(node.children.front(), Key);
            emit dataChanged(first, indexOf(node.children.back(), Type), roles);
        }
    }
}

void JsonTreeModel::setJson(std::string_view text)
{
    std::vector<Node> nodes;
    if (!parse(text, nodes)) {
        nodes.clear();
        Node node;
        const QByteArray bytes(text.data(), qsizetype(text.size()));
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        node.value = utf8(bytes);
        node.kind = Text;
        if (utf8.hasError()) {
            node.value = QString::fromLatin1(bytes.toHex(' '));
            node.kind = Bytes;
        }
        nodes.push_back(std::move(node));
    }
    beginResetModel();
    m_nodes = std::move(nodes);
    m_matches.assign(m_nodes.size(), false);
    m_changes.assign(m_nodes.size(), Unchanged);
    endResetModel();
    if (!m_search.isEmpty())
        setSearch(m_search);
}

void JsonTreeModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_matches.clear();
    m_changes.clear();
    endResetModel();
}

bool JsonTreeModel::isJson() const
{
    return !m_nodes.empty() && m_nodes.front().kind != Text && m_nodes.front().kind != Bytes;
}

bool JsonTreeModel::rootShown() const
{
    // A container with members shows its members at the top; anything else is one row of its own.
    const Node& root = m_nodes.front();
    return root.children.empty();
}

QModelIndex JsonTreeModel::indexOf(int id, int column) const
{
    if (id < 0 || std::size_t(id) >= m_nodes.size() || (id == 0 && !rootShown()))
        return {};
    return createIndex(m_nodes[std::size_t(id)].row, column, quintptr(id));
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || m_nodes.empty())
        return {};
    if (!parent.isValid() && rootShown())
        return row == 0 ? createIndex(0, column, quintptr(0)) : QModelIndex();
    const Node& owner = m_nodes[std::size_t(parent.isValid() ? nodeId(parent) : 0)];
    if (std::size_t(row) >= owner.children.size())
        return {};
    return createIndex(row, column, quintptr(owner.children[std::size_t(row)]));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    return indexOf(m_nodes[std::size_t(nodeId(child))].parent);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (m_nodes.empty() || parent.column() > 0)
        return 0;
    if (!parent.isValid())
        return rootShown() ? 1 : int(m_nodes.front().children.size());
    return int(m_nodes[std::size_t(nodeId(parent))].children.size());
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QString JsonTreeModel::kindName(Kind kind)
{
    switch (kind) {
    case Object:
        return tr("object");
    case Array:
        return tr("array");
    case String:
        return tr("string");
    case Number:
        return tr("number");
    case Boolean:
        return tr("boolean");
    case Null:
        return tr("null");
    case Text:
        return tr("text");
    case Bytes:
        return tr("bytes");
    case KindCount:
        break;
    }
    return {};
}

QString JsonTreeModel::displayKey(const Node& node) const
{
    if (node.arrayIndex >= 0)
        return u'[' + QString::number(node.arrayIndex) + u']';
    if (node.parent < 0)
        return m_rootName;
    return escapedControls(node.key);
}

QString JsonTreeModel::displayValue(const Node& node) const
{
    const auto count = qsizetype(node.children.size());
    switch (node.kind) {
    case Object:
        if (count == 0)
            return u"{}"_s;
        return count == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(count);
    case Array:
        if (count == 0)
            return u"[]"_s;
        return count == 1 ? tr("[1 item]") : tr("[%1 items]").arg(count);
    case String:
    case Text:
        return capped(escapedControls(node.value), displayLimit);
    default:
        return capped(node.value, displayLimit);
    }
}

QString JsonTreeModel::path(const QModelIndex& index) const
{
    std::vector<int> chain;
    for (int id = nodeId(index); id > 0; id = m_nodes[std::size_t(id)].parent)
        chain.push_back(id);
    std::string result = m_rootName.toStdString();
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Node& node = m_nodes[std::size_t(*it)];
        result = node.arrayIndex >= 0 ? appendJsonPathIndex(std::move(result), std::size_t(node.arrayIndex))
                                      : appendJsonPathKey(std::move(result), node.key.toStdString());
    }
    return QString::fromStdString(result);
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid));
    const auto id = std::size_t(nodeId(index));
    const Node& node = m_nodes[id];
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Key)
            return displayKey(node);
        if (index.column() == Value)
            return displayValue(node);
        return kindName(node.kind);
    case Qt::ToolTipRole:
        if (index.column() == Key)
            return path(index);
        if (index.column() == Value && node.children.empty())
            return capped(node.value, tooltipLimit);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Value)
            return m_kindForeground[std::size_t(node.kind)];
        return index.column() == Type ? m_typeForeground : QVariant();
    case Qt::BackgroundRole:
        return m_matches[id] ? m_matchBackground : m_changeBackground[std::size_t(m_changes[id])];
    case PathRole:
        return path(index);
    case SearchMatchRole:
        return bool(m_matches[id]);
    case KindRole:
        return int(node.kind);
    case ValueTextRole:
        if (node.kind == Bytes)
            return toJson(index, Format::Compact).mid(1).chopped(1);
        return node.kind == Object || node.kind == Array ? toJson(index, Format::Compact) : node.value;
    case JsonRole:
        return toJson(index, Format::Compact);
    case ChangeRole:
        return int(m_changes[id]);
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key:
        return tr("Key");
    case Value:
        return tr("Value");
    case Type:
        return tr("Type");
    default:
        return {};
    }
}

QString JsonTreeModel::jsonString(const QString& text)
{
    return QString::fromStdString(jsonStringLiteral(text.toStdString()));
}

QString JsonTreeModel::toJson(const QModelIndex& index, Format format) const
{
    QString out;
    if (!m_nodes.empty())
        writeJson(index.isValid() ? nodeId(index) : 0, format, 0, out);
    return out;
}

void JsonTreeModel::writeJson(int id, Format format, int depth, QString& out) const
{
    const Node& node = m_nodes[std::size_t(id)];
    const bool indented = format == Format::Indented;
    switch (node.kind) {
    case Object:
    case Array: {
        const bool object = node.kind == Object;
        out += object ? u'{' : u'[';
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            if (i > 0)
                out += u',';
            if (indented)
                out += u'\n' + QString(2 * (depth + 1), u' ');
            const Node& child = m_nodes[std::size_t(node.children[i])];
            if (object)
                out += jsonString(child.key) + (indented ? u": "_s : u":"_s);
            writeJson(node.children[i], format, depth + 1, out);
        }
        if (indented && !node.children.empty())
            out += u'\n' + QString(2 * depth, u' ');
        out += object ? u'}' : u']';
        break;
    }
    case String:
    case Text:
        out += jsonString(node.value);
        break;
    case Bytes:
        // As the NDJSON export writes bytes that are not text.
        out += u"\"0x"_s + QString(node.value).remove(u' ') + u'"';
        break;
    default:
        out += node.value;
    }
}

QModelIndexList JsonTreeModel::setSearch(const QString& text)
{
    m_search = text;
    for (std::size_t id = 0; id < m_nodes.size(); ++id) {
        const Node& node = m_nodes[id];
        const bool match = !text.isEmpty()
            && (node.key.contains(text, Qt::CaseInsensitive)
                || (node.children.empty() && node.kind != Object && node.kind != Array
                    && node.value.contains(text, Qt::CaseInsensitive)));
        if (match == m_matches[id])
            continue;
        m_matches[id] = match;
        const QModelIndex first = indexOf(int(id), Key);
        if (first.isValid())
            emit dataChanged(first, first.siblingAtColumn(Type), { SearchMatchRole, Qt::BackgroundRole });
    }
    return searchMatches();
}

QModelIndexList JsonTreeModel::searchMatches() const
{
    QModelIndexList matches;
    for (std::size_t id = 0; id < m_nodes.size(); ++id) {
        if (m_matches[id]) {
            const QModelIndex index = indexOf(int(id));
            if (index.isValid())
                matches.append(index);
        }
    }
    return matches;
}

void JsonTreeModel::setMatchBackground(const QVariant& brush)
{
    m_matchBackground = brush;
    emitEveryRowChanged({ Qt::BackgroundRole });
}

void JsonTreeModel::setKindForeground(Kind kind, const QVariant& brush)
{
    m_kindForeground[std::size_t(kind)] = brush;
    emitEveryRowChanged({ Qt::ForegroundRole });
}

void JsonTreeModel::setTypeForeground(const QVariant& brush)
{
    m_typeForeground = brush;
    emitEveryRowChanged({ Qt::ForegroundRole });
}

} // namespace eventscope
