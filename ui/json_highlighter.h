#pragma once
// Colours JSON text (keys, strings, numbers, true/false/null, punctuation) with one colour set for light
// palettes and one for dark ones, so the inspector's raw view and its trees read the same in both.

#include <QColor>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <array>

class QPalette;

namespace eventscope {

class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    enum Token { Key, String, Number, Keyword, Punctuation, TokenCount };

    explicit JsonHighlighter(QTextDocument* document);

    // Picks the colour set that reads on this palette's base colour, and highlights again.
    void setPalette(const QPalette& palette);
    QColor color(Token token) const { return m_formats[token].foreground().color(); }

    static bool isDark(const QPalette& palette);
    // The colour of a token on a light or a dark background; punctuation follows the palette's text instead.
    static QColor color(Token token, bool dark);

protected:
    void highlightBlock(const QString& text) override;

private:
    std::array<QTextCharFormat, TokenCount> m_formats;
};

} // namespace eventscope
