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

AtomicOutputFile::AtomicOutputFile(const QString& path)
    : m_path(path)
    , m_file(path)
{
    if (QFileInfo(path).isDir())
        badInput(path + u" is a folder; give a file name"_s);
    if (!m_file.open(QIODevice::WriteOnly))
        badInput(u"cannot write "_s + path + u": "_s + m_file.errorString());
}

void AtomicOutputFile::write(std::string_view bytes)
{
    const auto size = static_cast<qint64>(bytes.size());
    if (m_file.write(bytes.data(), size) != size)
        badInput(u"cannot write "_s + m_path + u": "_s + m_file.errorString());
    m_hash.addData(QByteArrayView(bytes.data(), size));
}

void AtomicOutputFile::commit()
{
    if (!m_file.commit())
        badInput(u"cannot write "_s + m_path + u": "_s + m_file.errorString());
}

} // namespace eventscope::cli
