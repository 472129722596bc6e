#pragma once
// File ▸ Import DynamoDB export… (DESIGN §3, §9; issue 7): export or scan files, an optional mapping file and
// snapshots file, and a target: the open store (when the window says it may be written) or a SQLite file. Import
// runs a DynamoDbImportJob with a progress bar, the time left and Cancel; the end shows what was imported or the
// sentence that stopped it (a malformed line by its file and line number). What a cancel leaves is said in
// model/dynamodb_import_job.h.

#include "model/dynamodb_import_job.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace eventscope {

class ImportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ImportDialog(QWidget* parent = nullptr);

    // The open store as a target: `writable` when it is native and admin mode is on (the window decides);
    // `reason` says why it is not. An empty uri: no store is open.
    void setTarget(const QString& uri, bool writable, const QString& reason);
    // A production store as the target needs an explicit tick.
    void setProductionStore(bool production);

    // What the file pickers fill in.
    void setFiles(const QStringList& files);
    QStringList files() const;
    void setMappingFile(const QString& path);
    void setSnapshotsFile(const QString& path);
    // Chooses a SQLite file as the target (made when it does not exist), or the open store.
    void setSqliteFile(const QString& path);
    void chooseOpenStore();
    QString targetUri() const;

    // What stops Import, one sentence each; empty when it can run.
    QStringList problems() const;
    bool isRunning() const { return m_job->isRunning(); }
    // The end's text: the summary or the sentence; empty until an import has ended.
    QString resultText() const;
    DynamoDbImportJob* job() const { return m_job; }

    void startImport();
    void cancelImport();
    void reject() override; // while importing, Escape and the close button cancel first

Q_SIGNALS:
    // An import into `storeUri` finished: the window shows the new events when it is the open store.
    void imported(const QString& storeUri);

private:
    void addFiles();
    void browseMapping();
    void browseSnapshots();
    void browseSqliteFile();
    void validate();
    void showProgress(const DynamoDbImportJobProgress& progress);
    void showFinished(const DynamoDbImportSummary& summary);
    void showFailed(const QString& sentence);
    void showResult();
    void setRunning(bool running);

    DynamoDbImportJob* m_job = nullptr;
    QListWidget* m_fileList = nullptr;
    QPushButton* m_removeButton = nullptr;
    QLineEdit* m_mappingEdit = nullptr;
    QLineEdit* m_snapshotsEdit = nullptr;
    QRadioButton* m_openStoreRadio = nullptr;
    QLabel* m_openStoreNote = nullptr;
    QRadioButton* m_sqliteRadio = nullptr;
    QLineEdit* m_sqliteEdit = nullptr;
    QCheckBox* m_productionCheck = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QLabel* m_statusLabel = nullptr;
    QLabel* m_timeLabel = nullptr;
    QLabel* m_resultLabel = nullptr;
    QLabel* m_problemLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_importButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_closeButton = nullptr;
    QList<QWidget*> m_inputs; // disabled while importing
    QStringList m_notes; // of the running import
    QString m_storeUri;
    QString m_runningUri;
    QString m_result;
    bool m_storeWritable = false;
    bool m_production = false;
    bool m_cancelled = false; // the running import was asked to stop
};

} // namespace eventscope
