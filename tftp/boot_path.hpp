#pragma once
// Confinement of requested names to the boot root, shared by TFTP and HTTP.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace castline::tftp {

inline constexpr std::size_t max_path_length = 1024;
inline constexpr std::size_t max_component_length = 255;

enum class PathProblem {
    empty,         // nothing left after normalisation
    nul_byte,      // a NUL inside the name
    control_char,  // a byte below 0x20 or 0x7f
    too_long,      // whole name or one component over the limit
    parent,        // a ".." component
    absolute,      // still absolute after one leading slash is dropped, or a drive letter
    outside_root,  // resolves (through symbolic links) outside the root
    not_found,     // no such file
    not_regular,   // a directory, device, fifo ...
    unreadable,    // permission denied or another open error
};

// A message safe to send to a client: never contains a server path.
std::string_view describe(PathProblem problem);
// True when the problem is a confinement violation (TFTP error 2, HTTP 403), not a missing file.
bool is_violation(PathProblem problem);

// Turns a requested name into a relative path with '/' separators: backslashes become slashes,
// one leading slash is dropped, "." and empty components vanish; "..", NUL, control bytes,
// overlong names and remaining absolute forms are refused.
std::variant<std::string, PathProblem> normalize_request_path(std::string_view requested);

// An open, read-only regular file inside the root. Owns the descriptor.
class ConfinedFile {
  public:
    ConfinedFile() = default;
    ConfinedFile(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
    ConfinedFile(ConfinedFile&& other) noexcept;
    ConfinedFile& operator=(ConfinedFile&& other) noexcept;
    ConfinedFile(const ConfinedFile&) = delete;
    ConfinedFile& operator=(const ConfinedFile&) = delete;
    ~ConfinedFile();

    int fd() const { return fd_; }
    std::uint64_t size() const { return size_; }

  private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// The boot tree. Opening follows symbolic links only while they stay below the root: a link
// that leaves it, absolute links and ".." through a link are refused (outside_root), also when
// the tree changes during the open.
class BootRoot {
  public:
    explicit BootRoot(std::filesystem::path root);

    const std::filesystem::path& path() const { return root_; }

    // `relative` must come from normalize_request_path.
    std::variant<ConfinedFile, PathProblem> open(const std::string& relative) const;

    // The check used where the kernel has no openat2; public for its tests.
    std::variant<ConfinedFile, PathProblem> open_checked(const std::string& relative) const;

  private:
    std::filesystem::path root_;
};

}  // namespace castline::tftp
