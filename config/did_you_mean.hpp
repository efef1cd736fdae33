#pragma once
// Suggestions for misspelt keys, enum values and names: the closest candidate by edit distance.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace castline::config {

// Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps),
// ignoring ASCII case, so "Log_Levl" is one edit from "log_level".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a likely typo: at most 1 edit for
// words up to 4 characters, 2 up to 8, 3 beyond. Ties go to the first candidate.
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates);
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string> candidates);

// " (did you mean \"x\"?)" or "" — for appending to a message.
std::string suggestion_suffix(const std::optional<std::string>& suggestion);

}  // namespace castline::config
