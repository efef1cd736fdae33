// Without libFuzzer (gcc builds), a fuzz target replays its seed corpus plus bounded random
// mutations of each seed, so the ordinary test run still exercises the parser on hostile input.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    std::mt19937 random(12345);
    std::size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::filesystem::is_directory(argv[i])) continue;
        for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
            std::ifstream in(entry.path(), std::ios::binary);
            const std::vector<std::uint8_t> seed{std::istreambuf_iterator<char>(in), {}};
            LLVMFuzzerTestOneInput(seed.data(), seed.size());
            ++runs;
            for (int round = 0; round < 200; ++round) {
                auto input = seed;
                const int edits = 1 + static_cast<int>(random() % 8);
                for (int e = 0; e < edits && !input.empty(); ++e) {
                    const auto at = random() % input.size();
                    switch (random() % 3) {
                        case 0:
                            input[at] = static_cast<std::uint8_t>(random());
                            break;
                        case 1:
                            input.erase(input.begin() + static_cast<long>(at));
                            break;
                        default:
                            input.resize(at);
                            break;
                    }
                }
                LLVMFuzzerTestOneInput(input.data(), input.size());
                ++runs;
            }
        }
    }
    std::printf("replayed %zu inputs\n", runs);
    return runs > 0 ? 0 : 1;
}
