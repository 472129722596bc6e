#include "model/atomic_output_file.h"

#include "storage/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace eventscope {
namespace {

[[noreturn]] void cannotWrite(const QString& path, const QString& reason)
{
    fail(ErrorKind::BadInput, "cannot write " + path.toStdString() + ": " + reason.toStdString());
}

} // namespace

AtomicOutputFile::AtomicOutputFile(const QString& path)
    : m_path(path)
    , m_file(path)
{
    if (QFileInfo(path).isDir())
        fail(ErrorKind::BadInput, path.toStdString() + " is a folder; give a file name");
    if (!QFileInfo(path).absoluteDir().exists())
        cannotWrite(path, QStringLiteral("its folder does not exist"));
    if (!m_file.open(QIODevice::WriteOnly))
        cannotWrite(path, m_file.errorString());
}

void AtomicOutputFile::write(std::string_view bytes)
{
    const auto size = static_cast<qint64>(bytes.size());
    if (m_file.write(bytes.data(), size) != size)
        cannotWrite(m_path, m_file.errorString());
    m_hash.update(bytes);
}

AtomicOutputFile::HashingDevice::HashingDevice(AtomicOutputFile& owner)
    : m_owner(owner)
{
    open(QIODevice::WriteOnly);
}

qint64 AtomicOutputFile::HashingDevice::writeData(const char* data, qint64 size)
{
    const qint64 written = m_owner.m_file.write(data, size);
    if (written > 0)
        m_owner.m_hash.update(std::string_view(data, static_cast<std::size_t>(written)));
    return written;
}

QByteArray AtomicOutputFile::sha256Hex()
{
    if (m_digest.isEmpty())
        m_digest = QByteArray::fromStdString(m_hash.hexDigest());
    return m_digest;
}

void AtomicOutputFile::commit()
{
    if (!m_file.commit())
        cannotWrite(m_path, m_file.errorString());
}

void AtomicOutputFile::commitWithDigest()
{
    const QByteArray line = sha256Hex() + "  " + QFileInfo(m_path).fileName().toUtf8() + '\n';
    AtomicOutputFile digestFile(digestPath());
    digestFile.write(std::string_view(line.constData(), static_cast<std::size_t>(line.size())));
    commit();
    try {
        digestFile.commit();
    } catch (...) {
        QFile::remove(m_path);
        throw;
    }
}

} // namespace eventscope
