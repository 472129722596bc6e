#pragma once
// The connection dialog's mapping editor (DESIGN §3, §9): names the events table, reads its columns off the UI
// thread, shows which column the adapter takes for each field (guessed from the names, or from the mapping file),
// lets the user change any of them, and saves the mapping to a file the STORE URI then names.

#include "model/connection_settings.h"
#include "model/mapping_edit_model.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace eventscope {

class MappingEditor : public QWidget
{
    Q_OBJECT

public:
    explicit MappingEditor(QWidget* parent = nullptr);
    ~MappingEditor() override;

    // The server whose table is read; its kind, table and mapping file are the editor's own.
    void setConnection(const ConnectionSettings& settings);
    void setTable(const QString& table);
    QString table() const;
    // Before columns are read: the file the URI named. After: see MappingEditModel::mappingFile().
    void setMappingFile(const QString& path);
    QString mappingFile() const;
    // Why the store cannot be opened as edited (no such table, a mapping the adapter refuses, edits not saved), in
    // a sentence; empty when it can, or before the columns are read.
    QString problem() const;
    MappingEditModel* model() { return &m_model; }

    // Lines the Table field up with the fields of the form above it.
    void setLabelWidth(int width, int spacing);

    // What the buttons do; Save mapping… asks for the file first.
    void readColumns();
    bool saveTo(const QString& path);

signals:
    // The table, the mapping or its file changed: the URI or whether it may be used did.
    void changed();
    void columnsRead(bool ok, const QString& text);

private:
    void tableEdited();
    void columnsArrived();
    void rebuildRows();
    void showColumn(int row);
    void chooseFile();
    void updateState();
    void setStatus(const QString& text, const char* themeIcon, int fallbackIcon);

    MappingEditModel m_model;
    ConnectionSettings m_connection;
    QFutureWatcher<TableColumnsResult> m_watcher;
    bool m_reading = false;
    QString m_readError; // why the last read of the current table failed
    QString m_note; // a passing remark about the last load or save
    QLabel* m_tableLabel = nullptr;
    QHBoxLayout* m_tableRow = nullptr;
    QLineEdit* m_table = nullptr;
    QPushButton* m_read = nullptr;
    QLabel* m_statusIcon = nullptr;
    QLabel* m_status = nullptr;
    QGroupBox* m_columnsBox = nullptr;
    QGridLayout* m_grid = nullptr;
    QList<QComboBox*> m_combos; // one per role, in mappingRoles() order
    QList<QLabel*> m_labels;
    QPushButton* m_save = nullptr;
};

} // namespace eventscope
