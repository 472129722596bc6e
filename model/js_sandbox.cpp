#include "model/js_sandbox.h"

#include <QJSEngine>
#include <QStringList>

#include <algorithm>
#include <cstdio>

namespace eventscope {

JsSandbox::JsSandbox(std::chrono::milliseconds timeLimit)
    : m_timeLimit(std::max(timeLimit, std::chrono::milliseconds(1)))
    , m_engine(std::make_unique<QJSEngine>())
    , m_watchdog([this](std::stop_token stop) { watch(stop); })
{
}

JsSandbox::~JsSandbox()
{
    m_watchdog.request_stop();
    m_watchdog.join();
}

JsSandbox::Call JsSandbox::run(const QJSValue& function, const QJSValueList& arguments) const
{
    return run([&] { return function.call(arguments); }, deadline());
}

void JsSandbox::arm(Deadline deadline) const
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        m_deadline = deadline;
        m_fired = false;
        // Deadlines only move later, so the watchdog, asleep until an earlier one, need not be woken: waking it
        // costs two context switches, more than a small batch's whole fold.
        wake = deadline < m_watchedUntil;
    }
    if (wake)
        m_wake.notify_one();
}

bool JsSandbox::disarm() const
{
    bool fired = false;
    {
        // Once the deadline is gone the watchdog cannot fire, so clearing the interrupt below is final.
        std::lock_guard lock(m_mutex);
        m_deadline.reset();
        fired = std::exchange(m_fired, false);
    }
    if (fired)
        m_engine->setInterrupted(false);
    return fired;
}

void JsSandbox::watch(std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
        if (!m_deadline) {
            m_watchedUntil = Deadline::max();
            m_wake.wait(lock, stop, [this] { return m_deadline.has_value(); });
            continue;
        }
        // Asleep until this deadline even if the call ends sooner: on waking, the next call's deadline (or none)
        // is what counts.
        const auto until = *m_deadline;
        m_watchedUntil = until;
        m_wake.wait_until(lock, stop, until, [&] { return m_deadline && *m_deadline < until; });
        if (stop.stop_requested())
            return;
        if (m_deadline && *m_deadline <= std::chrono::steady_clock::now()) {
            m_engine->setInterrupted(true);
            m_fired = true;
            m_deadline.reset();
        }
    }
}

std::string JsSandbox::timeLimitMessage(const std::string& subject) const
{
    const auto ms = m_timeLimit.count();
    std::string seconds = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        char fraction[8];
        std::snprintf(fraction, sizeof fraction, ".%03lld", static_cast<long long>(ms % 1000));
        seconds += fraction;
        while (seconds.back() == '0')
            seconds.pop_back();
    }
    return subject + " ran past its time limit of " + seconds + " s";
}

std::pair<std::string, std::string> thrownMessage(const JsSandbox::Call& call, const QString& hiddenFile)
{
    if (call.timedOut || !call.result.isArray())
        return { "the script threw a value that cannot be shown", {} };
    QStringList lines = call.result.property(1).toString().split(u'\n', Qt::SkipEmptyParts);
    lines.removeIf([&](const QString& line) { return line.contains(hiddenFile); });
    return { call.result.property(0).toString().toStdString(), lines.join(u'\n').toStdString() };
}

} // namespace eventscope
