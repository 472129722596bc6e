#pragma once
// The filter row above the Events table: types, category, stream, actor, correlation and a time range. It
// emits queryChanged() when a person applies a filter (Enter in a field, a choice in a combo, the types popup
// closing, a time picked); query() then holds the filters. The times are shown in UTC or local time; "To" is
// inclusive to the end of the second it shows.

#include "storage/query.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;
class QToolButton;

namespace eventscope {

class StoreCatalog;
class TypePicker;

class EventFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit EventFilterBar(QWidget* parent = nullptr);
    ~EventFilterBar() override;

    EventQuery query() const;
    // Shows these filters and emits queryChanged() once (not at all for an empty time range). Causation, which has
    // no field, shows as a chip that drops it; includeSystem is kept as given, also by clear().
    void setQuery(const EventQuery& query);
    void setCatalog(StoreCatalog* catalog);
    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }
    // False while "From" is after "To": the bar shows why and emits nothing until it is fixed.
    bool isRangeValid() const;
    // The stream field, for Ctrl+F.
    void focusFirstField();

    QWidget* typesPopup() const; // for tests

signals:
    void queryChanged();

public slots:
    void clear();

private:
    void takeTypes(const QStringList& types);
    void updateTypesButton();
    void fillCategories();
    void setTimeEdit(QDateTimeEdit* edit, std::optional<Micros> time);
    std::optional<Micros> timeOf(const QDateTimeEdit* edit, const QCheckBox* check, bool endOfSecond) const;
    void updateTimeWidgets();
    void updateCausationChip();
    // Emits queryChanged() when the range is valid; `onlyIfChanged` spares a reload when nothing moved.
    void apply(bool onlyIfChanged = false);

    QToolButton* m_typesButton = nullptr;
    TypePicker* m_typePicker = nullptr;
    QComboBox* m_categoryCombo = nullptr;
    QLineEdit* m_streamEdit = nullptr;
    QLineEdit* m_actorEdit = nullptr;
    QLineEdit* m_correlationEdit = nullptr;
    QCheckBox* m_sinceCheck = nullptr;
    QDateTimeEdit* m_sinceEdit = nullptr;
    QCheckBox* m_untilCheck = nullptr;
    QDateTimeEdit* m_untilEdit = nullptr;
    QToolButton* m_causationChip = nullptr;
    QToolButton* m_clearButton = nullptr;

    QPointer<StoreCatalog> m_catalog;
    QStringList m_types; // the chosen types, also those the catalog does not (yet) list
    std::optional<std::string> m_causation;
    bool m_includeSystem = false;
    // setQuery() may name times finer than the editors' seconds: they are kept while the editors still show them.
    std::optional<Micros> m_exactSince;
    std::optional<Micros> m_exactUntil;
    bool m_utc = true;
    bool m_filling = false;
    std::optional<EventQuery> m_applied;
};

} // namespace eventscope
