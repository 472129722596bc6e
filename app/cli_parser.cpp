#include "app/cli_parser.h"

#include <QFile>

#include "storage/error.h"
#include "storage/time_format.h"

#include <cstdio>
#include <limits>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

std::string toStd(const QString& text)
{
    return text.toStdString();
}

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

void badInput(const QString& sentence)
{
    fail(ErrorKind::BadInput, toStd(sentence));
}

std::string readScriptFile(const QString& path, const QString& what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        badInput(u"cannot read the "_s + what + u" "_s + path + u": "_s + file.errorString());
    return file.readAll().toStdString();
}

void out(std::string_view text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void note(const QString& text)
{
    std::fflush(stdout);
    const QByteArray line = "eventscope: " + text.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stderr);
    std::fflush(stderr);
}

Command::Command(QString name, QString positional, const QString& summary)
    : m_name(std::move(name))
    , m_positionalSyntax(std::move(positional))
{
    m_parser.setApplicationDescription(summary);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
    if (!m_positionalSyntax.isEmpty()) {
        const QStringList names = m_positionalSyntax.split(u' ', Qt::SkipEmptyParts);
        for (const QString& positionalName : names) {
            const QString description = positionalName == u"STORE"_s
                ? u"The store: a path ending in .db or .sqlite, sqlite:PATH, or postgresql://...[?schema=NAME]."_s
                : positionalName == u"PATH"_s ? u"The store to create: a new .db path, or a postgresql:// URI."_s
                                              : QString();
            m_parser.addPositionalArgument(positionalName, description, positionalName);
        }
    }
}

void Command::addValueOption(const QString& name, const QString& valueName, const QString& description)
{
    m_parser.addOption(QCommandLineOption(QStringList { name }, description, valueName));
}

void Command::addFlag(const QString& name, const QString& description)
{
    m_parser.addOption(QCommandLineOption(QStringList { name }, description));
}

bool Command::parse(const QStringList& arguments, int positionalCount)
{
    QStringList withProgram { u"eventscope"_s };
    withProgram += arguments;
    if (!m_parser.parse(withProgram))
        badInput(m_parser.errorText().simplified());
    if (m_parser.isSet(u"help"_s) || m_parser.isSet(u"help-all"_s)) {
        QString help = m_parser.helpText();
        const qsizetype firstLineEnd = help.indexOf(u'\n');
        const QString usage = u"Usage: eventscope "_s + m_name
            + (m_positionalSyntax.isEmpty() ? QString() : u" "_s + m_positionalSyntax) + u" [options]"_s;
        help.replace(0, firstLineEnd, usage);
        out(help.toStdString());
        return false;
    }
    const QStringList positionals = m_parser.positionalArguments();
    if (positionals.size() < positionalCount) {
        const QStringList names = m_positionalSyntax.split(u' ', Qt::SkipEmptyParts);
        badInput(u"the "_s + m_name + u" command needs a "_s + names.value(positionals.size(), u"STORE"_s)
            + u" argument (see eventscope "_s + m_name + u" --help)"_s);
    }
    if (positionals.size() > positionalCount)
        badInput(
            u"the "_s + m_name + u" command does not take the argument '"_s + positionals.at(positionalCount) + u"'"_s);
    for (const QString& positionalValue : positionals) {
        if (positionalValue.isEmpty())
            badInput(u"the "_s + m_name + u" command was given an empty argument"_s);
    }
    return true;
}

std::optional<QString> Command::value(const QString& name) const
{
    if (!m_parser.isSet(name))
        return std::nullopt;
    return m_parser.value(name);
}

QString Command::required(const QString& name) const
{
    const QString text = m_parser.value(name);
    if (!m_parser.isSet(name) || text.isEmpty())
        badInput(u"the "_s + m_name + u" command needs --"_s + name);
    return text;
}

std::optional<std::int64_t> Command::integer(const QString& name, std::int64_t minimum) const
{
    if (!m_parser.isSet(name))
        return std::nullopt;
    const QString text = m_parser.value(name);
    bool ok = false;
    const qlonglong number = text.toLongLong(&ok);
    if (!ok || text.trimmed() != text || text.startsWith(u'+'))
        badInput(u"--"_s + name + u" '"_s + text + u"' is not a whole number"_s);
    if (number < minimum)
        badInput(u"--"_s + name + u" must be at least "_s + QString::number(minimum) + u", not "_s + text);
    return static_cast<std::int64_t>(number);
}

std::optional<Micros> Command::time(const QString& name) const
{
    if (!m_parser.isSet(name))
        return std::nullopt;
    const QString text = m_parser.value(name);
    const auto parsed = tryParseTime(toStd(text));
    if (!parsed)
        badInput(u"--"_s + name + u" '"_s + text
            + u"' is not an RFC 3339 time such as 2024-01-15T14:00:00Z or 2024-01-15T15:00:00.5+01:00"_s);
    return parsed;
}

void Command::exclusive(const QString& first, const QString& second) const
{
    if (m_parser.isSet(first) && m_parser.isSet(second))
        badInput(u"give either --"_s + first + u" or --"_s + second + u", not both"_s);
}

} // namespace eventscope::cli
