#pragma once
// The Audit tab's redaction rules (DESIGN §7): JSON paths such as data.cardNumber whose values exports replace
// with "[redacted]". A path is checked as it is added, and a bad one is refused with the reason beside the field.

#include <QWidget>

#include <string>
#include <vector>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace eventscope {

class RedactionListEditor : public QWidget
{
    Q_OBJECT

public:
    explicit RedactionListEditor(QWidget* parent = nullptr);

    std::vector<std::string> paths() const;
    void setPaths(const std::vector<std::string>& paths);
    // Adds the path in the field; false (with the reason shown) when it is not a path Redaction accepts.
    bool addPath();

    QLineEdit* pathEdit() const { return m_edit; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QListWidget* list() const { return m_list; }
    QLabel* errorLabel() const { return m_error; }

Q_SIGNALS:
    void changed();

private:
    QListWidget* m_list;
    QLineEdit* m_edit;
    QPushButton* m_add;
    QPushButton* m_remove;
    QLabel* m_error;
};

} // namespace eventscope
