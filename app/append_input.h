#pragma once
// The input of `eventscope append`: --data/--metadata text, and --input NDJSON files, checked completely
// before anything is written, with errors that name the option or the line.

#include "storage/event.h"

#include <QString>

#include <string>
#include <vector>

namespace eventscope::cli {

// Throws BadInput "WHAT is not valid JSON: at column C, REASON" (or "is not a JSON object").
void checkJson(const std::string& text, const QString& what, bool mustBeObject);

// Reads and checks every line of an NDJSON file ("-": standard input): one {"stream","type","data"?,
// "metadata"?,"id"?,"time"?} object a line; "position" and "version" (as `read` prints them) are ignored, so
// an export appends back as it is. Blank lines are skipped. Consecutive lines of one stream share one request
// (expected version any). Throws BadInput naming the line for the first bad one, and when no line holds an
// event.
std::vector<AppendRequest> readAppendInput(const QString& path);

} // namespace eventscope::cli
