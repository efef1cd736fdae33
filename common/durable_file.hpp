#pragma once
// Putting files in place so that a crash or a power cut leaves the old or the new version,
// whole, and a reported success stays true after the power comes back: the data is fsynced
// before the rename, and the directory after it (on ext4, xfs and btrfs a rename is durable
// only once its directory is synced). Every rename-into-place of castline goes through here.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace castline {

// Replaces `file` with `contents`: writes a unique temporary file beside it, fsyncs it, renames
// it over `file` and fsyncs the directory. Returns an error naming the step and the path, with
// `file` left as it was and the temporary file removed.
std::optional<std::string> write_file_durably(const std::filesystem::path& file,
                                              std::string_view contents, mode_t mode = 0644);

// Moves `from` to `to` (same file system) durably: a file is fsynced first, a directory tree
// flushed with syncfs(2); after the rename, the directory of `to` is fsynced. Errors as above.
std::optional<std::string> rename_durably(const std::filesystem::path& from,
                                          const std::filesystem::path& to);

// fsyncs a directory, making the renames and creations in it durable.
std::optional<std::string> sync_directory(const std::filesystem::path& directory);

}  // namespace castline
