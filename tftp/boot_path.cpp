#include "tftp/boot_path.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>

namespace castline::tftp {

std::string_view describe(PathProblem problem) {
    switch (problem) {
        case PathProblem::empty:
            return "empty file name";
        case PathProblem::nul_byte:
            return "NUL byte in file name";
        case PathProblem::control_char:
            return "control character in file name";
        case PathProblem::too_long:
            return "file name too long";
        case PathProblem::parent:
            return "'..' not allowed in file name";
        case PathProblem::absolute:
            return "absolute file name not allowed";
        case PathProblem::outside_root:
            return "access outside the boot root refused";
        case PathProblem::not_found:
            return "file not found";
        case PathProblem::not_regular:
            return "not a regular file";
        case PathProblem::unreadable:
            return "file not readable";
    }
    return "refused";
}

bool is_violation(PathProblem problem) {
    return problem != PathProblem::not_found && problem != PathProblem::not_regular;
}

std::variant<std::string, PathProblem> normalize_request_path(std::string_view requested) {
    if (requested.size() > max_path_length) return PathProblem::too_long;
    std::string name(requested);
    for (char& c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0) return PathProblem::nul_byte;
        if (byte < 0x20 || byte == 0x7f) return PathProblem::control_char;
        if (c == '\\') c = '/';
    }
    // A drive letter ("C:/...") is absolute on the firmware's side and meaningless here.
    if (name.size() >= 2 && name[1] == ':' &&
        ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
        return PathProblem::absolute;
    std::string_view rest(name);
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    if (!rest.empty() && rest.front() == '/') return PathProblem::absolute;

    std::string out;
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto component = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (component.empty() || component == ".") continue;
        if (component == "..") return PathProblem::parent;
        if (component.size() > max_component_length) return PathProblem::too_long;
        if (!out.empty()) out += '/';
        out += component;
    }
    if (out.empty()) return PathProblem::empty;
    return out;
}

ConfinedFile::ConfinedFile(ConfinedFile&& other) noexcept : fd_(other.fd_), size_(other.size_) {
    other.fd_ = -1;
}

ConfinedFile& ConfinedFile::operator=(ConfinedFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        size_ = other.size_;
        other.fd_ = -1;
    }
    return *this;
}

ConfinedFile::~ConfinedFile() {
    if (fd_ >= 0) ::close(fd_);
}

BootRoot::BootRoot(std::filesystem::path root) : root_(std::move(root)) {}

namespace {
struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
};
using CString = std::unique_ptr<char, FreeDeleter>;

PathProblem problem_from_errno(int error) {
    if (error == ENOENT || error == ENOTDIR) return PathProblem::not_found;
    if (error == ENAMETOOLONG) return PathProblem::too_long;
    return PathProblem::unreadable;
}
}  // namespace

namespace {
// A file descriptor closed when the scope ends.
struct Descriptor {
    int fd = -1;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// Checks an opened descriptor and clears the non-blocking flag that only kept a fifo from
// blocking the open; reads are plain preads.
std::variant<ConfinedFile, PathProblem> regular_file(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return PathProblem::not_regular;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return ConfinedFile(fd, static_cast<std::uint64_t>(st.st_size));
}

constexpr int open_flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;

// The kernel resolves every component below `root_fd` in one step (openat2 with
// RESOLVE_BENEATH): "..", absolute links and links out of the tree fail with EXDEV however the
// tree changes meanwhile. nullopt when this kernel has no openat2 (before Linux 5.6) or a
// seccomp filter refuses it.
std::optional<std::variant<ConfinedFile, PathProblem>> open_beneath(int root_fd,
                                                                    const std::string& relative) {
    open_how how{};
    how.flags = open_flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const auto fd = ::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how);
        if (fd >= 0) return regular_file(static_cast<int>(fd));
        switch (errno) {
            case EINTR:
            case EAGAIN:  // a rename elsewhere in the tree during resolution: resolve again
                continue;
            case ENOSYS:
            case EPERM:
            case E2BIG:
                return std::nullopt;
            case EXDEV:
            case ELOOP:
                return PathProblem::outside_root;
            default:
                return problem_from_errno(errno);
        }
    }
    return PathProblem::unreadable;
}
}  // namespace

std::variant<ConfinedFile, PathProblem> BootRoot::open(const std::string& relative) const {
    Descriptor root{::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)};
    if (root.fd < 0) return PathProblem::not_found;
    if (auto opened = open_beneath(root.fd, relative)) return std::move(*opened);
    return open_checked(relative);
}

// Without openat2: resolve with realpath, compare with the root, then open the resolved name
// with O_NOFOLLOW. A directory component swapped for a link between the check and the open is
// followed; only the last component is protected (docs/adr/0012-boot-path-confinement.md).
std::variant<ConfinedFile, PathProblem> BootRoot::open_checked(const std::string& relative) const {
    const CString root_real(::realpath(root_.c_str(), nullptr));
    if (!root_real) return PathProblem::not_found;
    const std::string candidate = (root_ / relative).string();
    const CString real(::realpath(candidate.c_str(), nullptr));
    if (!real) return problem_from_errno(errno);
    // Symbolic links may point anywhere; only what ends inside the root may be read.
    const std::string_view root_view(root_real.get());
    const std::string_view real_view(real.get());
    const bool inside = root_view == "/" ? true
                                         : real_view.size() > root_view.size() &&
                                               real_view.substr(0, root_view.size()) == root_view &&
                                               real_view[root_view.size()] == '/';
    if (!inside) return PathProblem::outside_root;
    const int fd = ::open(real.get(), open_flags | O_NOFOLLOW);
    if (fd < 0) return errno == ELOOP ? PathProblem::outside_root : problem_from_errno(errno);
    return regular_file(fd);
}

}  // namespace castline::tftp
