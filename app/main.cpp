// The eventscope executable: the window when run without a command (or with `gui`, or with just a store),
// otherwise one headless command of DESIGN §8 under a QCoreApplication, so that it never needs a display (`audit`
// draws PDF reports, which need a QGuiApplication: it gets one on the offscreen platform).

#include "app/cli_parser.h"
#include "app/commands.h"
#include "app/gui_main.h"
#include "storage/error.h"
#include "storage/store_uri.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

using namespace Qt::Literals::StringLiterals;

namespace {

using Runner = int (*)(const QStringList&);

const std::map<QString, Runner>& commands()
{
    using namespace eventscope::cli;
    static const std::map<QString, Runner> table {
        { u"demo"_s, runDemo },
        { u"append"_s, runAppend },
        { u"streams"_s, runStreams },
        { u"read"_s, runRead },
        { u"replay"_s, runReplay },
        { u"projection"_s, runProjection },
        { u"flow"_s, runFlow },
        { u"verify"_s, runVerify },
        { u"seal"_s, runSeal },
        { u"export"_s, runExport },
        { u"audit"_s, runAudit },
        { u"import"_s, runImport },
    };
    return table;
}

int exitCodeFor(eventscope::ErrorKind kind)
{
    switch (kind) {
    case eventscope::ErrorKind::BadInput:
        return 1;
    case eventscope::ErrorKind::Unreachable:
        return 2;
    case eventscope::ErrorKind::WrongExpectedVersion:
        return 3;
    case eventscope::ErrorKind::Integrity:
        return 4;
    case eventscope::ErrorKind::Script:
        return 5;
    case eventscope::ErrorKind::Cancelled:
        return 1;
    }
    return 1;
}

// One line, whatever a driver put into its message.
QString oneLine(const char* message)
{
    return QString::fromUtf8(message).simplified();
}

void printUsage()
{
    eventscope::cli::out("Usage: eventscope [STORE]                 open the window (on a store)\n"
                         "       eventscope gui [STORE]\n"
                         "       eventscope COMMAND [ARGS] [--help]\n"
                         "\n"
                         "Commands (headless; output on stdout, notes and errors on stderr):\n"
                         "  demo PATH         create a demo store\n"
                         "  append STORE      append events (--stream/--type/... or --input FILE.ndjson)\n"
                         "  streams STORE     list streams\n"
                         "  read STORE        print events (NDJSON, table or CSV)\n"
                         "  replay STORE      print a stream's state at a time or version\n"
                         "  projection run|list|status|delete|diff|swap|rollback STORE\n"
                         "                    run a JavaScript projection, and manage projections\n"
                         "  flow STORE        follow a correlation ID across streams (JSON, Mermaid, DOT, SVG, PNG)\n"
                         "  verify STORE      check the hash chains, and a seal\n"
                         "  seal STORE        write a seal of the store\n"
                         "  export STORE      write matching events to an NDJSON file with its SHA-256\n"
                         "  audit STORE       write an audit's events as CSV, NDJSON or a PDF report with its SHA-256\n"
                         "  import SOURCE... --into STORE\n"
                         "                    import DynamoDB exports or scan output into a native store\n"
                         "\n"
                         "STORE: a path ending in .db or .sqlite, sqlite:PATH, or postgresql://...[?schema=NAME]\n"
                         "Exit codes: 0 success, 1 bad usage or input, 2 store unreachable, 3 wrong expected version,\n"
                         "            4 integrity failure, 5 script error.\n");
}

// Whether a lone argument names a store the window can open.
bool looksLikeStore(const QString& argument)
{
    if (argument.startsWith(u'-'))
        return false;
    try {
        eventscope::StoreUri::parse(argument.toStdString());
        return true;
    } catch (const eventscope::Error&) {
        return false;
    }
}

QtMessageHandler g_qtMessageHandler = nullptr;

// The offscreen platform complains on stderr when XDG_RUNTIME_DIR is unset (as under cron or ssh); a headless
// command's stderr holds its own sentences only (DESIGN §8).
void withoutRuntimeDirWarning(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg && message.startsWith(u"QStandardPaths: "_s))
        return;
    if (g_qtMessageHandler)
        g_qtMessageHandler(type, context, message);
}

// `audit` draws PDF reports (QPdfWriter needs a QGuiApplication) but must never need a display either.
std::unique_ptr<QCoreApplication> headlessApplication(int& argc, char** argv)
{
    if (argc >= 2 && QByteArrayView(argv[1]) == "audit") {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        g_qtMessageHandler = qInstallMessageHandler(withoutRuntimeDirWarning);
        return std::make_unique<QGuiApplication>(argc, argv);
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

int runHeadless(int& argc, char** argv)
{
    const auto app = headlessApplication(argc, argv);
    QCoreApplication::setApplicationName(u"eventscope"_s);
    QCoreApplication::setOrganizationName(u"Eventscope"_s);
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    const QString command = arguments.takeFirst();
    int code = 0;
    try {
        if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
            printUsage();
        } else if (command == u"--version"_s) {
            eventscope::cli::out("eventscope " EVENTSCOPE_VERSION "\n");
        } else if (const auto it = commands().find(command); it != commands().end()) {
            code = it->second(arguments);
        } else if (command == u"gui"_s) {
            eventscope::cli::badInput(u"the gui command takes at most one STORE argument"_s);
        } else {
            eventscope::cli::badInput(u"unknown command '"_s + command + u"'; run eventscope --help for the list"_s);
        }
    } catch (const eventscope::Error& error) {
        eventscope::cli::note(oneLine(error.what()));
        code = exitCodeFor(error.kind);
    } catch (const nlohmann::json::exception& error) {
        eventscope::cli::note(u"malformed JSON: "_s + oneLine(error.what()));
        code = 1;
    } catch (const std::bad_alloc&) {
        eventscope::cli::note(u"out of memory"_s);
        code = 1;
    } catch (const std::exception& error) {
        eventscope::cli::note(u"unexpected failure: "_s + oneLine(error.what()));
        code = 1;
    }
    if (std::fflush(stdout) != 0 && code == 0) {
        eventscope::cli::note(u"cannot write the output"_s);
        code = 1;
    }
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    static char buffer[1 << 16];
    std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
    if (argc < 2)
        return eventscope::runGui(argc, argv, QString());
    const QString first = QString::fromLocal8Bit(argv[1]);
    if (first == u"gui"_s && argc <= 3)
        return eventscope::runGui(argc, argv, argc == 3 ? QString::fromLocal8Bit(argv[2]) : QString());
    if (argc == 2 && !commands().contains(first) && looksLikeStore(first))
        return eventscope::runGui(argc, argv, first);
    return runHeadless(argc, argv);
}
