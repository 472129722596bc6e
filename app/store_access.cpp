#include "app/store_access.h"

#include "app/cli_parser.h"
#include "storage/error.h"
#include "storage/store_uri.h"

#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace eventscope::cli {

void checkStoreString(const QString& store)
{
    StoreUri::parse(toStd(store));
}

std::unique_ptr<EventStore> openExistingStore(const QString& store)
{
    auto opened = openStore(toStd(store), false);
    // A plain URI that turned out to hold another system's store: say so where it cannot spoil the output.
    const StoreDescription description = opened->describe();
    if (description.readOnly && StoreUri::parse(toStd(store)).foreign.empty()) {
        const QString kind = fromStd(foreignKindName(description.kind));
        const bool vowel = QStringLiteral("AEIOUaeiou").contains(kind.left(1));
        note(u"opened "_s + fromStd(description.uri) + (vowel ? u" as an "_s : u" as a "_s) + kind
            + u" store (read-only)"_s);
    }
    return opened;
}

std::unique_ptr<EventStore> openStoreForWriting(const QString& store)
{
    return openStore(toStd(store), true);
}

bool isMissingSqliteStore(const QString& store)
{
    const StoreUri uri = StoreUri::parse(toStd(store));
    return uri.kind == StoreUri::Kind::Sqlite && !QFileInfo::exists(fromStd(uri.path));
}

} // namespace eventscope::cli
