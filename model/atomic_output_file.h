#pragma once
// A file that appears under its name only when it is complete (DESIGN §8: nothing is half-written), with the
// SHA-256 of what was written and, for exports (DESIGN §7), that digest beside it as FILE.sha256 in sha256sum's
// format.

#include <QByteArray>
#include <QSaveFile>
#include <QString>

#include "storage/sha256.h"

#include <string_view>

namespace eventscope {

class AtomicOutputFile
{
public:
    explicit AtomicOutputFile(const QString& path); // throws Error(BadInput) when the file cannot be created
    void write(std::string_view bytes); // throws Error(BadInput) on a write error
    void commit(); // throws Error(BadInput) when the file cannot be completed
    // Writes FILE.sha256 ("<hex>  <file name>\n", what `sha256sum -c` checks beside the file), then commits
    // both: either both files appear, or neither (a digest left from an earlier export is replaced).
    void commitWithDigest();
    // For writers that want a device (QPdfWriter): what they write is hashed like write()'s bytes.
    QIODevice& device() { return m_device; }
    // The digest of everything written; ends the hash, so call it once the file is complete.
    QByteArray sha256Hex();
    const QString& path() const { return m_path; }
    QString digestPath() const { return m_path + QStringLiteral(".sha256"); }

private:
    class HashingDevice : public QIODevice
    {
    public:
        explicit HashingDevice(AtomicOutputFile& owner);

    protected:
        qint64 readData(char*, qint64) override { return -1; }
        qint64 writeData(const char* data, qint64 size) override;

    private:
        AtomicOutputFile& m_owner;
    };

    QString m_path;
    QSaveFile m_file;
    Sha256 m_hash;
    QByteArray m_digest; // once sha256Hex() has ended the hash
    HashingDevice m_device { *this };
};

} // namespace eventscope
