#pragma once
// What the connection dialog's mapping editor edits (DESIGN §3): one row per field an events table's column may
// hold, the column chosen for it (guessed from the names first), whether the adapter can read the events with that
// choice, and whether the choice is in a mapping file the STORE URI can name. The widget only shows this.

#include "model/connection_settings.h"
#include "storage/table_mapping.h"

#include <QAbstractTableModel>
#include <QFuture>

#include <optional>
#include <vector>

namespace eventscope {

// What reading a table's columns found, and the mapping file the settings named, read too.
struct TableColumnsResult
{
    QString table; // the table asked for
    bool ok = false;
    std::vector<ColumnInfo> columns;
    QString message; // why there are no columns, when !ok
    QString mappingFile; // the file asked for, or empty
    std::optional<TableMapping> fileMapping; // the file's choices, when it could be read
    QString fileProblem; // why it could not
};

// Reads the columns of settings.table, and settings.mappingFile, off the calling thread on a connection of its own.
// settings is taken as an events table whatever its kind.
QFuture<TableColumnsResult> readTableColumns(const ConnectionSettings& settings);

class MappingEditModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RoleColumn, ChosenColumn, ColumnCount };
    // Ordering: the position or the time orders the events, so one of the two is needed.
    enum class Requirement { Optional, Required, Ordering };
    enum DataRole {
        KeyRole = Qt::UserRole + 1, // the mapping file's key, "stream"
        RequirementRole, // int(Requirement)
        ColumnNameRole, // the chosen column, "" for none (also Qt::EditRole of ChosenColumn)
    };

    explicit MappingEditModel(QObject* parent = nullptr);

    // Rows for the table's columns, each role set to the guess, or to the file's choice where one was read.
    void load(const TableColumnsResult& result);
    // No rows; the file stays what the URI names until columns are read.
    void clear();
    bool isLoaded() const { return m_loaded; }
    // Before columns are read: the file the settings named.
    void setMappingFile(const QString& path);

    QString table() const { return m_table; }
    const std::vector<ColumnInfo>& columns() const { return m_columns; }

    // Rows exist only once loaded; these describe the roles whatever the state.
    static int roleCount();
    static QString roleKey(int row);
    static QString roleLabel(int row); // "Stream version"
    static Requirement requirement(int row);
    static int rowOfRole(const QString& key);

    QString columnFor(int row) const;
    bool setColumnFor(int row, const QString& column);

    TableMapping mapping() const { return m_current; }
    TableMapping guessedMapping() const { return m_guess; }
    // The adapter's own check's sentence for the edited mapping, or empty when the events can be read with it.
    QString problem() const;
    // The file the STORE URI names: the saved or given file while the mapping is what it holds, else empty.
    QString mappingFile() const;
    // Edits that neither the guess nor the file holds, which the URI cannot carry until they are saved.
    bool hasUnsavedChanges() const;
    // Writes mappingToJson() of the edited mapping; the URI names the file from then on.
    bool saveTo(const QString& path, QString* error = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

signals:
    // After every load, clear, edit and save.
    void mappingChanged();

private:
    bool m_loaded = false;
    QString m_table;
    std::vector<ColumnInfo> m_columns;
    TableMapping m_guess;
    TableMapping m_current;
    QString m_file;
    std::optional<TableMapping> m_fileMapping; // the guess with the file laid over it, as the adapter would read it
};

} // namespace eventscope
