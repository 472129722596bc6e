#pragma once
// Finding a widget by its objectName and working it as a person would, shared by the widget tests.

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace eventscope::test {

// The named descendant; a missing one is a broken test, so it stops the run with the name.
template <typename T> T* child(const QWidget& parent, const QString& name)
{
    T* found = parent.findChild<T*>(name);
    if (!found)
        qFatal("no child named %s", qPrintable(name));
    return found;
}

template <typename T> T* child(const QWidget& parent, const char* name)
{
    return child<T>(parent, QLatin1String(name));
}

// A click on the box itself, not the label beside it.
inline void clickTick(QCheckBox* tick)
{
    QTest::mouseClick(tick, Qt::LeftButton, {}, QPoint(tick->height() / 2, tick->height() / 2));
}

// Each link fills its label: a click just inside where the text sits follows it.
inline void clickLink(QLabel* label)
{
    const QRect text = label->contentsRect();
    const int x = label->alignment() & Qt::AlignRight ? text.right() - 3 : text.left() + 3;
    QTest::mouseClick(label, Qt::LeftButton, {}, QPoint(x, label->height() / 2));
}

} // namespace eventscope::test

// A test main with no keychain service, even on a desktop that has one: nothing may land in a real keychain,
// and what the window says when the service is missing is what these tests check.
#define EVENTSCOPE_TEST_MAIN_WITHOUT_KEYCHAIN(TestClass, name)                                                         \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        QTemporaryDir noBus;                                                                                           \
        qputenv(                                                                                                       \
            "DBUS_SESSION_BUS_ADDRESS", "unix:path=" + QFile::encodeName(noBus.filePath(QStringLiteral("no-bus"))));   \
        qunsetenv("DISPLAY");                                                                                          \
        QApplication app(argc, argv);                                                                                  \
        QCoreApplication::setOrganizationName(QStringLiteral("EventscopeTests"));                                      \
        QCoreApplication::setApplicationName(QStringLiteral(name));                                                    \
        TestClass test;                                                                                                \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&test, argc, argv);                                                                        \
    }
