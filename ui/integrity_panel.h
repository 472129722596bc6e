#pragma once
// The Audit tab's integrity checks (DESIGN §7, §9): Verify walks the store's hash chains (and a seal file, when one
// is chosen) and names the first event that does not match; Seal… writes a seal file and records it in the store.
// Both run in a worker. A foreign store has no Eventscope hash chains: the buttons are off and say why.

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;

namespace eventscope {

class AuditJob;
struct AuditJobResult;

class IntegrityPanel : public QWidget
{
    Q_OBJECT

public:
    explicit IntegrityPanel(QWidget* parent = nullptr);
    ~IntegrityPanel() override;

    // An empty URI closes the panel; a read-only (foreign) store cannot be verified or sealed here.
    void setStore(const QString& uri, bool readOnly);
    // Sealing records itself in the store, so it is a write: it needs admin mode (DESIGN §9), and a production
    // store asks first. Verify only reads.
    void setWritable(bool writable, bool production);

    // What the buttons do once their dialogs are answered.
    void verify(const QString& sealPath);
    void sealTo(const QString& path);

    bool isBusy() const;
    QString resultText() const;
    bool lastVerifyOk() const { return m_lastOk; }
    QPushButton* verifyButton() const { return m_verify; }
    QPushButton* sealButton() const { return m_seal; }
    QLineEdit* sealFileEdit() const { return m_sealFile; }
    QPushButton* chooseSealButton() const { return m_chooseSeal; }

Q_SIGNALS:
    void finished(); // a verify or seal ended, whichever way
    void sealed(const QString& path); // a seal was written and recorded in the store
    void message(const QString& text);

private:
    void chooseSealFile();
    void askSealFile();
    void setBusy(bool busy, const QString& text = {});
    void showResult(const QString& text, bool good);
    void takeResult(const std::shared_ptr<const AuditJobResult>& result);
    void updateEnabled();

    QPushButton* m_verify;
    QLineEdit* m_sealFile;
    QPushButton* m_chooseSeal;
    QPushButton* m_seal;
    QPushButton* m_cancel;
    QLabel* m_result;
    AuditJob* m_job;
    QString m_uri;
    bool m_readOnly = false;
    bool m_writable = false;
    bool m_production = false;
    bool m_lastOk = false;
};

} // namespace eventscope
