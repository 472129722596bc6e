#include "ui/json_highlighter.h"

#include <QPalette>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    setPalette(QPalette());
}

bool JsonHighlighter::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor JsonHighlighter::color(Token token, bool dark)
{
    // Close to the editor themes people already read JSON in, with enough contrast on either background.
    static const std::array<QColor, TokenCount> light { QColor(0x04, 0x51, 0xa5), QColor(0xa3, 0x15, 0x15),
        QColor(0x09, 0x86, 0x58), QColor(0x79, 0x1f, 0xb0), QColor(0x6e, 0x6e, 0x6e) };
    static const std::array<QColor, TokenCount> night { QColor(0x9c, 0xdc, 0xfe), QColor(0xce, 0x91, 0x78),
        QColor(0xb5, 0xce, 0xa8), QColor(0xc5, 0x86, 0xc0), QColor(0xa0, 0xa0, 0xa0) };
    return (dark ? night : light)[std::size_t(token)];
}

void JsonHighlighter::setPalette(const QPalette& palette)
{
    const bool dark = isDark(palette);
    for (int token = 0; token < TokenCount; ++token)
        m_formats[std::size_t(token)].setForeground(color(Token(token), dark));
    QColor punctuation = palette.color(QPalette::Text);
    punctuation.setAlphaF(0.6f);
    m_formats[Punctuation].setForeground(punctuation);
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    // One pass over the line's tokens; a string followed by a colon is a key. Pretty-printed JSON keeps every
    // string on one line, so no state carries from block to block.
    static const QRegularExpression token(uR"(("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|)"
                                          uR"(\b(true|false|null)\b|([{}\[\],:]))"_s);
    for (auto it = token.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength(1) > 0) {
            const bool key = match.capturedLength(2) > 0;
            setFormat(int(match.capturedStart(1)), int(match.capturedLength(1)), m_formats[key ? Key : String]);
            if (key) {
                const auto colon = match.capturedEnd(2) - 1;
                setFormat(int(colon), 1, m_formats[Punctuation]);
            }
        } else if (match.capturedLength(3) > 0) {
            setFormat(int(match.capturedStart(3)), int(match.capturedLength(3)), m_formats[Number]);
        } else if (match.capturedLength(4) > 0) {
            setFormat(int(match.capturedStart(4)), int(match.capturedLength(4)), m_formats[Keyword]);
        } else if (match.capturedLength(5) > 0) {
            setFormat(int(match.capturedStart(5)), 1, m_formats[Punctuation]);
        }
    }
}

} // namespace eventscope
