#pragma once
// The script of a projection (DESIGN §5), edited with JavaScript colours. A moment after typing stops, the
// script is checked off the UI thread (compiling it builds a JavaScript engine); a problem is shown under the
// editor in a sentence, with its line highlighted.

#include "model/js_projection.h"

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace eventscope {

class JavaScriptHighlighter;

class ProjectionEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionEditor(QWidget* parent = nullptr);
    ~ProjectionEditor() override;

    QString script() const;
    // Replaces the script (undo starts again) and checks it.
    void setScript(const QString& script);
    void setReadOnly(bool readOnly);

    // The last check's problem; none while the script is fine or not checked yet.
    const std::optional<ScriptProblem>& problem() const { return m_problem; }
    // True from the first keystroke until the check of the newest text is known.
    bool isChecking() const;
    QPlainTextEdit* textEdit() const { return m_text; }
    QLabel* problemLabel() const { return m_problemLabel; }

    // The example a new projection starts with: the events of each stream counted.
    static QString exampleScript();

signals:
    void scriptEdited();
    // A check finished: `problem` is empty when the script compiles.
    void checked(const QString& problem);

protected:
    void changeEvent(QEvent* event) override;

private:
    void startCheck();
    void takeCheck();
    void showProblem();

    QPlainTextEdit* m_text = nullptr;
    QLabel* m_problemLabel = nullptr;
    JavaScriptHighlighter* m_highlighter = nullptr;
    QTimer* m_delay = nullptr;
    quint64 m_generation = 0;
    quint64 m_checkedGeneration = 0;
    std::optional<ScriptProblem> m_problem;
    struct Check
    {
        std::optional<ScriptProblem> problem;
        quint64 generation = 0;
    };
    QFutureWatcher<Check> m_watcher;
};

} // namespace eventscope
