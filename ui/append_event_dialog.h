#pragma once
// "Append event": one event to one stream, with an expected version. It checks what it can before the store
// does (a stream and a type, data and metadata that parse as JSON) and keeps OK disabled with a sentence saying
// what is missing. For a store marked production, OK also needs an explicit tick.

#include "storage/event.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace eventscope {

class StoreCatalog;

class AppendEventDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AppendEventDialog(QWidget* parent = nullptr);

    void setStream(const QString& stream);
    void setType(const QString& type);
    void setExpectedVersion(const ExpectedVersion& expected);
    // Offers the store's types in the type combo, also when the catalog loads later.
    void setCatalog(StoreCatalog* catalog);
    void setProductionStore(bool production);
    bool isProductionStore() const { return m_production; }

    // What stops OK, one sentence each; empty when the event can be appended.
    QStringList problems() const;
    AppendRequest request() const;

private:
    void fillTypes();
    void validate();

    QFrame* m_productionBanner = nullptr;
    QCheckBox* m_productionCheck = nullptr;
    QLineEdit* m_streamEdit = nullptr;
    QComboBox* m_typeCombo = nullptr;
    QComboBox* m_expectedCombo = nullptr;
    QSpinBox* m_expectedSpin = nullptr;
    QPlainTextEdit* m_dataEdit = nullptr;
    QPlainTextEdit* m_metadataEdit = nullptr;
    QLabel* m_problemLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPointer<StoreCatalog> m_catalog;
    bool m_production = false;
};

} // namespace eventscope
