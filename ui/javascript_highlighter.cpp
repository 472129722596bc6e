#include "ui/javascript_highlighter.h"

#include "ui/json_highlighter.h"

#include <QPalette>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {
namespace {

enum BlockState { Plain = 0, InComment = 1 }; // a /* comment */ left open at the end of a line

} // namespace

JavaScriptHighlighter::JavaScriptHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    setPalette(QPalette());
}

void JavaScriptHighlighter::setPalette(const QPalette& palette)
{
    const bool dark = JsonHighlighter::isDark(palette);
    m_keyword.setForeground(JsonHighlighter::color(JsonHighlighter::Keyword, dark));
    m_keyword.setFontWeight(QFont::DemiBold);
    m_api.setForeground(JsonHighlighter::color(JsonHighlighter::Key, dark));
    m_string.setForeground(JsonHighlighter::color(JsonHighlighter::String, dark));
    m_number.setForeground(JsonHighlighter::color(JsonHighlighter::Number, dark));
    QColor comment = palette.color(QPalette::Text);
    comment.setAlphaF(0.5f);
    m_comment.setForeground(comment);
    m_comment.setFontItalic(true);
    rehighlight();
}

void JavaScriptHighlighter::highlightBlock(const QString& text)
{
    static const QRegularExpression token(
        uR"((//.*$)|(/\*)|('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|`(?:[^`\\]|\\.)*`?)|)"
        uR"(\b(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|)"
        uR"(\b(var|let|const|function|return|if|else|for|while|do|break|continue|new|this|typeof|instanceof|in|of|)"
        uR"(null|undefined|true|false|throw|try|catch|finally|switch|case|default|delete)\b|)"
        uR"((\$(?:init|initShared|any|created|deleted)\b|\b(?:fromAll|fromStream|fromStreams|fromCategory|)"
        uR"(fromStreamsMatching|foreachStream|partitionBy|when|transformBy|filterBy|outputState|outputTo|options|)"
        uR"(emit|linkTo|log)\b))"_s);
    static const QRegularExpression commentEnd(uR"(\*/)"_s);

    qsizetype from = 0;
    setCurrentBlockState(Plain);
    if (previousBlockState() == InComment) {
        const QRegularExpressionMatch end = commentEnd.match(text);
        if (!end.hasMatch()) {
            setFormat(0, int(text.size()), m_comment);
            setCurrentBlockState(InComment);
            return;
        }
        setFormat(0, int(end.capturedEnd()), m_comment);
        from = end.capturedEnd();
    }
    while (from < text.size()) {
        const QRegularExpressionMatch match = token.match(text, from);
        if (!match.hasMatch())
            break;
        const int start = int(match.capturedStart());
        const int length = int(match.capturedLength());
        if (match.capturedLength(1) > 0) {
            setFormat(start, length, m_comment);
        } else if (match.capturedLength(2) > 0) {
            const QRegularExpressionMatch end = commentEnd.match(text, match.capturedEnd());
            if (!end.hasMatch()) {
                setFormat(start, int(text.size()) - start, m_comment);
                setCurrentBlockState(InComment);
                return;
            }
            setFormat(start, int(end.capturedEnd()) - start, m_comment);
            from = end.capturedEnd();
            continue;
        } else if (match.capturedLength(3) > 0) {
            setFormat(start, length, m_string);
        } else if (match.capturedLength(4) > 0) {
            setFormat(start, length, m_number);
        } else if (match.capturedLength(5) > 0) {
            setFormat(start, length, m_keyword);
        } else if (match.capturedLength(6) > 0) {
            setFormat(start, length, m_api);
        }
        from = std::max(match.capturedEnd(), from + 1);
    }
}

} // namespace eventscope
