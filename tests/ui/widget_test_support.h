#pragma once
// Finding a widget by its objectName and working it as a person would, shared by the widget tests.

#include <QCheckBox>
#include <QLabel>
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
