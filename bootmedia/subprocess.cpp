#include "bootmedia/subprocess.hpp"

#include "bootmedia/error.hpp"

namespace castline::bootmedia {
namespace {

std::string command_line(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
    return out;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::filesystem::path& working_directory, bool merge_stderr) {
    try {
        return castline::run_process(argv, {working_directory, merge_stderr, {}});
    } catch (const castline::ProcessError& e) {
        throw BootmediaError(e.what());
    }
}

std::string run_checked(const std::vector<std::string>& argv,
                        const std::filesystem::path& working_directory, bool merge_stderr) {
    ProcessResult result = run_process(argv, working_directory, merge_stderr);
    if (result.exit_code != 0) {
        std::string message =
            "'" + command_line(argv) + "' failed (exit " + std::to_string(result.exit_code) + ")";
        if (!result.output.empty()) message += ":\n" + result.output;
        throw BootmediaError(message);
    }
    return std::move(result.output);
}

}  // namespace castline::bootmedia
