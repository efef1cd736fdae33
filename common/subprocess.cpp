#include "common/subprocess.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace castline {
namespace {

// Our environment with `extra` added; a NAME=VALUE in `extra` replaces ours of the same NAME.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
    std::vector<std::string> out;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (const auto& x : extra) replaced = replaced || x.rfind(name, 0) == 0;
        if (!replaced) out.emplace_back(entry);
    }
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    if (argv.empty()) throw ProcessError("run_process: empty command");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    // Built before fork: the child may only make async-signal-safe calls.
    const std::vector<std::string> environment = merged_environment(options.environment);
    std::vector<char*> envp;
    for (const auto& e : environment) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw ProcessError(std::string("pipe: ") + std::strerror(errno));
    // A pipe that tells the parent whether exec failed, and why.
    int exec_fds[2];
    if (pipe2(exec_fds, O_CLOEXEC) != 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        throw ProcessError(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0) throw ProcessError(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        if (options.merge_stderr) dup2(pipe_fds[1], STDERR_FILENO);
        const int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, STDIN_FILENO);
        if (!options.working_directory.empty() && chdir(options.working_directory.c_str()) != 0) {
            const int e = errno;
            (void)!write(exec_fds[1], &e, sizeof e);
            _exit(127);
        }
        execvpe(args[0], args.data(), envp.data());
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
    if (exec_failed) throw ProcessError("cannot run " + argv[0] + ": " + std::strerror(exec_errno));
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace castline
