#pragma once
// The event filter bar's types popup: a searchable list of the store's event types to tick. It lists the
// catalog's types and the chosen ones the catalog does not (yet) list, and reports the ticks when it closes.

#include <QFrame>
#include <QPointer>
#include <QStringList>

class QLabel;
class QLineEdit;
class QListWidget;

namespace eventscope {

class StoreCatalog;

class TypePicker : public QFrame
{
    Q_OBJECT

public:
    // Pops up under `anchor`, which is also the button that opens it.
    TypePicker(QWidget* anchor, QWidget* parent);

    void setCatalog(StoreCatalog* catalog);
    // Lists the types again with these ticked; the search text stays.
    void fill(const QStringList& chosen);
    // Shows the popup with these ticked and the search field empty.
    void popUp(const QStringList& chosen);
    QStringList ticked() const;

signals:
    // Enter, a click elsewhere or close(); Escape first gives back the ticks the popup was filled with.
    void closed(const QStringList& ticked);

protected:
    bool event(QEvent* event) override;

private:
    void filter(const QString& text);
    void updateCount();

    QWidget* m_anchor = nullptr;
    QLineEdit* m_search = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_count = nullptr;
    QPointer<StoreCatalog> m_catalog;
    QStringList m_chosen;
};

} // namespace eventscope
