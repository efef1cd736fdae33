// Any bytes as the saved PXE client inventory in the data directory: lines that do not parse are
// skipped and counted, never a crash; what loaded saves and loads again the same, with nothing
// skipped.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "pxe/client_inventory.hpp"

namespace {
struct Files {
    int fd = ::memfd_create("castline-fuzz-inventory", 0);
    std::filesystem::path input = "/proc/self/fd/" + std::to_string(fd);
    std::filesystem::path dir;
    Files() {
        std::string pattern = (std::filesystem::temp_directory_path() / "castline-fuzz.XXXXXX");
        if (fd < 0 || !::mkdtemp(pattern.data())) std::abort();
        dir = pattern;
    }
    ~Files() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace castline::pxe;
    static Files files;
    if (::ftruncate(files.fd, 0) != 0 ||
        ::pwrite(files.fd, data, size, 0) != static_cast<ssize_t>(size))
        std::abort();
    std::size_t skipped = 0;
    auto inventory = ClientInventory::load(files.input, &skipped);
    const auto loaded = inventory.all();
    const auto saved = files.dir / "clients.tsv";
    if (!inventory.save(saved)) __builtin_trap();
    std::size_t skipped_again = 0;
    const auto again = ClientInventory::load(saved, &skipped_again).all();
    if (skipped_again != 0 || again.size() != loaded.size()) __builtin_trap();
    for (std::size_t i = 0; i < again.size(); ++i)
        if (again[i].mac != loaded[i].mac || again[i].address != loaded[i].address ||
            again[i].server != loaded[i].server || again[i].last_seen != loaded[i].last_seen)
            __builtin_trap();
    return 0;
}
