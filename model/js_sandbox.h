#pragma once
// A QJSEngine without extensions (no console, no Qt, no XMLHttpRequest, no file or network access) whose calls
// run under a time limit: a watchdog thread interrupts a call past its deadline, and the engine is usable again
// afterwards. Shared by the JavaScript reducer and the projection runtime.
//
// The sandbox belongs to the thread that made it (its engine does).

#include <QJSValue>
#include <QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>

class QJSEngine;

namespace eventscope {

class JsSandbox
{
public:
    struct Call
    {
        QJSValue result;
        bool timedOut = false;
    };
    using Deadline = std::chrono::steady_clock::time_point;

    explicit JsSandbox(std::chrono::milliseconds timeLimit);
    ~JsSandbox();
    JsSandbox(const JsSandbox&) = delete;
    JsSandbox& operator=(const JsSandbox&) = delete;

    QJSEngine& engine() const { return *m_engine; }
    std::chrono::milliseconds timeLimit() const { return m_timeLimit; }
    Deadline deadline() const { return std::chrono::steady_clock::now() + m_timeLimit; }

    // Runs `call` (a call into the engine) under a deadline, and makes the engine usable again if the watchdog
    // interrupted it.
    template <typename F> Call run(F&& call, Deadline deadline) const
    {
        arm(deadline);
        Call done { call(), false };
        done.timedOut = disarm() && done.result.isError(); // it may have fired just after the call returned
        return done;
    }
    Call run(const QJSValue& function, const QJSValueList& arguments = {}) const;

    // "<subject> ran past its time limit of 1.5 s"
    std::string timeLimitMessage(const std::string& subject) const;

private:
    void arm(Deadline deadline) const;
    bool disarm() const; // true when the watchdog fired (the interrupt is then cleared)
    void watch(std::stop_token stop);

    std::chrono::milliseconds m_timeLimit;
    std::unique_ptr<QJSEngine> m_engine;
    // The watchdog: a thread that wakes at deadlines (or when a first one is set) and interrupts a call past it.
    mutable std::mutex m_mutex;
    mutable std::condition_variable_any m_wake;
    mutable std::optional<Deadline> m_deadline;
    mutable bool m_fired = false;
    Deadline m_watchedUntil = Deadline::max();
    std::jthread m_watchdog; // last: it starts once everything it reads exists, and stops before it goes
};

// What a script threw, as the drivers return it: [message, stack]. The stack leaves out the frames of files
// whose name contains `hiddenFile` (the driver's own, which say nothing to the script's author).
std::pair<std::string, std::string> thrownMessage(const JsSandbox::Call& call, const QString& hiddenFile);

} // namespace eventscope
