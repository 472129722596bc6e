#include "model/mapping_edit_model.h"

#include "storage/error.h"
#include "storage/mapped_store.h"
#include "storage/store_uri.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
namespace {

QString translate(const char* text)
{
    return QCoreApplication::translate("eventscope::MappingEditModel", text);
}

// The core's sentences start in lower case, for use inside others; shown alone, they start with a capital.
QString sentence(const std::string& text)
{
    QString out = QString::fromStdString(text);
    if (!out.isEmpty())
        out[0] = out[0].toUpper();
    return out;
}

const MappingRole& roleAt(int row)
{
    return mappingRoles()[std::size_t(row)];
}

std::optional<std::string>& slot(TableMapping& mapping, int row)
{
    return mapping.*(roleAt(row).member);
}

const std::optional<std::string>& slot(const TableMapping& mapping, int row)
{
    return mapping.*(roleAt(row).member);
}

} // namespace

QFuture<TableColumnsResult> readTableColumns(const ConnectionSettings& settings)
{
    ConnectionSettings s = settings;
    s.kind = ConnectionSettings::StoreKind::MappedTable;
    TableColumnsResult early;
    early.table = s.table.trimmed();
    early.mappingFile = s.mappingFile;
    s.table = early.table;
    s.mappingFile.clear(); // read here, where its own problems can be told apart from the table's
    if (const QString problem = s.validationError(); !problem.isEmpty()) {
        early.message = problem;
        return QtFuture::makeReadyFuture(early);
    }
    return QtConcurrent::run([uri = s.storeUri().toStdString(), early] {
        TableColumnsResult result = early;
        try {
            result.columns = MappedStore::tableColumns(StoreUri::parse(uri));
            result.ok = true;
        } catch (const std::exception& e) {
            // eventscope::Error, or libpqxx's own types past the store's translation.
            result.message = sentence(e.what());
            return result;
        }
        if (result.mappingFile.isEmpty())
            return result;
        QFile file(result.mappingFile);
        if (!file.open(QIODevice::ReadOnly)) {
            result.fileProblem = translate("The mapping file %1 cannot be read (%2); the columns are guessed instead.")
                                     .arg(result.mappingFile, file.errorString());
            return result;
        }
        try {
            result.fileMapping = mappingFromJson(file.readAll().toStdString());
        } catch (const Error& e) {
            result.fileProblem = translate("The mapping file %1 is not usable (%2); the columns are guessed instead.")
                                     .arg(result.mappingFile, QString::fromStdString(e.what()));
        }
        return result;
    });
}

MappingEditModel::MappingEditModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void MappingEditModel::load(const TableColumnsResult& result)
{
    beginResetModel();
    m_loaded = result.ok;
    m_table = result.table;
    m_columns = result.ok ? result.columns : std::vector<ColumnInfo>();
    m_guess = result.ok ? guessMapping(m_table.toStdString(), m_columns) : TableMapping();
    m_fileMapping.reset();
    if (result.ok && result.fileMapping) {
        m_file = result.mappingFile;
        m_fileMapping = overlayMapping(m_guess, *result.fileMapping);
        m_fileMapping->table = m_table.toStdString(); // the file may have been saved for another name of it
    } else if (result.ok) {
        m_file.clear(); // none was given, or it could not be used: the URI must not name it
    }
    m_current = m_fileMapping ? *m_fileMapping : m_guess;
    endResetModel();
    emit mappingChanged();
}

void MappingEditModel::clear()
{
    if (!m_loaded)
        return;
    beginResetModel();
    m_loaded = false;
    m_columns.clear();
    m_guess = m_current = TableMapping();
    // The file stays named, since what it holds was made for this table or a table of the same shape.
    endResetModel();
    emit mappingChanged();
}

void MappingEditModel::setMappingFile(const QString& path)
{
    m_file = path;
    m_fileMapping.reset();
    emit mappingChanged();
}

int MappingEditModel::roleCount()
{
    return int(mappingRoles().size());
}

QString MappingEditModel::roleKey(int row)
{
    return QLatin1String(roleAt(row).key);
}

QString MappingEditModel::roleLabel(int row)
{
    QString label = QLatin1String(roleAt(row).description);
    if (label.startsWith(QLatin1String("the ")))
        label = label.mid(4);
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

MappingEditModel::Requirement MappingEditModel::requirement(int row)
{
    const MappingRole& role = roleAt(row);
    if (role.required)
        return Requirement::Required;
    if (role.member == &TableMapping::position || role.member == &TableMapping::time)
        return Requirement::Ordering;
    return Requirement::Optional;
}

int MappingEditModel::rowOfRole(const QString& key)
{
    for (int row = 0; row < roleCount(); ++row)
        if (roleKey(row) == key)
            return row;
    return -1;
}

QString MappingEditModel::columnFor(int row) const
{
    if (!m_loaded || row < 0 || row >= roleCount())
        return {};
    return QString::fromStdString(slot(m_current, row).value_or(std::string()));
}

bool MappingEditModel::setColumnFor(int row, const QString& column)
{
    if (!m_loaded || row < 0 || row >= roleCount())
        return false;
    std::optional<std::string> chosen;
    if (!column.isEmpty())
        chosen = column.toStdString();
    if (slot(m_current, row) == chosen)
        return true;
    slot(m_current, row) = std::move(chosen);
    emit dataChanged(index(row, ChosenColumn), index(row, ChosenColumn));
    emit mappingChanged();
    return true;
}

QString MappingEditModel::problem() const
{
    if (!m_loaded)
        return {};
    // The adapter's own check, so the editor refuses exactly what opening the store would.
    TableMapping checked = m_current;
    try {
        checkMapping(checked, m_columns);
    } catch (const Error& e) {
        return sentence(e.what()) + QLatin1Char('.');
    }
    return {};
}

QString MappingEditModel::mappingFile() const
{
    if (!m_loaded)
        return m_file;
    return m_fileMapping && m_current == *m_fileMapping ? m_file : QString();
}

bool MappingEditModel::hasUnsavedChanges() const
{
    return m_loaded && m_current != m_guess && !(m_fileMapping && m_current == *m_fileMapping);
}

bool MappingEditModel::saveTo(const QString& path, QString* error)
{
    auto refuse = [&](const QString& why) {
        if (error)
            *error = translate("The mapping could not be saved to %1: %2.").arg(path, why);
        return false;
    };
    if (!m_loaded)
        return refuse(translate("read the table's columns first"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return refuse(file.errorString());
    const std::string json = mappingToJson(m_current) + '\n';
    file.write(json.data(), qint64(json.size()));
    if (!file.commit())
        return refuse(file.errorString());
    m_file = path;
    m_fileMapping = m_current;
    emit mappingChanged();
    return true;
}

int MappingEditModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_loaded ? 0 : roleCount();
}

int MappingEditModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MappingEditModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    switch (role) {
    case KeyRole:
        return roleKey(row);
    case RequirementRole:
        return int(requirement(row));
    case ColumnNameRole:
        return columnFor(row);
    default:
        break;
    }
    if (index.column() == RoleColumn) {
        if (role == Qt::DisplayRole)
            return roleLabel(row);
        if (role == Qt::ToolTipRole) {
            QStringList names;
            for (const char* name : roleAt(row).candidates)
                names.append(QLatin1String(name));
            return translate("Names recognised: %1").arg(names.join(QStringLiteral(", ")));
        }
        return {};
    }
    const QString column = columnFor(row);
    if (role == Qt::DisplayRole)
        return column.isEmpty() ? translate("(none)") : column;
    if (role == Qt::EditRole)
        return column;
    if (role == Qt::ToolTipRole) {
        for (const ColumnInfo& info : m_columns)
            if (QString::fromStdString(info.name) == column)
                return QString::fromStdString(info.type);
    }
    return {};
}

bool MappingEditModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() != ChosenColumn || (role != Qt::EditRole && role != ColumnNameRole))
        return false;
    return setColumnFor(index.row(), value.toString());
}

QVariant MappingEditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RoleColumn:
        return translate("Field");
    case ChosenColumn:
        return translate("Column");
    default:
        return {};
    }
}

Qt::ItemFlags MappingEditModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == ChosenColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

} // namespace eventscope
