#pragma once
// A list of JSON changes (model/json_diff.h): one row a change, with its path and the value before and after,
// coloured by kind. The Stream tab shows one for an event's diff, one for comparing two moments and one for a
// snapshot's drift.

#include "model/json_diff.h"

#include <QTreeWidget>

namespace eventscope {

class ChangesView : public QTreeWidget
{
    Q_OBJECT

public:
    explicit ChangesView(QWidget* parent = nullptr);

    // `emptyText` is shown when there are no changes ("No difference", "The event changed nothing").
    void setChanges(const std::vector<JsonChange>& changes, const QString& emptyText);
    int changeCount() const { return m_count; }

private:
    int m_count = 0;
};

} // namespace eventscope
