#pragma once
// What every headless command shares: one QCommandLineParser per subcommand, option values checked and
// converted before any store is opened, and the two channels of DESIGN §8 (stdout for machine-readable
// output, stderr for one-sentence notes and errors).

#include "storage/event.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventscope::cli {

std::string toStd(const QString& text);
QString fromStd(const std::string& text);

// Throws Error(BadInput) with the sentence: the usage error of a command.
[[noreturn]] void badInput(const QString& sentence);

// The text of a script file; throws BadInput "cannot read the WHAT PATH: why" when it cannot be read.
std::string readScriptFile(const QString& path, const QString& what);

// Writes to stdout, buffered. Nothing but machine-readable output goes there.
void out(std::string_view text);
// Writes "eventscope: TEXT" as one line on stderr.
void note(const QString& text);

// A parser for one subcommand. Usage errors become BadInput sentences.
class Command
{
public:
    // `name` as typed ("read"), `positional` such as "STORE", `summary` one line for --help.
    Command(QString name, QString positional, const QString& summary);

    QCommandLineParser& parser() { return m_parser; }
    void addValueOption(const QString& name, const QString& valueName, const QString& description);
    void addFlag(const QString& name, const QString& description);

    // Parses the arguments after the command's name. Returns false when --help was asked for (the help was
    // printed). Throws BadInput for an unknown option, a missing value, or the wrong number of positional
    // arguments (`positionalCount` of them are required).
    bool parse(const QStringList& arguments, int positionalCount = 1);

    QString positional(int index) const { return m_parser.positionalArguments().value(index); }
    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    std::optional<QString> value(const QString& name) const;
    QStringList values(const QString& name) const { return m_parser.values(name); }
    // The option's value; throws "the NAME command needs --OPTION" when absent or empty.
    QString required(const QString& name) const;
    // A whole number >= minimum; throws a sentence naming the option and the text otherwise.
    std::optional<std::int64_t> integer(const QString& name, std::int64_t minimum) const;
    std::optional<Micros> time(const QString& name) const;
    // Throws when two options that exclude each other are both given.
    void exclusive(const QString& first, const QString& second) const;

    const QString& name() const { return m_name; }

private:
    QString m_name;
    QString m_positionalSyntax;
    QCommandLineParser m_parser;
};

} // namespace eventscope::cli
