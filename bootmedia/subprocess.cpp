#include "bootmedia/subprocess.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
    if (argv.empty()) throw BootmediaError("run_process: empty command");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw BootmediaError(std::string("pipe: ") + std::strerror(errno));
    // A pipe that tells the parent whether exec failed, and why.
    int exec_fds[2];
    if (pipe2(exec_fds, O_CLOEXEC) != 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        throw BootmediaError(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0) throw BootmediaError(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        if (merge_stderr) dup2(pipe_fds[1], STDERR_FILENO);
        const int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, STDIN_FILENO);
        if (!working_directory.empty() && chdir(working_directory.c_str()) != 0) {
            const int e = errno;
            (void)!write(exec_fds[1], &e, sizeof e);
            _exit(127);
        }
        execvp(args[0], args.data());
        const int e = errno;
        (void)!write(exec_fds[1], &e, sizeof e);
        _exit(127);
    }
    close(pipe_fds[1]);
    close(exec_fds[1]);
    ProcessResult result;
    char buffer[65536];
    for (;;) {
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) {
            result.output.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    close(pipe_fds[0]);
    int exec_errno = 0;
    const bool exec_failed = read(exec_fds[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno;
    close(exec_fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (exec_failed)
        throw BootmediaError("cannot run " + argv[0] + ": " + std::strerror(exec_errno));
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
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
