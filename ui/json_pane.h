#pragma once
// One JSON page of the inspector (DESIGN §9): a document as a tree, searched by key and value, copied whole or
// a node at a time. The inspector holds one for an event's data and one for its metadata.

#include "model/json_diff.h"

#include <QModelIndexList>
#include <QWidget>

#include <string>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

namespace eventscope {

class JsonTreeModel;

class JsonPane : public QWidget
{
    Q_OBJECT

public:
    // `name` is the tree's root name and the stem of the children's object names ("dataTree", "dataSearch", ...).
    explicit JsonPane(const QString& name, QWidget* parent = nullptr);

    JsonTreeModel* model() const { return m_model; }
    void showJson(const std::string& json);
    // Marks what changed against the document shown before (model/json_diff.h) and opens the tree down to it.
    void showChanges(const std::vector<JsonChange>& changes);
    void clear();

private:
    void search();
    void nextMatch();
    void copyAsJson(QPushButton* button);

    JsonTreeModel* m_model = nullptr;
    QTreeView* m_tree = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_count = nullptr;
    QModelIndexList m_matches;
    int m_current = -1;
};

} // namespace eventscope
