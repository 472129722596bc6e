#include "model/audit_pdf_report.h"

#include "storage/error.h"
#include "storage/time_format.h"

#include <QFileDevice>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

#include <algorithm>
#include <climits>

using namespace Qt::Literals::StringLiterals;

namespace eventscope {

namespace {

// One huge event must not turn into hundreds of pages: the exports in CSV and NDJSON hold payloads whole.
constexpr int kPayloadLines = 40;
// Up to this many types, the day table has a column per type; beyond, the columns would be unreadable.
constexpr std::size_t kMaxTypeColumns = 6;

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

// QTextLayout breaks lines only at U+2028; other control characters (a foreign store's bytes) have no glyph.
QString printable(QString s)
{
    for (QChar& c : s) {
        if (c == u'\n')
            c = QChar::LineSeparator;
        else if (c == u'\t')
            c = u' ';
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QChar::ReplacementCharacter;
    }
    return s;
}

bool isUtf8Continuation(char c)
{
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

std::int64_t codePoints(const std::string& s)
{
    return std::count_if(s.begin(), s.end(), [](char c) { return !isUtf8Continuation(c); });
}

std::int64_t codePoints(QStringView s)
{
    std::int64_t n = 0;
    for (const QChar c : s)
        n += c.isLowSurrogate() ? 0 : 1;
    return n;
}

// The first `limit` code points of `s`, cut on a character boundary.
std::string utf8Prefix(const std::string& s, std::int64_t limit)
{
    std::size_t end = 0;
    for (std::int64_t n = 0; end < s.size(); ++end) {
        if (!isUtf8Continuation(s[end]) && n++ == limit)
            break;
    }
    return s.substr(0, end);
}

QString percent(std::int64_t part, std::int64_t whole)
{
    return QString::number(whole == 0 ? 0.0 : 100.0 * double(part) / double(whole), 'f', 1) + u" %"_s;
}

// Forwards to the caller's device and remembers a refused write: QPdfWriter ignores write errors.
class CheckedDevice : public QIODevice
{
public:
    explicit CheckedDevice(QIODevice& target)
        : m_target(target)
    {
        open(QIODevice::WriteOnly);
    }
    bool failed() const { return m_failed; }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 size) override
    {
        for (qint64 done = 0; done < size && !m_failed;) {
            const qint64 n = m_target.write(data + done, size - done);
            if (n <= 0)
                m_failed = true;
            else
                done += n;
        }
        return m_failed ? -1 : size;
    }

private:
    QIODevice& m_target;
    bool m_failed = false;
};

struct Column
{
    QString title;
    qreal width = 0; // a share of the page width
    bool right = false;
};

} // namespace

struct AuditPdfReport::Impl
{
    Impl(QIODevice& target, const AuditReportHeader& header);

    void newPage();
    void footer();
    void space(qreal height);
    // Lays `s` out at the page width (at word boundaries, or anywhere inside a long token), turning pages as
    // needed; stops after `maxLines`. Returns how many UTF-16 units of `s` were drawn.
    qsizetype paragraph(const QString& s, const QFont& font, int maxLines = INT_MAX);
    void payload(const QString& label, const std::string& json);
    void beginTable(const QString& title, std::vector<Column> columns);
    void tableHeader(bool continued);
    void tableRow(const QStringList& cells);
    void firstPage(const AuditReportHeader& header, const AuditSummary& summary);

    QIODevice& target;
    CheckedDevice device;
    QPdfWriter writer;
    QPainter painter;
    QFont titleFont, headingFont, bodyFont, boldFont, monoFont, smallFont;
    QString storeId;
    qreal width = 0;
    qreal bottom = 0;
    qreal y = 0;
    int page = 1;
    int monoCharsPerLine = 80;
    std::int64_t events = 0;
    bool finished = false;
    QString tableTitle;
    std::vector<Column> table;
};

AuditPdfReport::Impl::Impl(QIODevice& target_, const AuditReportHeader& header)
    : target(target_)
    , device(target_)
    , writer(&device)
    , storeId(text(header.storeId))
{
    if (!target.isOpen() || !target.isWritable())
        fail(ErrorKind::BadInput, "the PDF report's output is not open for writing");
    writer.setTitle(u"Eventscope audit report"_s);
    writer.setCreator(u"Eventscope"_s);
    writer.setResolution(300);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    if (!painter.begin(&writer))
        fail(ErrorKind::BadInput, "the PDF report could not be started");

    auto font = [](const QString& family, qreal points, QFont::StyleHint hint, bool bold = false) {
        QFont f(family);
        f.setStyleHint(hint);
        f.setPointSizeF(points);
        f.setBold(bold);
        // No "ff" or "fi" ligatures: IDs and digests must come out of the PDF (pdftotext, copy and paste) as the
        // characters they are. Scripts that need shaping still get it.
        f.setStyleStrategy(QFont::PreferNoShaping);
        return f;
    };
    titleFont = font(u"Sans Serif"_s, 18, QFont::SansSerif, true);
    headingFont = font(u"Sans Serif"_s, 12, QFont::SansSerif, true);
    bodyFont = font(u"Sans Serif"_s, 9.5, QFont::SansSerif);
    boldFont = font(u"Sans Serif"_s, 9.5, QFont::SansSerif, true);
    smallFont = font(u"Sans Serif"_s, 7.5, QFont::SansSerif);
    monoFont = font(u"Monospace"_s, 7, QFont::TypeWriter);
    monoFont.setFixedPitch(true);

    width = writer.width();
    const QFontMetricsF small(smallFont, &writer);
    bottom = writer.height() - 2.5 * small.height();
    const qreal advance = QFontMetricsF(monoFont, &writer).horizontalAdvance(u'x');
    monoCharsPerLine = advance > 0 ? std::max(20, int(width / advance) + 1) : 200;
}

void AuditPdfReport::Impl::footer()
{
    painter.setFont(smallFont);
    const QFontMetricsF metrics(smallFont, &writer);
    const QRectF line(0, writer.height() - metrics.height(), width, metrics.height());
    painter.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, u"page "_s + QString::number(page));
    painter.drawText(line, Qt::AlignRight | Qt::AlignVCenter,
        metrics.elidedText(storeId.isEmpty() ? QString() : u"store "_s + storeId, Qt::ElideMiddle, width * 0.7));
}

void AuditPdfReport::Impl::newPage()
{
    footer();
    writer.newPage();
    ++page;
    y = 0;
}

void AuditPdfReport::Impl::space(qreal height)
{
    if (y > 0 && y + height > bottom)
        newPage();
}

qsizetype AuditPdfReport::Impl::paragraph(const QString& s, const QFont& font, int maxLines)
{
    QTextLayout layout(printable(s), font, &writer);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.setCacheEnabled(true);
    layout.beginLayout();
    int lines = 0;
    for (QTextLine line = layout.createLine(); line.isValid() && lines < maxLines; line = layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, 0));
        ++lines;
    }
    layout.endLayout();
    qsizetype drawn = 0;
    for (int i = 0; i < std::min(lines, layout.lineCount()); ++i) {
        const QTextLine line = layout.lineAt(i);
        space(line.height());
        line.draw(&painter, QPointF(0, y));
        y += line.height();
        drawn = line.textStart() + line.textLength();
    }
    return drawn;
}

void AuditPdfReport::Impl::payload(const QString& label, const std::string& json)
{
    // Only a prefix is laid out, long enough to fill the capped lines: a payload of megabytes costs no more.
    const std::int64_t budget = std::int64_t(kPayloadLines) * monoCharsPerLine * 2;
    const std::int64_t total = codePoints(json);
    const bool cut = total > budget;
    const QString body = cut ? text(utf8Prefix(json, budget)) : text(json);
    const QString s = label + body;
    const qsizetype drawn = paragraph(s, monoFont, kPayloadLines);
    if (!cut && drawn >= s.size())
        return;
    const std::int64_t shown = codePoints(QStringView(body).left(std::max<qsizetype>(0, drawn - label.size())));
    paragraph(u"\u2026 ("_s + QString::number(total - shown)
            + u" more characters; the CSV and NDJSON exports hold it whole)"_s,
        smallFont);
}

void AuditPdfReport::Impl::beginTable(const QString& title, std::vector<Column> columns)
{
    tableTitle = title;
    table = std::move(columns);
    y += QFontMetricsF(bodyFont, &writer).height() * 0.6;
    // The title, the header and a first row stay together.
    space(QFontMetricsF(headingFont, &writer).height() + 3 * QFontMetricsF(bodyFont, &writer).height());
    tableHeader(false);
}

void AuditPdfReport::Impl::tableHeader(bool continued)
{
    paragraph(continued ? tableTitle + u" (continued)"_s : tableTitle, headingFont);
    QStringList titles;
    for (const Column& column : table)
        titles << column.title;
    const QFont saved = bodyFont;
    bodyFont = boldFont;
    tableRow(titles);
    bodyFont = saved;
    painter.drawLine(QPointF(0, y), QPointF(width, y));
}

void AuditPdfReport::Impl::tableRow(const QStringList& cells)
{
    const QFontMetricsF metrics(bodyFont, &writer);
    const qreal height = metrics.height() * 1.15;
    if (y + height > bottom) {
        newPage();
        tableHeader(true);
    }
    painter.setFont(bodyFont);
    qreal x = 0;
    const qreal gap = metrics.horizontalAdvance(u'm');
    for (std::size_t i = 0; i < table.size() && i < std::size_t(cells.size()); ++i) {
        const qreal w = table[i].width * width;
        const QRectF cell(x, y, w - gap, height);
        painter.drawText(cell, (table[i].right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
            metrics.elidedText(printable(cells[int(i)]), Qt::ElideRight, cell.width()));
        x += w;
    }
    y += height;
}

void AuditPdfReport::Impl::firstPage(const AuditReportHeader& header, const AuditSummary& summary)
{
    paragraph(u"Eventscope audit report"_s, titleFont);
    y += QFontMetricsF(bodyFont, &writer).height() * 0.6;

    QStringList redactions;
    for (const std::string& path : header.redactions)
        redactions << text(path);
    const QStringList lines {
        u"Query: "_s + text(header.query),
        u"Redaction rules: "_s + (redactions.isEmpty() ? u"none"_s : redactions.join(u", "_s)),
        u"Store: "_s + text(header.storeKind) + u" \u00b7 "_s + text(header.storeUri),
        u"Store ID: "_s
            + (header.storeId.empty() ? u"none (a store another system wrote has no Eventscope ID)"_s
                                      : text(header.storeId)),
        u"Head position: "_s + QString::number(header.headPosition),
    };
    for (const QString& line : lines)
        paragraph(line, bodyFont);
    if (header.sealDigest) {
        paragraph(u"Seal digest: "_s + text(*header.sealDigest), bodyFont);
        paragraph(u"Sealed at head position "_s + QString::number(header.sealHeadPosition) + u", "_s
                + text(formatTime(header.sealTime)),
            bodyFont);
    } else {
        paragraph(u"Seal: the store has not been sealed"_s, bodyFont);
    }
    paragraph(
        u"Generated at "_s + text(formatTime(header.generatedAt)) + u" by "_s + text(header.generatedBy), bodyFont);

    y += QFontMetricsF(bodyFont, &writer).height();
    paragraph(u"Summary"_s, headingFont);
    paragraph(u"Total events: "_s + QString::number(summary.total()), bodyFont);
    if (summary.total() == 0)
        return;
    paragraph(u"From "_s + text(formatTime(summary.firstTime())) + u" to "_s + text(formatTime(summary.lastTime())),
        bodyFont);

    beginTable(u"Events by type"_s, { { u"Type"_s, 0.6 }, { u"Count"_s, 0.2, true }, { u"Share"_s, 0.2, true } });
    for (const auto& [type, count] : summary.byType())
        tableRow({ text(type), QString::number(count), percent(count, summary.total()) });

    const bool perType = summary.byType().size() <= kMaxTypeColumns;
    std::vector<Column> columns { { u"Day"_s, 0.2 }, { u"Total"_s, 0.14, true } };
    if (perType) {
        const qreal share = 0.66 / qreal(std::max<std::size_t>(1, summary.byType().size()));
        for (const auto& [type, count] : summary.byType())
            columns.push_back({ text(type), share, true });
    }
    beginTable(u"Events by day (UTC)"_s, std::move(columns));
    for (const auto& [day, types] : summary.byDay()) {
        QStringList cells { text(day), QString::number(summary.onDay(day)) };
        if (perType) {
            for (const auto& [type, count] : summary.byType()) {
                const auto found = types.find(type);
                cells << QString::number(found == types.end() ? 0 : found->second);
            }
        }
        tableRow(cells);
    }
}

AuditPdfReport::AuditPdfReport(QIODevice& device, const AuditReportHeader& header, const AuditSummary& summary)
    : d(std::make_unique<Impl>(device, header))
{
    d->firstPage(header, summary);
    d->newPage();
    d->paragraph(u"Events in order of position"_s, d->headingFont);
    d->y += QFontMetricsF(d->bodyFont, &d->writer).height() * 0.5;
}

AuditPdfReport::~AuditPdfReport()
{
    if (d && d->painter.isActive())
        d->painter.end();
}

void AuditPdfReport::addEvent(const Event& event)
{
    Impl& r = *d;
    const QFontMetricsF body(r.bodyFont, &r.writer);
    // A small event stays on one page; a big one starts with its two lines and the start of its data.
    r.space(QFontMetricsF(r.boldFont, &r.writer).height() + body.height()
        + 2 * QFontMetricsF(r.monoFont, &r.writer).height());
    r.paragraph(u"position "_s + QString::number(event.position) + u" \u00b7 "_s + text(formatTime(event.time))
            + u" \u00b7 "_s + text(event.stream) + u"@"_s + QString::number(event.version) + u" \u00b7 "_s
            + text(event.type),
        r.boldFont);
    r.paragraph(u"id "_s + text(event.id) + u" \u00b7 actor "_s + (event.actor.empty() ? u"-"_s : text(event.actor)),
        r.bodyFont);
    r.payload(u"data: "_s, event.data);
    r.payload(u"metadata: "_s, event.metadata);
    r.y += body.height() * 0.6;
    ++r.events;
}

void AuditPdfReport::finish()
{
    Impl& r = *d;
    if (r.finished)
        return;
    r.finished = true;
    if (r.events == 0)
        r.paragraph(u"No events."_s, r.bodyFont);
    r.footer();
    const bool ended = r.painter.end();
    auto* file = qobject_cast<QFileDevice*>(&r.target);
    if (!ended || r.device.failed() || (file && (!file->flush() || file->error() != QFileDevice::NoError)))
        fail(ErrorKind::BadInput, "the PDF report could not be written");
}

} // namespace eventscope
