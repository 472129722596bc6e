#include "ui/projection_editor.h"

#include "ui/javascript_highlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace eventscope {
namespace {

constexpr int kCheckDelayMs = 400;

} // namespace

ProjectionEditor::ProjectionEditor(QWidget* parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
    , m_problemLabel(new QLabel(this))
    , m_delay(new QTimer(this))
{
    m_text->setObjectName(QStringLiteral("scriptEdit"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setTabStopDistance(4 * m_text->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    m_text->setPlaceholderText(tr("fromAll().when({ … })"));
    m_highlighter = new JavaScriptHighlighter(m_text->document());
    m_highlighter->setPalette(m_text->palette());

    m_problemLabel->setObjectName(QStringLiteral("scriptProblem"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->setStyleSheet(QStringLiteral(
        "QLabel { background: rgba(209, 36, 47, 40); border: 1px solid rgba(209, 36, 47, 140); border-radius: 4px; "
        "padding: 4px 6px; }"));
    m_problemLabel->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_problemLabel);

    m_delay->setSingleShot(true);
    m_delay->setInterval(kCheckDelayMs);
    connect(m_delay, &QTimer::timeout, this, &ProjectionEditor::startCheck);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        ++m_generation;
        m_delay->start();
        emit scriptEdited();
    });
    connect(&m_watcher, &QFutureWatcher<Check>::finished, this, &ProjectionEditor::takeCheck);
}

ProjectionEditor::~ProjectionEditor()
{
    m_watcher.waitForFinished();
}

QString ProjectionEditor::exampleScript()
{
    return QStringLiteral("// Counts the events of each stream, and remembers the last one's type.\n"
                          "fromAll()\n"
                          "    .foreachStream()\n"
                          "    .when({\n"
                          "        $init: () => ({ count: 0 }),\n"
                          "        $any: (state, event) => {\n"
                          "            state.count += 1;\n"
                          "            state.lastType = event.type;\n"
                          "        },\n"
                          "    });\n");
}

QString ProjectionEditor::script() const
{
    return m_text->toPlainText();
}

void ProjectionEditor::setScript(const QString& script)
{
    if (script == m_text->toPlainText())
        return;
    m_text->setPlainText(script);
}

void ProjectionEditor::setReadOnly(bool readOnly)
{
    m_text->setReadOnly(readOnly);
}

bool ProjectionEditor::isChecking() const
{
    return m_checkedGeneration != m_generation;
}

void ProjectionEditor::startCheck()
{
    if (m_watcher.isRunning())
        return; // takeCheck() checks the newest text next
    if (m_text->toPlainText().trimmed().isEmpty()) {
        // Nothing to compile is not a problem to shout about.
        m_checkedGeneration = m_generation;
        m_problem.reset();
        showProblem();
        return;
    }
    m_watcher.setFuture(QtConcurrent::run([script = m_text->toPlainText().toStdString(), generation = m_generation] {
        return Check { projectionScriptProblem(script), generation };
    }));
}

void ProjectionEditor::takeCheck()
{
    const Check check = m_watcher.result();
    if (check.generation != m_generation) {
        if (!m_delay->isActive())
            startCheck();
        return;
    }
    m_checkedGeneration = check.generation;
    m_problem = check.problem;
    showProblem();
}

void ProjectionEditor::showProblem()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (m_problem && m_problem->line > 0) {
        const QTextBlock block = m_text->document()->findBlockByNumber(m_problem->line - 1);
        if (block.isValid()) {
            QTextEdit::ExtraSelection line;
            line.cursor = QTextCursor(block);
            line.format.setBackground(QColor(209, 36, 47, 60));
            line.format.setProperty(QTextFormat::FullWidthSelection, true);
            selections.append(line);
        }
    }
    m_text->setExtraSelections(selections);
    m_problemLabel->setVisible(m_problem.has_value());
    m_problemLabel->setText(m_problem ? QString::fromStdString(m_problem->message) : QString());
    emit checked(m_problemLabel->text());
}

void ProjectionEditor::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(m_text->palette());
    QWidget::changeEvent(event);
}

} // namespace eventscope
