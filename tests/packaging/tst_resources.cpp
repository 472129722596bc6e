#include "resources/app_icon.h"

#include <QDir>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

// The icon compiled into the program: present without Q_INIT_RESOURCE, a well-formed SVG, and drawn (not blank)
// at the sizes desktops ask for; appIcon() prefers a theme's icon and falls back to it.
class TestResources : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void builtInIconIsAnSvg();
    void rendersAtSize_data();
    void rendersAtSize();
    void missingResourceRendersNothing();
    void withoutThemeFallsBackToBuiltIn();
    void themeIconWins();

private:
    QStringList m_searchPaths;
    QString m_themeName;
};

void TestResources::init()
{
    // The machine's own themes must not decide the outcome; each test says which themes exist.
    QIcon::setThemeSearchPaths({});
    QIcon::setFallbackSearchPaths({});
    QIcon::setThemeName(QStringLiteral("eventscope-test-none"));
}

void TestResources::builtInIconIsAnSvg()
{
    QFile file(eventscope::appIconResourcePath());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    QXmlStreamReader xml(&file);
    QVERIFY(xml.readNextStartElement());
    QCOMPARE(xml.name(), QLatin1String("svg"));
    QCOMPARE(xml.attributes().value(QLatin1String("viewBox")), QLatin1String("0 0 256 256"));
    while (!xml.atEnd())
        xml.readNext();
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
}

void TestResources::rendersAtSize_data()
{
    QTest::addColumn<int>("size");
    for (const int size : { 16, 22, 24, 32, 48, 64, 128, 256 })
        QTest::addRow("%dpx", size) << size;
}

void TestResources::rendersAtSize()
{
    QFETCH(int, size);
    const QIcon icon(eventscope::appIconResourcePath());
    QVERIFY(!icon.isNull());
    const QImage image = icon.pixmap(QSize(size, size), 1.0).toImage().convertToFormat(QImage::Format_ARGB32);
    QCOMPARE(image.size(), QSize(size, size));
    // A rounded badge: transparent in the corners, opaque in the middle, and more than one colour there.
    QVERIFY2(qAlpha(image.pixel(0, 0)) < 64, "the corner is not transparent");
    QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
    QCOMPARE(qAlpha(image.pixel(size / 4, size * 3 / 4)), 255);
    QVERIFY(image.pixel(size / 2, size / 2) != image.pixel(size / 4, size * 3 / 4));
}

void TestResources::missingResourceRendersNothing()
{
    // The checks above can fail: a path that names no resource gives a null pixmap.
    const QIcon icon(QStringLiteral(":/icons/no-such-icon.svg"));
    QVERIFY(icon.pixmap(QSize(48, 48)).isNull());
}

void TestResources::withoutThemeFallsBackToBuiltIn()
{
    const QIcon icon = eventscope::appIcon();
    QVERIFY(!icon.isNull());
    QVERIFY(icon.name().isEmpty());
    QVERIFY(!icon.pixmap(QSize(32, 32)).isNull());
}

void TestResources::themeIconWins()
{
    QTemporaryDir themes;
    QVERIFY(themes.isValid());
    const QString theme = themes.filePath(QStringLiteral("eventscope-test"));
    QVERIFY(QDir().mkpath(theme + QStringLiteral("/scalable/apps")));
    QFile index(theme + QStringLiteral("/index.theme"));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.write("[Icon Theme]\nName=eventscope-test\nDirectories=scalable/apps\n\n"
                "[scalable/apps]\nSize=48\nMinSize=8\nMaxSize=512\nType=Scalable\n");
    index.close();
    QVERIFY(QFile::copy(eventscope::appIconResourcePath(), theme + QStringLiteral("/scalable/apps/eventscope.svg")));

    QIcon::setThemeSearchPaths({ themes.path() });
    QIcon::setThemeName(QStringLiteral("eventscope-test"));
    const QIcon icon = eventscope::appIcon();
    QCOMPARE(icon.name(), QStringLiteral("eventscope"));
    QVERIFY(!icon.pixmap(QSize(32, 32)).isNull());
}

QTEST_MAIN(TestResources)
#include "tst_resources.moc"
