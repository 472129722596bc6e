// One of the writer processes of tst_concurrency: reads a stream's head, then appends with that expected
// version, as an aggregate's command handler does. Prints one line per attempt:
//   ok STREAM VERSION ID        or        conflict STREAM MESSAGE
#include "storage/error.h"
#include "storage/event_store.h"

#include <iostream>
#include <random>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::cerr << "usage: concurrent_appender STORE APPENDS STREAMS SEED\n";
        return 1;
    }
    try {
        auto store = eventscope::openStore(argv[1]);
        const int appends = std::stoi(argv[2]);
        const int streams = std::stoi(argv[3]);
        std::mt19937 rng(static_cast<unsigned>(std::stoul(argv[4])));
        for (int i = 0; i < appends; ++i) {
            const std::string stream = "shared-" + std::to_string(rng() % static_cast<unsigned>(streams));
            const auto head = store->streamHead(stream);
            const std::int64_t version = head ? head->version : 0;
            eventscope::NewEvent event;
            event.type = "Counted";
            event.data = "{\"writer\":" + std::string(argv[4]) + ",\"attempt\":" + std::to_string(i) + "}";
            try {
                const auto result = store->append(stream, { event }, eventscope::ExpectedVersion::exact(version));
                std::cout << "ok " << stream << ' ' << result.lastVersion << ' ' << result.ids.front() << '\n';
            } catch (const eventscope::Error& e) {
                if (e.kind != eventscope::ErrorKind::WrongExpectedVersion)
                    throw;
                std::cout << "conflict " << stream << ' ' << e.what() << '\n';
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "concurrent_appender: " << e.what() << '\n';
        return 2;
    }
}
