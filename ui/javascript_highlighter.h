#pragma once
// Colours a projection or reducer script: keywords, the projection API (fromAll, when, emit, …) and handler names
// ($init, $any, …), strings, numbers and comments, in the colours of the JSON views for the palette in use.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPalette;

namespace eventscope {

class JavaScriptHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JavaScriptHighlighter(QTextDocument* document);

    void setPalette(const QPalette& palette);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_keyword;
    QTextCharFormat m_api;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_comment;
};

} // namespace eventscope
