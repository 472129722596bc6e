#pragma once
// The headless commands of DESIGN §8. Each takes the arguments after its name, prints its machine-readable
// result on stdout, and returns the exit code; failures are thrown as eventscope::Error and mapped to exit
// codes by main().

#include <QStringList>

namespace eventscope::cli {

int runDemo(const QStringList& arguments); // cmd_write.cpp
int runAppend(const QStringList& arguments); // cmd_write.cpp
int runStreams(const QStringList& arguments); // cmd_read.cpp
int runRead(const QStringList& arguments); // cmd_read.cpp
int runExport(const QStringList& arguments); // cmd_export.cpp
int runImport(const QStringList& arguments); // cmd_import.cpp
int runReplay(const QStringList& arguments); // cmd_replay.cpp
int runProjection(const QStringList& arguments); // cmd_projection.cpp
int runFlow(const QStringList& arguments); // cmd_flow.cpp
int runVerify(const QStringList& arguments); // cmd_integrity.cpp
int runSeal(const QStringList& arguments); // cmd_integrity.cpp
int runAudit(const QStringList& arguments); // cmd_audit.cpp

} // namespace eventscope::cli
